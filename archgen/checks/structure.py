"""Structure: ids that flows and groups name must exist; groups nest without cycles.

FAIL (E201)::

    flows: [web -> clikcs]     # no component `clikcs`

FAIL (E204)::

    groups:
      a: {members: [b]}
      b: {members: [a]}
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding
from archgen.suggest import Suggester

CODES = ("E005", "E201", "E203", "E204", "E206", "W201", "W202", "W203")  # every code this family reports

# Graphviz nests one cluster per group level, and drawing walks them: past this depth a
# diagram is unreadable anyway.
MAX_GROUP_DEPTH = 32


def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    ids = spec.components
    suggest = Suggester(ids)
    used: set[str] = set()
    for flow in spec.flows:
        for ref in (flow.source, flow.target):
            if ref.id in ids:
                used.add(ref.id)
                continue
            if ref.id in spec.groups:
                hint = f"`{ref.id}` is a group; flows connect components — name a member instead"
            else:
                hint = suggest.hint(ref.id) or "declare it under sources, streams, stores or analytics"
            yield Finding("E201", f"flow names unknown component `{ref.id}`", ref.path, hint=hint,
                          offset=ref.offset)
        if flow.source.id == flow.target.id and flow.source.id in ids:
            yield Finding("W202", f"`{flow.source.id}` flows into itself", flow.path,
                          hint="remove the self-loop, or add the component it passes through",
                          offset=flow.target.offset)
    yield from _groups(ctx)
    for cid, comp in ids.items():
        if cid not in used:
            yield Finding("W201", f"component `{cid}` has no flows", comp.path, on_key=True,
                          hint=f"connect it with a flow such as `{cid} -> ...`, or remove it")


def _groups(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    known = set(spec.components) | set(spec.groups)
    suggest = Suggester([*spec.components, *spec.groups])
    owner: dict[str, str] = {}
    for group in spec.groups.values():
        if not group.members:
            yield Finding("W203", f"group `{group.id}` contains nothing", group.path, on_key=True,
                          hint="list its members, or remove the group")
        for ref in group.members:
            if ref.id not in known:
                yield Finding("E203", f"group `{group.id}` names unknown member `{ref.id}`", ref.path,
                              hint=suggest.hint(ref.id) or "members are component or group ids")
            elif ref.id == group.id:
                yield Finding("E204", f"group `{group.id}` contains itself", ref.path,
                              hint="a group cannot be its own member")
            elif ref.id in owner and owner[ref.id] != group.id:
                yield Finding("E206", f"`{ref.id}` is in two groups: `{owner[ref.id]}` and `{group.id}`",
                              ref.path, hint="a box can sit in only one box; nest the groups instead")
            else:
                owner[ref.id] = group.id
    yield from _nesting(spec, owner)


def _nesting(spec, owner: dict[str, str]) -> Iterator[Finding]:
    """Cycles and depth of the group tree in one pass: each group's owner chain is walked
    once, and later walks stop at a group whose depth is already known."""
    depth: dict[str, int] = {}  # groups only; -1 while on the current walk, None in a cycle
    too_deep = False
    for gid in spec.groups:
        if gid in depth:
            continue
        walk = [gid]
        depth[gid] = -1
        node = gid
        while node in owner:
            node = owner[node]
            if node not in depth:
                depth[node] = -1
                walk.append(node)
                continue
            if depth[node] == -1:  # back on this walk: the groups from `node` on form a cycle
                cycle = walk[walk.index(node):]
                names = list(reversed(cycle + [node]))
                if len(names) > 8:  # a long cycle: its ends say enough
                    names = names[:4] + [f"… {len(names) - 7} more …"] + names[-3:]
                chain = " -> ".join(names)
                yield Finding("E204", f"groups contain each other: {chain}", spec.groups[cycle[0]].path,
                              on_key=True, hint="nesting must form a tree; remove one membership")
                for member in cycle:
                    depth[member] = 0
                walk = walk[: walk.index(node)]
                base = 0
            else:
                base = depth[node]
            break
        else:
            base = 0
        for member in reversed(walk):  # from the outermost group inwards
            base += 1
            depth[member] = base
            if base > MAX_GROUP_DEPTH and not too_deep:
                too_deep = True
                yield Finding("E005", f"groups nest {base} deep at `{member}`; the limit is {MAX_GROUP_DEPTH}",
                              spec.groups[member].path, on_key=True,
                              hint="flatten the groups, or split the architecture into several specs")
