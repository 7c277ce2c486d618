"""Views and steps: which parts of the full diagram a picture shows, and which it fades.

A view never moves anything: it is the full layout drawn with some parts hidden or faded,
so that slides stepping through an architecture do not jump around.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.model import Spec, View
from archgen.render.naming import view_suffix


@dataclass(frozen=True)
class ViewState:
    """One picture of a view: its file suffix and what it shows.

    ``components``/``groups`` are the visible ones (None: all); ``faded`` components and
    ``faded_groups`` are drawn in the theme's faded colour.
    """

    suffix: str
    title: str
    components: frozenset[str] | None
    groups: frozenset[str] | None
    faded: frozenset[str] = frozenset()
    faded_groups: frozenset[str] = frozenset()
    notes: str | None = None
    view: str | None = None
    step: int | None = None


def _groups_named(spec: Spec, ids) -> set[str]:
    """Group ids named, with the groups nested inside them."""
    out: set[str] = set()
    stack = [i for i in ids if i in spec.groups]
    while stack:
        gid = stack.pop()
        if gid in out:
            continue
        out.add(gid)
        stack.extend(r.id for r in spec.groups[gid].members if r.id in spec.groups)
    return out


def _descendants(spec: Spec, gid: str) -> set[str]:
    return spec.expand([gid])


def states(spec: Spec, view: View) -> list[ViewState]:
    """The pictures of a view: one, or one per step (each showing steps 1..N)."""
    title = view.title or view.name
    show_ids = [r.id for r in view.show]
    focus = spec.expand(r.id for r in view.focus) if view.focus else None

    def state(suffix: str, ids: list[str] | None, step: int | None, step_title: str) -> ViewState:
        if ids is None:
            components, groups = None, None
            pool = set(spec.components)
            group_pool = set(spec.groups)
        else:
            components = frozenset(spec.expand(ids))
            groups = frozenset(_groups_named(spec, ids))
            pool, group_pool = set(components), set(groups)
        faded: frozenset[str] = frozenset()
        faded_groups: frozenset[str] = frozenset()
        if focus is not None:
            faded = frozenset(pool - focus)
            faded_groups = frozenset(g for g in group_pool if not (_descendants(spec, g) & focus))
        return ViewState(suffix, step_title, components, groups, faded, faded_groups, view.notes,
                         view.name, step)

    if view.steps:
        out = []
        cumulative: list[str] = []
        for n, step in enumerate(view.steps, start=1):
            cumulative.extend(r.id for r in step)
            out.append(state(view_suffix(view.name, n), list(cumulative), n,
                             f"{title} ({n}/{len(view.steps)})"))
        return out
    return [state(view_suffix(view.name), show_ids or None, None, title)]


def all_states(spec: Spec, names: list[str] | None = None) -> list[ViewState]:
    """States of the named views (every view when ``names`` is None), in spec order."""
    chosen = [v for v in spec.views if names is None or v.name in names]
    return [s for v in chosen for s in states(spec, v)]
