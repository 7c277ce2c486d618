"""Draw a checked spec into outputs that carry their cache key.

``archgen build`` and the MkDocs plugin draw through here; ``render_spec`` is untouched.
"""

from __future__ import annotations

from archgen.errors import UsageError
from archgen.model.model import Spec
from archgen.render.keys import output_key
from archgen.render.pipeline import RenderOptions
from archgen.render.stamp import stamp


def view_suffix(view: str | None) -> str:
    """The file-name suffix of a view's picture: ``--<view>`` (nothing for the whole diagram)."""
    return f"--{view}" if view else ""


def view_names(spec: Spec) -> list[str]:
    """The names of the spec's views (none when this archgen has no views)."""
    return [v.name for v in getattr(spec, "views", ())]


def draw(spec: Spec, name: str, options: RenderOptions, view: str | None = None) -> dict[str, bytes]:
    """``{format: bytes}``: the whole diagram, or one view of it, from one layout.

    A view with steps is drawn at its last step, which shows all of it.
    """
    from archgen.render.graph import build_graph

    graph = build_graph(spec, name, options.theme)
    if view is None:
        from archgen.render.graphviz import render

        return render(graph, options.formats, options.scale, options.legend)
    if view not in view_names(spec):
        raise UsageError(f"{spec.file}: no view named {view}",
                         hint=f"views in this spec: {', '.join(view_names(spec)) or '(none)'}")
    from archgen.render.graphviz import render_states
    from archgen.render.views import all_states

    states = all_states(spec, [view])
    drawn = render_states(graph, [states[-1]], options.formats, options.scale, options.legend)
    return next(iter(drawn.values()))


def draw_stamped(spec: Spec, source: bytes, name: str, options: RenderOptions, view: str | None = None,
                 keys: dict[str, str] | None = None) -> dict[str, bytes]:
    """``{file name: bytes}`` for each format in ``options``, each stamped with its key.

    Files are named ``<name>[--<view>].<format>``. ``keys`` (by file name) saves computing
    the keys again when the caller has them; otherwise they come from ``source``.
    """
    suffix = view_suffix(view)
    out = {}
    for fmt, data in draw(spec, name, options, view).items():
        file_name = f"{name}{suffix}.{fmt}"
        key = (keys or {}).get(file_name) or output_key(source, name, fmt, options, suffix)
        out[file_name] = stamp(fmt, data, key)
    return out
