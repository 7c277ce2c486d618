"""Which pictures a spec produces, and the output files they become.

Every drawing command (``render``, ``build``, the MkDocs plugin, ``slides``) asks here:
the whole diagram, the views named (``"*"``: all of them), each step of a stepped view
or, with ``steps=False``, each view once as a whole (drawn at its last step).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archgen.errors import UsageError
from archgen.model.model import Spec
from archgen.render.naming import output_name, view_suffix
from archgen.render.options import RenderOptions
from archgen.render.views import ViewState, states

ALL_VIEWS = "*"


@dataclass(frozen=True)
class Output:
    """One file to draw: its name, its format and the picture it shows (None: the whole diagram)."""

    file: str
    fmt: str
    suffix: str
    state: ViewState | None


def pictures(spec: Spec, views: list[str] | tuple[str, ...] | None = None, full: bool = True,
             steps: bool = True) -> list[ViewState | None]:
    """The pictures of a spec, in drawing order: ``None`` for the whole diagram (when ``full``),
    then the views named in ``views`` (``["*"]``: every view), in spec order.

    A view named that the spec does not have is a usage error.
    """
    wanted = list(views or ())
    known = [v.name for v in spec.views]
    unknown = [v for v in wanted if v != ALL_VIEWS and v not in known]
    if unknown:
        raise UsageError(f"{spec.file}: no view named {', '.join(unknown)}",
                         hint=f"views in this spec: {', '.join(known) or '(none)'}")
    out: list[ViewState | None] = [None] if full else []
    for view in spec.views:
        if ALL_VIEWS not in wanted and view.name not in wanted:
            continue
        drawn = states(spec, view)
        if steps:
            out.extend(drawn)
        else:  # the view as a whole: its last step shows all of it
            out.append(replace(drawn[-1], suffix=view_suffix(view.name), step=None))
    return out


def planned_outputs(spec: Spec, name: str, options: RenderOptions,
                    views: list[str] | tuple[str, ...] | None = None, full: bool = True,
                    steps: bool = True) -> list[Output]:
    """The files drawing ``spec`` as ``name`` writes: each picture in each format of ``options``.

    ``options.collapse`` draws an overview of the whole diagram, so asking for views as well
    is a usage error.
    """
    if options.collapse and views:
        raise UsageError("--collapse draws an overview of the whole diagram, not of views",
                         hint="leave out --view/--all-views, or --collapse")
    out = []
    for state in pictures(spec, views, full, steps):
        suffix = state.suffix if state is not None else ""
        out.extend(Output(output_name(name, suffix, fmt), fmt, suffix, state) for fmt in options.formats)
    return out


SHARED_HINT = ("outputs are named <stem>[--<view>[-<step>]], so a spec named like another's view writes "
               "that view's files: rename a spec or a view, or draw them into different folders")


def shared_output(files: dict[str, list[str]]) -> tuple[str, str, str] | None:
    """The first output file two specs would both write, as ``(file, first spec, second spec)``;
    ``files`` maps each spec to the file names it writes, in drawing order. ``x.yaml`` with a
    view ``v`` and a spec ``x--v.yaml`` both write ``x--v.<format>``."""
    first: dict[str, str] = {}
    for spec, names in files.items():
        for name in names:
            other = first.setdefault(name, spec)
            if other != spec:
                return name, other, spec
    return None

