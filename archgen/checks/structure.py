"""Structure: ids that flows and groups name must exist; groups nest without cycles.

FAIL (E201)::

    flows: [web -> clikcs]     # no component `clikcs`

FAIL (E204)::

    groups:
      a: {members: [b]}
      b: {members: [a]}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding


def _did_you_mean(name: str, candidates) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=2, cutoff=0.6)
    return f"did you mean {' or '.join('`' + c + '`' for c in close)}?" if close else None


def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    ids = spec.components
    used: set[str] = set()
    for flow in spec.flows:
        for ref in (flow.source, flow.target):
            if ref.id in ids:
                used.add(ref.id)
                continue
            if ref.id in spec.groups:
                hint = f"`{ref.id}` is a group; flows connect components — name a member instead"
            else:
                hint = _did_you_mean(ref.id, ids) or "declare it under sources, streams, stores or analytics"
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
    owner: dict[str, str] = {}
    for group in spec.groups.values():
        if not group.members:
            yield Finding("W203", f"group `{group.id}` contains nothing", group.path, on_key=True,
                          hint="list its members, or remove the group")
        for ref in group.members:
            if ref.id not in known:
                yield Finding("E203", f"group `{group.id}` names unknown member `{ref.id}`", ref.path,
                              hint=_did_you_mean(ref.id, known) or "members are component or group ids")
            elif ref.id == group.id:
                yield Finding("E204", f"group `{group.id}` contains itself", ref.path,
                              hint="a group cannot be its own member")
            elif ref.id in owner and owner[ref.id] != group.id:
                yield Finding("E206", f"`{ref.id}` is in two groups: `{owner[ref.id]}` and `{group.id}`",
                              ref.path, hint="a box can sit in only one box; nest the groups instead")
            else:
                owner[ref.id] = group.id
    # a cycle: following the owner chain from a group comes back to it
    reported: set[str] = set()
    for gid in spec.groups:
        seen = [gid]
        node = gid
        while node in owner:
            node = owner[node]
            if node == gid:
                cycle = seen
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    chain = " -> ".join(reversed(cycle + [gid]))
                    yield Finding("E204", f"groups contain each other: {chain}", spec.groups[gid].path,
                                  on_key=True, hint="nesting must form a tree; remove one membership")
                break
            if node in seen:
                break
            seen.append(node)
