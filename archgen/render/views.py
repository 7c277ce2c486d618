"""Views and steps: which parts of the full diagram a picture shows, and which it fades.

A view never moves anything: it is the full layout drawn with some parts hidden or faded,
so that slides stepping through an architecture do not jump around. A view that shows only
some parts is cropped to them (its ``frame``); every step of a stepped view has the same frame,
the whole view, and draws the parts still to come faded, so no step is a nearly blank picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.model.model import Spec, View
from archgen.render.naming import view_suffix


@dataclass(frozen=True)
class ViewState:
    """One picture of a view: its file suffix and what it shows.

    ``components``/``groups`` are the visible ones (None: all); ``faded`` components and
    ``faded_groups`` are drawn in the theme's faded colour. ``frame`` is what the picture is
    cropped to: the components of the whole view (None: the whole diagram, not cropped).
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
    frame: frozenset[str] | None = None


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

    def state(suffix: str, ids: list[str] | None, step: int | None, step_title: str,
              whole: list[str] | None = None) -> ViewState:
        """``ids``: what the picture shows in full; ``whole``: the view's parts it also draws faded."""
        if whole is not None:
            drawn = state(suffix, whole, step, step_title)
            now = spec.expand(ids or [])
            now_groups = _groups_named(spec, ids or [])
            return ViewState(suffix, step_title, drawn.components, drawn.groups,
                             drawn.faded | (drawn.components - now),
                             drawn.faded_groups | frozenset(g for g in drawn.groups if g not in now_groups
                                                             and not (_descendants(spec, g) & now)),
                             view.notes, view.name, step, drawn.frame)
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
                         view.name, step, components)

    if view.steps:
        whole = [r.id for step in view.steps for r in step]
        out = []
        cumulative: list[str] = []
        for n, step in enumerate(view.steps, start=1):
            cumulative.extend(r.id for r in step)
            out.append(state(view_suffix(view.name, n), list(cumulative), n,
                             f"{title} ({n}/{len(view.steps)})", whole))
        return out
    return [state(view_suffix(view.name), show_ids or None, None, title)]


def all_states(spec: Spec, names: list[str] | None = None) -> list[ViewState]:
    """States of the named views (every view when ``names`` is None), in spec order."""
    chosen = [v for v in spec.views if names is None or v.name in names]
    return [s for v in chosen for s in states(spec, v)]
