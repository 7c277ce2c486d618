"""Render a checked spec into files: graph model → Graphviz → atomic writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archgen.errors import UsageError
from archgen.model.model import Spec
from archgen.render.graph import build_graph
from archgen.render.output import stem, write_all

DEFAULT_FORMATS = ("png", "svg")


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    scale: float = 1.0
    theme: str | None = None
    legend: bool = False


def parse_formats(text: str) -> tuple[str, ...]:
    """``"png,svg"`` → ``("png", "svg")``; unknown formats are a usage error."""
    from archgen.render.graphviz import FORMATS

    formats = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown output format {', '.join(bad) or '(none)'}",
                         hint=f"choose from {', '.join(FORMATS)}")
    return formats


def render_spec(spec: Spec, spec_path: str, out_dir: Path, options: RenderOptions,
                views: list[str] | None = None, full: bool = True, source: bytes | None = None) -> list[Path]:
    """Draw every requested picture and format in memory, then write them all.

    ``views`` names the views to draw as well (``["*"]``: all of them); ``full`` draws the
    whole diagram. Every picture comes from one layout, and each output carries its cache
    key (see ``archgen.render.keys``). Returns the written paths.
    """
    from archgen.render.graphviz import render_states
    from archgen.render.views import all_states

    name = stem(spec_path)
    if views:
        known = [v.name for v in spec.views]
        unknown = [v for v in views if v != "*" and v not in known]
        if unknown:
            raise UsageError(f"{spec_path}: no view named {', '.join(unknown)}",
                             hint=f"views in this spec: {', '.join(known) or '(none)'}")
    states = ([None] if full else []) + (all_states(spec, None if "*" in (views or []) else views)
                                         if views else [])
    from archgen.render.keys import output_key
    from archgen.render.stamp import stamp

    if source is None:  # the spec's bytes go into the key stamped inside each output
        source = Path(spec_path).read_bytes()
    graph = build_graph(spec, name, options.theme)
    drawn = render_states(graph, states, options.formats, options.scale, options.legend)
    return write_all({
        out_dir / f"{name}{suffix}.{fmt}": stamp(fmt, data, output_key(source, name, fmt, options, suffix))
        for suffix, pictures in drawn.items() for fmt, data in pictures.items()})


def expected_suffixes(spec: Spec, views: list[str] | None, full: bool) -> tuple[str, ...]:
    """The picture suffixes ``render_spec`` would write for these arguments."""
    from archgen.render.views import all_states

    chosen = all_states(spec, None if "*" in (views or []) else views) if views else []
    return (("",) if full else ()) + tuple(s.suffix for s in chosen)
