"""Measure the layout quality of a Graphviz SVG (archgen's or a plain `diagrams` program's).

    python benchmarks/layout_metrics.py picture.svg [more.svg ...] [--json]

Everything is read from the SVG geometry: node groups (their icon ``<use>`` or ``<image>`` and texts),
edge groups (path, arrowhead, label texts) and cluster groups. Text boxes are measured with
the DejaVu Sans metrics when the font file is there (as Graphviz measured them), otherwise
estimated. Coordinates are SVG user units (points at scale 1).

Reported per picture:

- ``crossings``: points where two edges cross, away from a node both of them touch;
- ``struck_own`` / ``struck_other``: edge labels whose box a line of their own edge / of
  another edge passes through;
- ``far_labels``: labels further than 20 pt from their own edge;
- ``foreign``: edges whose line passes through a group that holds neither of their ends;
- ``loops`` / ``max_detour``: edges whose length is over 1.5 times the straight distance
  between their ends, and the largest such ratio;
- ``arrow_gap``: the largest distance from an arrow's tip to the icon of the node it points
  at (edges into a cluster box are left out);
- ``overlaps``: text boxes of edge labels over an icon or over another text;
- ``repeats``: edge labels drawn more than once (every copy after the first);
- ``margin`` / ``blank_band``: the widest empty margin at the canvas border and the widest
  empty band (horizontal or vertical strip with nothing in it) anywhere, in pt;
- ``aspect``: width / height; ``text_px_1280``: the smallest text in px when the picture is
  fitted to 1280 px wide; ``text_px_slide``: the same fitted into 1280×720.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from archgen.render.geometry import Box  # the renderer's own rectangle
from archgen.render.quality import _cross  # the same segment intersection the layout search scores

SVG = "{http://www.w3.org/2000/svg}"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAR = 20.0
LOOP = 1.5


@dataclass
class Text:
    text: str
    size: float
    box: Box


@dataclass
class Node:
    name: str
    box: Box
    icon: Box | None
    texts: list[Text] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)


@dataclass
class Edge:
    tail: str
    head: str
    points: list[tuple[float, float]]
    tip: tuple[float, float] | None
    labels: list[Text] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(t.text for t in self.labels)

    @property
    def label_box(self) -> Box | None:
        box = None
        for t in self.labels:
            box = t.box if box is None else box.union(t.box)
        return box


@dataclass
class Cluster:
    name: str
    box: Box
    texts: list[Text] = field(default_factory=list)


@dataclass
class Drawing:
    width: float
    height: float
    nodes: dict[str, Node]
    edges: list[Edge]
    clusters: list[Cluster]
    texts: list[Text]  # every text, graph title included


@lru_cache(maxsize=64)
def _font(size: float, bold: bool):
    try:
        from PIL import ImageFont

        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        return ImageFont.truetype(str(FONT_DIR / name), size=max(1, round(size * 10)))
    except Exception:  # no Pillow or no font file: estimate instead
        return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of a line of DejaVu Sans text in points."""
    font = _font(size, bold)
    if font is None:
        return len(text) * size * (0.64 if bold else 0.58)
    return font.getlength(text) / 10


_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _floats(text: str) -> list[float]:
    return [float(x) for x in _NUM.findall(text or "")]


def _cubic(p0, p1, p2, p3, steps: int = 12):
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        yield (u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
               u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1])


def path_points(d: str) -> list[tuple[float, float]]:
    """Sample a Graphviz edge path (``M`` then ``C`` cubic segments, or ``L`` lines) into a polyline."""
    out: list[tuple[float, float]] = []
    for cmd, args in re.findall(r"([MCLmcl])([^MCLmcl]*)", d):
        nums = _floats(args)
        pts = list(zip(nums[0::2], nums[1::2], strict=False))
        if cmd in "Mm":
            out.extend(pts[:1])
            out.extend(pts[1:])
        elif cmd in "Ll":
            out.extend(pts)
        else:
            for i in range(0, len(pts) - 2, 3):
                out.extend(_cubic(out[-1], pts[i], pts[i + 1], pts[i + 2]))
    return out


def _shape_box(el) -> Box | None:
    tag = el.tag.replace(SVG, "")
    if tag in ("polygon", "polyline"):
        nums = _floats(el.get("points"))
    elif tag == "path":
        nums = _floats(el.get("d"))
    elif tag == "ellipse":
        cx, cy = float(el.get("cx")), float(el.get("cy"))
        rx, ry = float(el.get("rx")), float(el.get("ry"))
        return Box(cx - rx, cy - ry, cx + rx, cy + ry)
    elif tag in ("image", "use"):  # an icon: embedded once as a <symbol>, drawn with <use>
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        w, h = _floats(el.get("width"))[0], _floats(el.get("height"))[0]
        return Box(x, y, x + w, y + h)
    else:
        return None
    if len(nums) < 2:
        return None
    xs, ys = nums[0::2], nums[1::2]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _text(el) -> Text | None:
    content = "".join(el.itertext()).strip()
    if not content:
        return None
    size = float(el.get("font-size", "14"))
    bold = el.get("font-weight") == "bold"
    width = text_width(content, size, bold)
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    anchor = el.get("text-anchor", "start")
    x0 = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    # DejaVu Sans: ascent about 0.76 of the size, descent about 0.24
    return Text(content, size, Box(x0, y - 0.76 * size, x0 + width, y + 0.24 * size))


def _ends(title: str) -> tuple[str, str]:
    tail, _, head = title.partition("->")
    if not head:
        tail, _, head = title.partition("--")
    return tail.split(":")[0].strip(), head.split(":")[0].strip()


def parse_svg(data: bytes | str) -> Drawing:
    """Nodes, edges, clusters and texts of a Graphviz SVG, in the SVG's viewBox coordinates."""
    root = ET.fromstring(data)
    view = _floats(root.get("viewBox", ""))
    width, height = (view[2], view[3]) if len(view) == 4 else (_floats(root.get("width"))[0],
                                                                 _floats(root.get("height"))[0])
    graph = root.find(f"{SVG}g")
    transform = graph.get("transform", "")
    scale = re.search(r"scale\(([^)]*)\)", transform)
    translate = re.search(r"translate\(([^)]*)\)", transform)
    sx = _floats(scale.group(1))[0] if scale else 1.0
    tx, ty = (_floats(translate.group(1)) + [0, 0])[:2] if translate else (0.0, 0.0)

    def pt(x: float, y: float) -> tuple[float, float]:
        return (x + tx) * sx, (y + ty) * sx

    def box(b: Box) -> Box:
        x0, y0 = pt(b.x0, b.y0)
        x1, y1 = pt(b.x1, b.y1)
        return Box(x0, y0, x1, y1)

    def texts_of(el) -> list[Text]:
        out = []
        for t in el.iter(f"{SVG}text"):
            item = _text(t)
            if item is not None:
                out.append(Text(item.text, item.size * sx, box(item.box)))
        return out

    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    clusters: list[Cluster] = []
    texts: list[Text] = []
    for g in graph.iter(f"{SVG}g"):
        kind = g.get("class", "")
        title_el = g.find(f"{SVG}title")
        title = title_el.text if title_el is not None and title_el.text else ""
        if kind == "node":
            shapes = [b for el in g.iter() if (b := _shape_box(el)) is not None]
            images = [_shape_box(el) for el in g.iter() if el.tag in (f"{SVG}image", f"{SVG}use")]
            own = texts_of(g)
            whole = None
            for b in [box(s) for s in shapes] + [t.box for t in own]:
                whole = b if whole is None else whole.union(b)
            if whole is None:
                continue
            # a node of several pictures (an EMR cluster) is a box: arrows end at its border
            icon = box(images[0]) if len(images) == 1 else None
            nodes[title] = Node(title, whole, icon, own, [box(b) for b in images])
            texts.extend(own)
        elif kind == "edge":
            tail, head = _ends(title)
            points: list[tuple[float, float]] = []
            for p in g.iter(f"{SVG}path"):
                points.extend(pt(x, y) for x, y in path_points(p.get("d", "")))
            heads = [_shape_box(el) for el in g.iter() if el.tag in (f"{SVG}polygon", f"{SVG}ellipse")]
            tip = None
            if points and heads:
                last = points[-1]
                corners = []
                for el in g.iter():
                    if el.tag == f"{SVG}polygon":
                        nums = _floats(el.get("points"))
                        corners.extend(pt(x, y) for x, y in zip(nums[0::2], nums[1::2], strict=False))
                    elif el.tag == f"{SVG}ellipse":
                        b = box(_shape_box(el))
                        corners.extend([(b.x0, b.y0), (b.x1, b.y1), (b.x0, b.y1), (b.x1, b.y0)])
                # the tip is the arrowhead point furthest from where the line stops
                tip = max(corners, key=lambda c: math.dist(c, last)) if corners else last
                if any(el.tag == f"{SVG}ellipse" for el in g.iter()):
                    tip = max(corners, key=lambda c: math.dist(c, last))
            elif points:
                tip = points[-1]
            own = texts_of(g)
            edges.append(Edge(tail, head, points, tip, own))
            texts.extend(own)
        elif kind == "cluster":
            shapes = [b for el in g if (b := _shape_box(el)) is not None]
            if not shapes:
                continue
            whole = shapes[0]
            for b in shapes[1:]:
                whole = whole.union(b)
            own = texts_of(g)
            clusters.append(Cluster(title, box(whole), own))
            texts.extend(own)
        elif kind == "graph":
            for t in g.findall(f"{SVG}text"):
                item = _text(t)
                if item is not None:
                    texts.append(Text(item.text, item.size * sx, box(item.box)))
    return Drawing(width, height, nodes, edges, clusters, texts)


def _segments(points):
    return list(zip(points, points[1:], strict=False))


def _segment_hits_box(p, q, b: Box) -> bool:
    if b.contains(*p) or b.contains(*q):
        return True
    corners = [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)]
    return any(_cross(p, q, corners[i], corners[(i + 1) % 4]) for i in range(4))


def _polyline_hits_box(points, b: Box) -> bool:
    return any(_segment_hits_box(p, q, b) for p, q in _segments(points))


def _seg_distance(p, q, x, y) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((x - p[0]) * dx + (y - p[1]) * dy) / n))
    return math.hypot(p[0] + t * dx - x, p[1] + t * dy - y)


def _box_polyline_distance(b: Box, points) -> float:
    if _polyline_hits_box(points, b):
        return 0.0
    corners = [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)]
    best = min(b.distance(*p) for p in points)
    for p, q in _segments(points):
        for c in corners:
            best = min(best, _seg_distance(p, q, *c))
    return best


def _length(points) -> float:
    return sum(math.dist(p, q) for p, q in _segments(points))


def crossings(d: Drawing) -> int:
    """Crossing points between pairs of edges, leaving out those inside a node both edges touch."""
    total = 0
    segs = [_segments(e.points) for e in d.edges]
    bounds = []
    for e in d.edges:
        xs = [p[0] for p in e.points] or [0]
        ys = [p[1] for p in e.points] or [0]
        bounds.append(Box(min(xs), min(ys), max(xs), max(ys)))
    for i in range(len(d.edges)):
        for j in range(i + 1, len(d.edges)):
            if not bounds[i].inset(-1).overlaps(bounds[j]):
                continue
            a, b = d.edges[i], d.edges[j]
            shared = [d.nodes[n].box.inset(-6) for n in {a.tail, a.head} & {b.tail, b.head} if n in d.nodes]
            found: list[tuple[float, float]] = []
            for p, q in segs[i]:
                for r, s in segs[j]:
                    x = _cross(p, q, r, s)
                    if x is None or any(box.contains(*x) for box in shared):
                        continue
                    if all(math.dist(x, f) > 3 for f in found):
                        found.append(x)
            total += len(found)
    return total


def _member_clusters(d: Drawing, node: str) -> set[int]:
    n = d.nodes.get(node)
    if n is None:
        return set()
    cx, cy = n.box.centre
    return {i for i, c in enumerate(d.clusters) if c.box.contains(cx, cy)}


def _to_border(b: Box, x: float, y: float) -> float:
    if not b.contains(x, y):
        return b.distance(x, y)
    return min(x - b.x0, b.x1 - x, y - b.y0, b.y1 - y)


def _icon(n: Node) -> Box:
    return n.icon if n.icon is not None else n.box


def measure(d: Drawing) -> dict:
    """Every metric of one drawing (see the module docstring)."""
    struck_own = struck_other = far = foreign = loops = overlaps = 0
    max_detour = 1.0
    arrow_gap = 0.0
    node_texts = [t.box for n in d.nodes.values() for t in n.texts]
    icons = [box for n in d.nodes.values() for box in n.images]
    label_boxes = [(i, e.label_box) for i, e in enumerate(d.edges) if e.label_box is not None]
    for i, e in enumerate(d.edges):
        lb = e.label_box
        if lb is not None and e.points:
            inner = lb.inset(1)
            if _polyline_hits_box(e.points, inner):
                struck_own += 1
            if any(_polyline_hits_box(o.points, inner) for j, o in enumerate(d.edges) if j != i and o.points):
                struck_other += 1
            if _box_polyline_distance(lb, e.points) > FAR:
                far += 1
            others = [b for j, b in label_boxes if j != i] + node_texts + icons
            if any(inner.overlaps(b) for b in others):
                overlaps += 1
        if len(e.points) >= 2:
            ends = _member_clusters(d, e.tail) | _member_clusters(d, e.head)
            inner_points = e.points[1:-1]
            for k, c in enumerate(d.clusters):
                if k in ends:
                    continue
                box = c.box.inset(2)
                if any(box.contains(*p) for p in inner_points):
                    foreign += 1
                    break
            straight = math.dist(e.points[0], e.points[-1])
            if straight > 1:
                ratio = _length(e.points) / straight
                max_detour = max(max_detour, ratio)
                if ratio > LOOP:
                    loops += 1
        head = d.nodes.get(e.head)
        # an edge into a cluster box (lhead) stops at the box, not at a node
        if head is not None and e.tip is not None and not any(
                _to_border(c.box, *e.tip) < 4 for c in d.clusters if c.box.contains(*head.box.centre)):
            arrow_gap = max(arrow_gap, _icon(head).distance(*e.tip))
    labels = [e.label for e in d.edges if e.label]
    repeats = len(labels) - len(set(labels))
    content = None
    items = [n.box for n in d.nodes.values()] + [c.box for c in d.clusters] + [t.box for t in d.texts]
    for e in d.edges:
        if e.points:
            xs, ys = [p[0] for p in e.points], [p[1] for p in e.points]
            items.append(Box(min(xs), min(ys), max(xs), max(ys)))
    for b in items:
        content = b if content is None else content.union(b)
    content = content or Box(0, 0, d.width, d.height)
    margin = max(content.x0, content.y0, d.width - content.x1, d.height - content.y1, 0.0)
    band = max(_largest_gap([(b.y0, b.y1) for b in items], d.height),
               _largest_gap([(b.x0, b.x1) for b in items], d.width))
    smallest = min((t.size for t in d.texts), default=0.0)
    return {
        "nodes": len(d.nodes), "edges": len(d.edges),
        "crossings": crossings(d), "struck_own": struck_own, "struck_other": struck_other,
        "far_labels": far, "foreign": foreign, "loops": loops, "max_detour": round(max_detour, 2),
        "arrow_gap": round(arrow_gap, 1), "overlaps": overlaps, "repeats": repeats,
        "margin": round(margin, 1), "blank_band": round(band, 1),
        "width": round(d.width, 1), "height": round(d.height, 1),
        "aspect": round(d.width / d.height, 2) if d.height else 0.0,
        "text_px_1280": round(smallest * 1280 / d.width, 1) if d.width else 0.0,
        "text_px_slide": round(smallest * min(1280 / d.width, 720 / d.height), 1) if d.width else 0.0,
    }


def _largest_gap(spans: list[tuple[float, float]], extent: float) -> float:
    """The widest stretch of [0, extent] that no span covers."""
    best, reach = 0.0, 0.0
    for lo, hi in sorted(spans):
        best = max(best, lo - reach)
        reach = max(reach, hi)
    return max(best, extent - reach)


def measure_file(path: str | Path) -> dict:
    return measure(parse_svg(Path(path).read_bytes()))


COLUMNS = ("crossings", "struck_own", "struck_other", "far_labels", "foreign", "loops", "max_detour",
           "arrow_gap", "overlaps", "repeats", "margin", "blank_band", "aspect", "text_px_1280",
           "text_px_slide")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", nargs="+")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = {p: measure_file(p) for p in args.svg}
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return 0
    sys.stdout.write("| svg | " + " | ".join(COLUMNS) + " |\n")
    sys.stdout.write("|---" * (len(COLUMNS) + 1) + "|\n")
    for p, m in results.items():
        sys.stdout.write(f"| {Path(p).name} | " + " | ".join(str(m[c]) for c in COLUMNS) + " |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
