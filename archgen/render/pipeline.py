"""The one drawing path: planned outputs → one layout drawn per picture → stamped bytes → files.

``planned_outputs`` (``archgen.render.plan``) says which files a spec produces; ``draw``
lays the spec out once and draws each of them into memory; ``draw_stamped`` stores each
output's cache key inside it (``archgen.cache``); ``render_spec`` writes them all atomically.
``archgen render`` and ``archgen build`` write the stamped files, the MkDocs plugin keeps
them in its cache, and ``archgen slides`` puts the drawn pictures into a deck.
"""

from __future__ import annotations

import os
from pathlib import Path

from archgen.cache.freshness import problems
from archgen.cache.keys import output_keys
from archgen.cache.stamp import stamp
from archgen.errors import RenderError, UsageError
from archgen.files import write_all
from archgen.model.model import Spec
from archgen.render.graph import Graph, build_graph
from archgen.render.naming import stem
from archgen.render.options import RenderOptions
from archgen.render.plan import Output, planned_outputs


def draw_graph(graph: Graph, options: RenderOptions, outputs: list[Output], fit=None) -> dict[str, bytes]:
    """``{file name: bytes}`` for ``outputs``: one layout of ``graph``, drawn once per picture
    (``fit``: the slide box PNGs are sized for, see ``archgen.render.graphviz.render_states``)."""
    from archgen.render.budget import HINT, graph_size, over_budget
    from archgen.render.graphviz import render_states

    over = over_budget(graph_size(graph))
    if over:  # the checks refuse such a spec (E005); nothing reaches Graphviz past them either
        raise RenderError(f"E005 {over[0]}", hint=HINT)
    order: dict[str, object] = {}  # suffix → state, in the order planned
    for o in outputs:
        order.setdefault(o.suffix, o.state)
    formats = tuple(dict.fromkeys(o.fmt for o in outputs))
    drawn = render_states(graph, list(order.values()), formats, options.scale, options.legend, fit)
    return {o.file: drawn[o.suffix][o.fmt] for o in outputs}


def draw(spec: Spec, name: str, options: RenderOptions, outputs: list[Output]) -> dict[str, bytes]:
    """``{file name: bytes}`` for ``outputs`` of a checked spec drawn as ``name``."""
    graph = build_graph(spec, name, options.theme, annotate=options.annotate, collapse=options.collapse)
    return draw_graph(graph, options, outputs)


def draw_stamped(spec: Spec, source: bytes, name: str, options: RenderOptions, outputs: list[Output],
                 keys: dict[str, str] | None = None) -> dict[str, bytes]:
    """``draw``, each output carrying its cache key. ``keys`` (by file name) saves computing
    them again when the caller has them; otherwise they come from ``source``, the spec's bytes."""
    keys = keys or output_keys(source, name, options, outputs)
    formats = {o.file: o.fmt for o in outputs}
    return {file: stamp(formats[file], data, keys[file])
            for file, data in draw(spec, name, options, outputs).items()}


def _source(spec_path: str | os.PathLike, source: bytes | None) -> bytes:
    """The spec's bytes, which go into every output's key."""
    if source is not None:
        return source
    try:
        return Path(spec_path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{spec_path}: cannot be read ({exc.strerror})") from exc


def render_spec(spec: Spec, spec_path: str, out_dir: Path, options: RenderOptions,
                views: list[str] | None = None, full: bool = True, source: bytes | None = None) -> list[Path]:
    """Draw every requested picture and format in memory, then write them all.

    ``views`` names the views to draw as well (``["*"]``: all of them); ``full`` draws the
    whole diagram. Every picture comes from one layout, and each output carries its cache
    key. ``source`` is the spec's bytes (read from ``spec_path`` when not given). Returns
    the written paths.
    """
    name = stem(spec_path)
    outputs = planned_outputs(spec, name, options, views, full)
    files = draw_stamped(spec, _source(spec_path, source), name, options, outputs)
    return write_all({out_dir / file: data for file, data in files.items()})


def check_rendered(spec: Spec, spec_path: str, out_dir: Path, options: RenderOptions,
                   views: list[str] | None = None, full: bool = True, source: bytes | None = None) -> list[str]:
    """``["<out>/<file>: missing", "...: stale (...)"]`` for what ``render_spec`` would write
    with these arguments; writes nothing. An empty list means every output is current."""
    name = stem(spec_path)
    keys = output_keys(_source(spec_path, source), name, options, planned_outputs(spec, name, options, views, full))
    return [f"{Path(out_dir) / file}: {why}" for file, why in problems(Path(out_dir), keys).items()]
