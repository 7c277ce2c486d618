"""Where to wrap a long chain into rows, so that a wide picture suits a slide.

Graphviz's ``dot`` puts every node on a rank along the graph's direction (columns in a
left-to-right layout) and nothing else: a long pipeline becomes a thin strip. Freeing the
flows that cross one rank boundary from ranking (``constraint=false``) lets the nodes after
it start again at the first rank, beside the nodes before it: the chain is drawn as two
rows (two columns top to bottom), joined by the freed flows, and cut at more boundaries, as
more rows. Which boundaries are cut is chosen here, on the graph model; the renderer lays
each cut graph out as one more candidate and keeps it only when it measures better
(``graphviz._searched``).
"""

from __future__ import annotations

from archgen.render.graph import GCluster, Graph, cluster_members, walk_clusters

MIN_RANKS = 4  # a chain shorter than this has nothing to wrap
SPLIT_COST = 4  # a group cut into both rows costs this many crossing flows
# the cut stays in the middle half of the chain, so both rows are long enough to matter
LOW, HIGH = 0.25, 0.75


def ranks(graph: Graph) -> dict[str, int]:
    """Each node's rank as ``dot`` would first give it: the longest path from a source.

    Flows that close a cycle (met again while still on the walk's path) are left out, as
    ``dot`` reverses them.
    """
    after: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for edge in graph.edges:
        if edge.source in after and edge.target in after:
            after[edge.source].append(edge.target)
    order: list[str] = []  # reverse post-order of a depth-first walk: a topological order
    state: dict[str, int] = {}  # 1 on the walk's path, 2 done
    forward: set[tuple[str, str]] = set()
    for root in after:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(after[root]))]
        while stack:  # iterative, so a deep chain cannot exhaust the recursion limit
            node, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(nxt) != 1:
                forward.add((node, nxt))
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(after[nxt])))
    rank = dict.fromkeys(after, 0)
    for node in reversed(order):
        for nxt in after[node]:
            if (node, nxt) in forward:
                rank[nxt] = max(rank[nxt], rank[node] + 1)
    return rank


def _spans(clusters: tuple[GCluster, ...], rank: dict[str, int]) -> list[tuple[int, int]]:
    """The first and last rank of every group, nested ones too."""
    spans = []
    for cluster in walk_clusters(clusters):
        members = [m for m in cluster_members(cluster) if m in rank]
        if members:
            spans.append((min(rank[m] for m in members), max(rank[m] for m in members)))
    return spans


def cut(graph: Graph, choice: int = 0, rows: int = 2) -> frozenset[int]:
    """The indices of the flows to free so that the graph wraps into ``rows`` rows; empty
    when it is too short to wrap so.

    Into two rows, the boundary chosen is the one in the middle half of the chain that the
    fewest flows cross, each group cut in two counting ``SPLIT_COST`` flows; ties take the
    one nearest the middle, then the earlier; ``choice`` 1 is the next best boundary, and so
    on. Into more rows, each boundary is the best so ranked within its share of the chain
    (the ``j``-th of ``rows - 1`` around ``j / rows`` of its length).
    """
    rank = ranks(graph)
    length = max(rank.values(), default=0) + 1
    if length < max(MIN_RANKS, 2 * rows):
        return frozenset()
    spans = _spans(graph.clusters, rank)
    ends = [(rank.get(e.source), rank.get(e.target)) for e in graph.edges]

    def crossing(k: int) -> list[int]:
        return [i for i, (a, b) in enumerate(ends)
                if a is not None and b is not None and min(a, b) < k <= max(a, b)]

    def ranked(low: float, high: float, middle: float) -> list[int]:
        def cost(k: int) -> tuple[float, float]:
            split = sum(1 for lo, hi in spans if lo < k <= hi)
            return len(crossing(k)) + SPLIT_COST * split, abs(k - middle)

        return sorted(range(max(1, round(low)), min(length - 1, round(high)) + 1), key=cost)

    if rows == 2:
        best = ranked(length * LOW, length * HIGH, length / 2)
        return frozenset(crossing(best[choice])) if choice < len(best) else frozenset()
    if choice:
        return frozenset()
    share = length / rows
    freed: set[int] = set()
    for j in range(1, rows):
        freed.update(crossing(ranked(j * share - share / 2, j * share + share / 2, j * share)[0]))
    return frozenset(freed)
