"""The overview of a large architecture: each top-level group drawn as one node.

Flows inside a group disappear; flows between groups (or between a group and a component
outside every group) are bundled into one edge per direction and counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from archgen.model.model import Spec
from archgen.render.graph import GEdge, GNode, Graph, wrap


def collapse_groups(graph: Graph, spec: Spec) -> Graph:
    """``graph`` with every top-level group replaced by one node standing for its members."""
    if not graph.clusters:
        return graph
    owner: dict[str, str] = {}
    for cluster in graph.clusters:
        inside = spec.expand([cluster.id])
        for comp in spec.components:  # spec order, not the set's: the same icon on every run
            if comp in inside:
                owner[comp] = cluster.id
    nodes: list[GNode] = []
    placed: set[str] = set()
    by_id = {c.id: c for c in graph.clusters}
    icons = {n.component: n.icon for n in graph.nodes}  # already plated for the theme where needed
    for node in graph.nodes:
        gid = owner.get(node.component)
        if gid is None:
            nodes.append(node)
        elif gid not in placed:
            placed.add(gid)
            members = [c for c, g in owner.items() if g == gid]
            common = Counter(spec.components[c].service for c in members).most_common(1)[0][0]
            n = len(members)
            icon = next(icons[c] for c in members if spec.components[c].service == common)
            nodes.append(GNode(gid, wrap(by_id[gid].label), f"{n} component{'s' if n != 1 else ''}",
                               icon, component=gid, count=n))
    bundles: dict[tuple[str, str], list[GEdge]] = {}
    for edge in graph.edges:
        a = owner.get(edge.source_component, edge.source)
        b = owner.get(edge.target_component, edge.target)
        if a == b and a in by_id:
            continue  # inside one group
        bundles.setdefault((a, b), []).append(edge)
    edges = []
    for (a, b), group in bundles.items():
        kinds = Counter(e.kind for e in group)
        first = group[0]
        label = first.label if len(group) == 1 else f"{len(group)} flows"
        warning = ", ".join(dict.fromkeys(w for e in group if e.warning for w in e.warning.split(", "))) or None
        edges.append(replace(first, source=a, target=b, source_component=a, target_component=b,
                             label=label, kind=kinds.most_common(1)[0][0], written=len(group) == 1 and first.written,
                             count=len(group), warning=warning))
    return replace(graph, nodes=tuple(nodes), edges=tuple(edges), clusters=())
