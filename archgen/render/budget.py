"""The layout budget: how large a diagram archgen hands to Graphviz.

Graphviz's layout time and memory grow much faster than the diagram; the limits in
``archgen/data/layout-limits.yaml`` come from ``benchmarks/bench_layout_cost.py``. The same
sizes are counted from a checked spec (``spec_size``, for ``archgen check`` and every command
that checks first) and from the graph about to be drawn (``graph_size``, the last guard
before Graphviz runs, which also covers ``slides --allow-errors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data
from archgen.model.model import Spec

HINT = ("split the architecture into several specs, or draw an overview with `archgen render "
        "--collapse` (one node per top-level group); views crop one layout of the whole diagram, "
        "so they do not make it smaller")


@dataclass(frozen=True)
class Size:
    """What Graphviz is given: nodes, edges and clusters (groups drawn as boxes)."""

    nodes: int
    edges: int
    clusters: int


@lru_cache(maxsize=1)
def layout_limits() -> Size:
    """The largest diagram laid out (``archgen/data/layout-limits.yaml``)."""
    data = read_data("layout-limits.yaml")
    return Size(int(data["nodes"]), int(data["edges"]), int(data["clusters"]))


def spec_size(spec: Spec, collapse: bool = False) -> Size:
    """The size of the diagram a checked spec draws; with ``collapse``, of its overview
    (each top-level group one node, flows between them bundled, no boxes), as
    ``archgen.render.collapse`` draws it."""
    if not collapse or not spec.groups:
        return Size(len(spec.components), len(spec.flows), len(spec.groups))
    parent = spec.component_groups()
    owner: dict[str, str] = {}
    for gid in spec.groups:
        if gid not in parent:
            for comp in spec.expand([gid]):
                owner[comp] = gid
    nodes = len(set(owner.values())) + sum(1 for c in spec.components if c not in owner)
    bundles = set()
    for flow in spec.flows:
        a = owner.get(flow.source.id, flow.source.id)
        b = owner.get(flow.target.id, flow.target.id)
        if not (a == b and a in spec.groups):
            bundles.add((a, b))
    return Size(nodes, len(bundles), 0)


def graph_size(graph) -> Size:
    """The size of a graph model (``archgen.render.graph.Graph``) about to be laid out."""
    clusters, stack = 0, list(graph.clusters)
    while stack:
        cluster = stack.pop()
        clusters += 1
        stack.extend(cluster.clusters)
    return Size(len(graph.nodes), len(graph.edges), clusters)


def over_budget(size: Size) -> tuple[str, str] | None:
    """Why a diagram of ``size`` is not laid out and what is over first (``nodes``, ``edges``
    or ``clusters``), or None when it is within the limits."""
    limit = layout_limits()
    over = [(f"{have:,} {noun} (the limit is {most:,})", what)
            for have, most, noun, what in ((size.nodes, limit.nodes, "nodes", "nodes"),
                                           (size.edges, limit.edges, "edges", "edges"),
                                           (size.clusters, limit.clusters, "groups", "clusters"))
            if have > most]
    if not over:
        return None
    return ("the diagram is too large to lay out in reasonable time and memory: it has "
            + ", ".join(text for text, _ in over), over[0][1])


def finding_path(what: str, data: dict) -> tuple:
    """Where the finding points: the flows, the groups, or the first section of components."""
    if what == "edges" and "flows" in data:
        return ("flows",)
    if what == "clusters" and "groups" in data:
        return ("groups",)
    return next(((role,) for role in ("sources", "streams", "stores", "analytics") if role in data), ())
