"""How well a laid-out graph reads, measured on Graphviz's own geometry, and the settings tried.

Graphviz's ``dot`` minimises crossings heuristically; its result depends on settings such
as ``newrank`` and the ``minlen`` of edges between groups, and no one setting is best for
every architecture. The renderer lays a graph out with each ``Variant`` below and keeps the
one with the lowest ``Quality.score``, among those whose text stays nearly as large on a
slide as the best one's. Measured: ``benchmarks/layout_bench.py``.

Everything here reads the positions Graphviz stored on the laid-out pygraphviz graph
(node ``pos``/``width``/``height``, edge ``pos``/``lp``, cluster ``bb``), in points; no
picture is drawn. Edge label boxes are computed from their text with the font's advance
widths (``archgen/data/text-widths.yaml``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from archgen.render.graph import GCluster, Graph, wrap

FAR = 20.0  # a label further than this from its own edge reads as another edge's
OFF_ICON = 4.0  # an arrow tip further than this from its head's icon points at the text
LOOP = 1.5  # an edge longer than this times the straight distance between its ends is a loop
SAMPLES = 6  # points per cubic Bézier segment
# each of these spoils a picture more than one more crossing does
LABEL_WEIGHT, DETOUR_WEIGHT = 4, 3


@dataclass(frozen=True)
class Variant:
    """Graphviz settings to lay a graph out with."""

    name: str
    newrank: bool = False
    cross_minlen: int = 1  # minlen of an edge whose ends sit in different groups
    # components and groups handed to Graphviz in reverse spec order: dot's crossing
    # minimisation starts from the input order and ends in a different local optimum
    reverse: bool = False
    # a long chain wrapped into ``bands`` rows (columns top to bottom) at its ``rows``-th
    # best boundaries (1 the best, 0 not wrapped): see ``rows.cut``
    rows: int = 0
    bands: int = 2


_BASE = (Variant("plain"), Variant("newrank", newrank=True), Variant("spread", cross_minlen=2),
         Variant("wide", cross_minlen=3))
VARIANTS = _BASE + tuple(Variant(v.name + "-reversed", v.newrank, v.cross_minlen, reverse=True) for v in _BASE)
# tried too when a plain layout is a strip: two rows at each of the four best boundaries,
# then three, four and five rows
ROWS = (tuple(Variant(f"rows-{n}", rows=n) for n in (1, 2, 3, 4))
        + tuple(Variant(f"bands-{b}", rows=1, bands=b) for b in (3, 4, 5)))


@dataclass(frozen=True)
class Quality:
    crossings: int
    struck: int  # labels a line passes through (their own edge's or another's)
    far: int  # labels further than FAR from their own edge
    foreign: int  # edges through a group that holds neither end
    loops: int  # edges longer than LOOP times the straight distance
    off_icon: int = 0  # arrows that end further than OFF_ICON from their head's icon

    @property
    def score(self) -> int:
        """Lower is better: crossings, plus a weight per label or route problem."""
        return (self.crossings + LABEL_WEIGHT * (self.struck + self.far + self.off_icon)
                + DETOUR_WEIGHT * (self.foreign + self.loops))


Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _node_box(attrs) -> Box:
    x, y = _floats(attrs["pos"])[:2]
    w, h = float(attrs["width"]) * 72 / 2, float(attrs["height"]) * 72 / 2
    return x - w, y - h, x + w, y + h


def _icon_box(node: Box, icon_pt: float) -> Box:
    """The icon of a plain node: a square of ``icon_pt`` at the top centre of its table, under
    one point of cell padding."""
    cx = (node[0] + node[2]) / 2
    return cx - icon_pt / 2, node[3] - 1 - icon_pt, cx + icon_pt / 2, node[3] - 1


def _box_distance(b: Box, p: Point) -> float:
    return math.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]), max(b[1] - p[1], 0.0, p[1] - b[3]))


def wrong_way(pos: str) -> bool:
    """True when an edge ``pos`` has its arrow at the tail's end (``s,x,y``) and none at the
    head's: Graphviz draws some flows freed from ranking so, pointing the wrong way."""
    return pos.startswith("s,") and arrow_tip(pos) is None


def arrow_tip(pos: str) -> Point | None:
    """Where the arrowhead of an edge ``pos`` points (its ``e,x,y`` end)."""
    for token in pos.split():
        if token.startswith("e,"):
            x, y = _floats(token[2:])
            return x, y
    return None


# the Bézier weights at t = k / SAMPLES, k = 1..SAMPLES (u = 1 - t)
_WEIGHTS = tuple((u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3)
                 for t, u in ((k / SAMPLES, 1 - k / SAMPLES) for k in range(1, SAMPLES + 1)))


def spline_points(pos: str) -> list[Point]:
    """A Graphviz edge ``pos`` (``e,x,y s,x,y`` arrow ends, then B-spline control points) as a polyline."""
    control: list[Point] = []
    end: Point | None = None
    start: Point | None = None
    for token in pos.split():
        if token.startswith("e,"):
            x, y = _floats(token[2:])
            end = (x, y)
        elif token.startswith("s,"):
            x, y = _floats(token[2:])
            start = (x, y)
        else:
            x, y = _floats(token)[:2]
            control.append((x, y))
    if not control:
        return []
    out = [start] if start is not None else []
    out.append(control[0])
    for i in range(1, len(control) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = out[-1], control[i], control[i + 1], control[i + 2]
        # u³·p0 + 3u²t·p1 + 3ut²·p2 + t³·p3, each weight multiplied out left to right as written
        out.extend((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3) for a, b, c, d in _WEIGHTS)
    if end is not None:
        out.append(end)
    return out


def _bounds(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class _Line:
    """One edge ``pos`` parsed once: its polyline, bounding box, segments with their own boxes
    (``(p, q, x0, x1, y0, y1)``), arrow tip, polyline length and end-to-end distance."""

    points: tuple[Point, ...]
    bounds: Box
    segments: tuple[tuple[Point, Point, float, float, float, float], ...]
    tip: Point | None
    length: float
    straight: float


@lru_cache(maxsize=8192)
def _line(pos: str) -> _Line:
    """``spline_points`` and what the measurements derive from it, once per ``pos`` string
    (``place_labels`` and ``measure`` read the same layout's edges)."""
    points = tuple(spline_points(pos))
    bounds = _bounds(list(points)) if points else (0.0, 0.0, 0.0, 0.0)
    segments = tuple((p, q, min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]))
                     for p, q in zip(points, points[1:]))
    length = sum(math.dist(p, q) for p, q in zip(points, points[1:]))
    straight = math.dist(points[0], points[-1]) if points else 0.0
    return _Line(points, bounds, segments, arrow_tip(pos), length, straight)


def _segments_hit(segments, b: Box) -> bool:
    """``_hits`` on a ``_Line``'s segments (their boxes computed once)."""
    bx0, by0, bx1, by1 = b
    corners = None
    for p, q, sx0, sx1, sy0, sy1 in segments:
        if sx1 < bx0 or sx0 > bx1 or sy1 < by0 or sy0 > by1:
            continue  # the segment's own box is apart
        if (bx0 <= p[0] <= bx1 and by0 <= p[1] <= by1) or (bx0 <= q[0] <= bx1 and by0 <= q[1] <= by1):
            return True
        if corners is None:
            corners = [(bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1)]
        if any(_cross(p, q, corners[i], corners[(i + 1) % 4]) for i in range(4)):
            return True
    return False


def _struck(lines: list[_Line], inner: Box) -> bool:
    """True when any line with two points or more passes through ``inner``."""
    return any(len(ln.points) > 1 and _overlap(ln.bounds, inner) and _segments_hit(ln.segments, inner)
               for ln in lines)


def _further(line: _Line, b: Box, limit: float) -> bool:
    """``_distance(line.points, b) > limit``, stopping at the first sample within ``limit`` and
    passing over segments whose own box is further than ``limit`` (by a margin far above rounding)."""
    if _segments_hit(line.segments, b):
        return limit < 0.0  # the distance is 0
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    hw, hh = (b[2] - b[0]) / 2, (b[3] - b[1]) / 2
    reach = limit + 1e-6
    for p, q, sx0, sx1, sy0, sy1 in line.segments:
        if math.hypot(max(b[0] - sx1, 0.0, sx0 - b[2]), max(b[1] - sy1, 0.0, sy0 - b[3])) > reach:
            continue  # every sample of this segment lies in its box, further than ``limit``
        for k in range(5):
            t = k / 4
            x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
            dx, dy = max(abs(x - cx) - hw, 0.0), max(abs(y - cy) - hh, 0.0)
            if math.hypot(dx, dy) <= limit:
                return False
    return True


def _crossings(mine, theirs, bi: Box, bj: Box, shared: list[Box]) -> int:
    """How many places, 3 pt or more apart and 6 pt or more outside the ``shared`` end nodes,
    two lines cross; ``mine`` and ``theirs`` are ``_Line.segments``, ``bi`` and ``bj`` the lines'
    boxes. Segments are paired in order, and only when their own boxes meet."""
    bj0, bj1, bj2, bj3 = bj
    bi0, bi1, bi2, bi3 = bi
    theirs = [t for t in theirs if not (t[3] < bi0 or t[2] > bi2 or t[5] < bi1 or t[4] > bi3)]  # apart from all of mine
    found: list[Point] = []
    for p, q, px0, px1, py0, py1 in mine:
        if px1 < bj0 or px0 > bj2 or py1 < bj1 or py0 > bj3:
            continue
        for r, s, rx0, rx1, ry0, ry1 in theirs:
            if rx1 < px0 or rx0 > px1 or ry1 < py0 or ry0 > py1:
                continue
            x = _cross(p, q, r, s)
            if x is None or any(_inside(b, x, 6) for b in shared):
                continue
            if all(math.dist(x, f) > 3 for f in found):
                found.append(x)
    return len(found)


def _overlap(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a[0] - pad < b[2] and b[0] - pad < a[2] and a[1] - pad < b[3] and b[1] - pad < a[3]


def _inside(b: Box, p: Point, pad: float = 0.0) -> bool:
    return b[0] - pad <= p[0] <= b[2] + pad and b[1] - pad <= p[1] <= b[3] + pad


def _cross(p: Point, q: Point, r: Point, s: Point) -> Point | None:
    d = (q[0] - p[0]) * (s[1] - r[1]) - (q[1] - p[1]) * (s[0] - r[0])
    if abs(d) < 1e-9:
        return None
    t = ((r[0] - p[0]) * (s[1] - r[1]) - (r[1] - p[1]) * (s[0] - r[0])) / d
    u = ((r[0] - p[0]) * (q[1] - p[1]) - (r[1] - p[1]) * (q[0] - p[0])) / d
    if 0 <= t <= 1 and 0 <= u <= 1:
        return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
    return None


def _hits(points: list[Point], b: Box) -> bool:
    """True when the polyline passes through box ``b``."""
    corners = [(b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3])]
    for p, q in zip(points, points[1:]):
        if max(p[0], q[0]) < b[0] or min(p[0], q[0]) > b[2] or max(p[1], q[1]) < b[1] or min(p[1], q[1]) > b[3]:
            continue  # the segment's own box is apart
        if _inside(b, p) or _inside(b, q):
            return True
        if any(_cross(p, q, corners[i], corners[(i + 1) % 4]) for i in range(4)):
            return True
    return False


def _distance(points: list[Point], b: Box) -> float:
    """Distance from box ``b`` to the polyline (0 when it passes through)."""
    if _hits(points, b):
        return 0.0
    best = math.inf
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    hw, hh = (b[2] - b[0]) / 2, (b[3] - b[1]) / 2
    for p, q in zip(points, points[1:]):
        for k in range(5):  # along the segment: enough to tell 20 pt from 40 pt
            t = k / 4
            x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
            dx, dy = max(abs(x - cx) - hw, 0.0), max(abs(y - cy) - hh, 0.0)
            best = min(best, math.hypot(dx, dy))
    return best


@lru_cache(maxsize=1)
def _widths() -> tuple[dict[str, float], float]:
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("archgen.data").joinpath("text-widths.yaml").read_text("utf-8"))
    return {str(k): float(v) for k, v in data["widths"].items()}, float(data["default"])


def text_width(text: str, size: float) -> float:
    """The width in points of one line of text in the diagrams' font at ``size`` points."""
    widths, default = _widths()
    return sum(widths.get(c, default) for c in text) * size


def _label_box(lp: str, text: str, warning: str | None, size: float, wrap_at: int) -> Box:
    """An edge label's text box around its centre ``lp``, from its wrapped lines."""
    x, y = _floats(lp)[:2]
    w, h = _label_extent(text, warning, size, wrap_at)
    return x - w, y - h, x + w, y + h


@lru_cache(maxsize=4096)
def _label_extent(text: str, warning: str | None, size: float, wrap_at: int) -> tuple[float, float]:
    """Half the width and half the height of an edge label's wrapped text."""
    lines = wrap(text, wrap_at) if text else []
    if warning:
        lines = [*lines, "\u26a0 " + warning]
    w = max((text_width(line, size) for line in lines), default=0.0) / 2
    h = len(lines) * size * 1.2 / 2
    return w, h


def _walk(clusters: Iterable[GCluster], path: tuple[str, ...] = ()):
    for c in clusters:
        yield c, path + (c.id,)
        yield from _walk(c.clusters, path + (c.id,))


def backtrack(g, graph: Graph) -> float:
    """How far the flows run against the graph's direction, in widths (heights top to bottom)
    of the picture: a reader follows a line back across the picture with effort. Zero when
    every flow points forward, as in an unwrapped layout without cycles."""
    axis, sign = {"LR": (0, 1), "RL": (0, -1), "TB": (1, -1), "BT": (1, 1)}[graph.direction]
    bb = _floats(str(g.graph_attr["bb"]))
    extent = max(bb[axis + 2] - bb[axis], 1.0)
    at = {n.id: _floats(g.get_node(n.id).attr["pos"])[axis] for n in graph.nodes}
    return sum(max(0.0, sign * (at[e.source] - at[e.target])) for e in graph.edges) / extent


def measure(g, graph: Graph, subgraphs: dict, label_pt: float, wrap_at: int, icon_pt: float = 44) -> Quality:
    """The ``Quality`` of ``g``, the laid-out pygraphviz graph of ``graph`` (``icon_pt``: the
    size of a plain node's icon, where its arrows end; an EMR cluster's end at its border)."""
    nodes = {n.id: _node_box(g.get_node(n.id).attr) for n in graph.nodes}
    heads = {n.id: nodes[n.id] if n.groups else _icon_box(nodes[n.id], icon_pt) for n in graph.nodes}
    groups: dict[str, tuple[str, ...]] = {}  # node -> the groups around it
    boxes: dict[str, Box] = {}
    for cluster, path in _walk(graph.clusters):
        bb = subgraphs[cluster.id].graph_attr.get("bb")
        if bb:
            x0, y0, x1, y1 = _floats(bb)
            boxes[cluster.id] = (x0 + 2, y0 + 2, x1 - 2, y1 - 2)
        for nid in cluster.nodes:
            groups[nid] = path
    lines: list[_Line] = []
    labels: list[Box | None] = []
    off_icon = 0
    for i, edge in enumerate(graph.edges):
        attrs = g.get_edge(edge.source, edge.target, key=str(i)).attr
        pos = attrs.get("pos") or ""
        line = _line(pos)
        lines.append(line)
        if wrong_way(pos) or (line.tip is not None and _box_distance(heads[edge.target], line.tip) > OFF_ICON):
            off_icon += 1
        lp = attrs.get("lp")
        labels.append(_label_box(lp, edge.label or "", edge.warning, label_pt, wrap_at)
                      if lp and (edge.label or edge.warning) else None)
    crossings = struck = far = foreign = loops = 0
    edges = graph.edges
    for i, edge in enumerate(edges):
        line = lines[i]
        points = line.points
        if len(points) < 2:
            continue
        bi = line.bounds
        ends = {edge.source, edge.target}
        for j in range(i + 1, len(edges)):
            other = lines[j]
            bj = other.bounds
            if len(other.points) < 2 or not _overlap(bi, bj, 1):
                continue
            crossings += _crossings(line.segments, other.segments, bi, bj,
                                    [nodes[n] for n in ends & {edges[j].source, edges[j].target}])
        box = labels[i]
        if box is not None:
            inner = (box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1)  # a line touching the text is fine
            if _struck(lines, inner):
                struck += 1
            if _further(line, box, FAR):
                far += 1
        allowed = set(groups.get(edge.source, ())) | set(groups.get(edge.target, ()))
        if any(_inside(b, p) for cid, b in boxes.items()
               if cid not in allowed and not (bi[2] < b[0] or bi[0] > b[2] or bi[3] < b[1] or bi[1] > b[3])
               for p in points[1:-1]):
            foreign += 1
        if line.straight > 1 and line.length / line.straight > LOOP:
            loops += 1
    return Quality(crossings, struck, far, foreign, loops, off_icon)


# where along its own edge a label may move, as shares of the edge's length, best first
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
GAP = 3.0  # points between a moved label and its own line
NEAR = 15.0  # a label further than this from its own edge is moved (FAR, with a margin)


def _along(points: list[Point], share: float) -> tuple[Point, Point]:
    """The point at ``share`` of the polyline's length and the unit direction there."""
    steps = [math.dist(p, q) for p, q in zip(points, points[1:])]
    goal = sum(steps) * share
    for (p, q), step in zip(zip(points, points[1:]), steps):
        if step > 0 and goal <= step:
            t = goal / step
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])), ((q[0] - p[0]) / step, (q[1] - p[1]) / step)
        goal -= step
    p, q = points[-2], points[-1]
    step = math.dist(p, q) or 1.0
    return q, ((q[0] - p[0]) / step, (q[1] - p[1]) / step)


def _group_title(cluster: GCluster, bb: Box, size: float) -> Box:
    """The box of a group's title, top left inside its box (``labeljust=l``)."""
    width = text_width(cluster.label, size) * 1.08  # bold
    return bb[0] + 6, bb[3] - size * 1.2 - 8, bb[0] + 10 + width, bb[3]


def place_labels(g, graph: Graph, subgraphs: dict, label_pt: float, wrap_at: int, group_pt: float) -> int:
    """Move each edge label that a line runs through, or that sits over ``NEAR`` pt from its
    own edge, to the first place beside its own line (halfway first) that no line, node, group
    title or other label covers. Changes the ``lp`` Graphviz draws from; returns how many moved.
    """
    nodes = [_node_box(n.attr) for n in g.nodes()]  # the legend's too, when drawn
    titles = []
    for cluster, _path in _walk(graph.clusters):
        bb = subgraphs[cluster.id].graph_attr.get("bb")
        if bb:
            titles.append(_group_title(cluster, tuple(_floats(bb)), group_pt))
    edges = [g.get_edge(e.source, e.target, key=str(i)) for i, e in enumerate(graph.edges)]
    lines = [_line(e.attr.get("pos") or "") for e in edges]
    labels: list[Box | None] = []
    for edge, drawn in zip(graph.edges, edges):
        lp = drawn.attr.get("lp")
        labels.append(_label_box(lp, edge.label or "", edge.warning, label_pt, wrap_at)
                      if lp and (edge.label or edge.warning) else None)
    x0, y0, x1, y1 = _floats(g.graph_attr["bb"])

    def struck(box: Box) -> bool:
        return _struck(lines, (box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1))

    def free(box: Box, i: int) -> bool:
        if not (x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1):
            return False
        if any(_overlap(box, b, 2) for b in nodes) or any(_overlap(box, b, 2) for b in titles):
            return False
        if any(b is not None and j != i and _overlap(box, b, 2) for j, b in enumerate(labels)):
            return False
        return not struck((box[0] - GAP + 1, box[1] - GAP + 1, box[2] + GAP - 1, box[3] + GAP - 1))

    moved = 0
    for i, box in enumerate(labels):
        points = lines[i].points
        if box is None or len(points) < 2:
            continue
        if not struck(box) and not _further(lines[i], box, NEAR):
            continue
        w, h = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
        for share in ALONG:
            (px, py), (dx, dy) = _along(points, share)
            nx, ny = -dy, dx
            reach = abs(nx) * w + abs(ny) * h + GAP  # from the line to the box's centre
            for side in (1, -1):
                cx, cy = px + side * nx * reach, py + side * ny * reach
                candidate = (cx - w, cy - h, cx + w, cy + h)
                if free(candidate, i):
                    labels[i] = candidate
                    edges[i].attr["lp"] = f"{cx:.2f},{cy:.2f}"
                    moved += 1
                    break
            else:
                continue
            break
    return moved
