"""Large specs: when one picture of a spec no longer reads on a slide, and the views it reads
through instead. ``archgen check`` names these views (I209) and ``archgen slides`` draws them."""

from __future__ import annotations

from archgen.model.model import Ref, Spec, View

# Beyond this many components one picture no longer reads on a 16:9 slide: fitted to
# 1280x720, the smallest text of benchmarks/specs/kafka-cdc.yaml (26 components) is under
# 10 px (benchmarks/layout_bench.py).
LARGE = 25


def group_views(spec: Spec) -> tuple[View, ...]:
    """A view per top-level group, ``{name: <group>, show: [<group>]}`` titled as the group, in
    spec order, for a spec of more than ``LARGE`` components in two or more top-level groups
    that has no views of its own; ``()`` for any other spec."""
    parent = spec.component_groups()
    top = [gid for gid in spec.groups if gid not in parent]
    if spec.views or len(spec.components) <= LARGE or len(top) < 2:
        return ()
    return tuple(View(gid, spec.groups[gid].label or gid, (Ref(gid, spec.groups[gid].path),), (), (), None,
                      spec.groups[gid].path) for gid in top)
