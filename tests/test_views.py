"""Views: `show` draws exactly its parts, `focus` fades the rest, steps build up, positions stay."""

from __future__ import annotations

import re

from benchmarks.layout_metrics import Box, parse_svg
from tests.conftest import ROOT

SPEC = ROOT / "specs" / "clickstream.archgen.yaml"


def nodes(svg: str) -> list[str]:
    return re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]+)</title>', svg)


def positions(svg: str) -> dict[str, str]:
    out = {}
    for name, body in re.findall(r'class="node">\s*<title>([^<]+)</title>(.*?)</g>', svg, re.S):
        m = re.search(r'<use [^>]*x="([^"]+)" y="([^"]+)"', body)
        out[name] = m.groups() if m else None
    return out


def render(cli, tmp_path, *args):
    result = cli("render", SPEC, "-o", tmp_path, "-T", "svg", *args)
    assert result.exit_code == 0, result.output
    return {p.name: p.read_text() for p in tmp_path.glob("*.svg")}


def test_view_show_draws_exactly_its_parts(cli, tmp_path):
    out = render(cli, tmp_path, "--view", "ingest")
    assert sorted(out) == ["clickstream--ingest.svg"]
    svg = out["clickstream--ingest.svg"]
    # `ingestion` is a group: its members come with it
    assert sorted(nodes(svg)) == ["clicks", "delivery", "lake", "web"]
    clusters = re.findall(r'class="cluster">\s*<title>[^<]*</title>\s*<path[^>]*>\s*<text[^>]*>([^<]+)</text>', svg)
    assert clusters == ["Ingestion"]  # not the Storage group
    edges = re.findall(r'class="edge">\s*<title>([^<]+)</title>', svg)
    # edges end at ports on the icons (`clicks:e`): compare the node names only
    assert sorted("->".join(end.split(":")[0] for end in e.split("&#45;&gt;")) for e in edges) == [
        "clicks->delivery", "delivery->lake", "web->clicks"]


def test_focus_fades_the_rest(cli, tmp_path):
    svg = render(cli, tmp_path, "--view", "query")["clickstream--query.svg"]
    assert len(nodes(svg)) == 8  # everything is drawn
    faded = "#d1d5db"
    web = re.search(r"<title>web</title>(.*?)</g>", svg, re.S).group(1)
    lake = re.search(r"<title>lake</title>(.*?)</g>", svg, re.S).group(1)
    assert faded in web.lower() and faded not in lake.lower()


FADED = "#d1d5db"  # the light theme's faded colour


def _body(svg: str, node: str) -> str:
    return re.search(rf"<title>{node}</title>(.*?)</g>", svg, re.S).group(1).lower()


def _view_box(svg: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())


def _icons(svg: str) -> dict[str, tuple[float, float]]:
    """Each node's icon position in picture coordinates (the group's translate applied)."""
    tx, ty = (float(v) for v in re.search(r'class="graph" transform="[^"]*translate\(([^ ]+) ([^)]+)\)"',
                                          svg).groups())
    return {name: (float(p[0]) + tx, float(p[1]) + ty) for name, p in positions(svg).items() if p}


def test_steps_build_up_over_the_whole_view_and_keep_positions(cli, tmp_path):
    out = render(cli, tmp_path, "--all-views")
    steps = [out[f"clickstream--walkthrough-{n}.svg"] for n in (1, 2, 3)]
    # every step draws the whole view; what is still to come is faded, so step 1 is not blank
    assert all(sorted(nodes(svg)) == sorted(nodes(out["clickstream.svg"])) for svg in steps)
    bright = [sorted(n for n in nodes(svg) if FADED not in _body(svg, n)) for svg in steps]
    assert bright == [["clicks", "web"], ["clicks", "delivery", "dwh", "lake", "web"],
                      ["bi", "catalog", "clicks", "delivery", "dwh", "lake", "sql", "web"]]
    # one frame for every step: nothing moves between them
    assert _view_box(steps[0]) == _view_box(steps[1]) == _view_box(steps[2])
    assert _icons(steps[0]) == _icons(steps[1]) == _icons(steps[2])
    # and every step is the full layout, shifted as a whole (the title is left out)
    full, first = _icons(out["clickstream.svg"]), _icons(steps[0])
    shifts = {(round(full[k][0] - first[k][0], 2), round(full[k][1] - first[k][1], 2)) for k in full}
    assert len(shifts) == 1


def test_a_view_is_cropped_to_what_it_shows(cli, tmp_path):
    out = render(cli, tmp_path, "--all-views")
    full, ingest = out["clickstream.svg"], out["clickstream--ingest.svg"]
    drawing = parse_svg(ingest)
    items = [n.box for n in drawing.nodes.values()] + [c.box for c in drawing.clusters]
    items += [t.box for t in drawing.texts]
    items += [Box(min(x for x, _ in e.points), min(y for _, y in e.points), max(x for x, _ in e.points),
                  max(y for _, y in e.points)) for e in drawing.edges if e.points]
    content = items[0]
    for box in items[1:]:
        content = content.union(box)
    margins = (content.x0, content.y0, drawing.width - content.x1, drawing.height - content.y1)
    assert all(9.5 <= m <= 13.0 for m in margins), margins  # the shown parts plus a 10.8 pt margin
    view, whole = _view_box(ingest), _view_box(full)  # not the full layout's size, half empty
    assert view[2] * view[3] < 0.55 * whole[2] * whole[3]
    assert "Clickstream analytics" not in ingest  # the title is placed over the whole layout
    # positions inside the crop are the full layout's, shifted as a whole
    a, b = _icons(full), _icons(ingest)
    shifts = {(round(a[k][0] - b[k][0], 2), round(a[k][1] - b[k][1], 2)) for k in b}
    assert len(shifts) == 1 and sorted(b) == ["clicks", "delivery", "lake", "web"]


def test_a_focus_view_is_the_whole_diagram(cli, tmp_path):
    out = render(cli, tmp_path, "--all-views")
    assert _view_box(out["clickstream--query.svg"]) == _view_box(out["clickstream.svg"])


def test_unknown_view_is_usage_error(cli, tmp_path):
    result = cli("render", SPEC, "-o", tmp_path, "--view", "nope")
    assert result.exit_code == 2
    assert "ingest" in result.stderr


PAD_PT = 10.8  # the margin of every picture


def _union(a, b):
    return b if a is None else (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _laid_out_frame(dot_path, nodes: set[str], edges: set[tuple[str, str]], clusters: set[str]):
    """The box of the given parts in the full layout, read from the laid-out DOT archgen writes:
    node boxes (pos and size), edge splines with their ends and label boxes, cluster ``bb``."""
    import pygraphviz as pgv

    from benchmarks.layout_metrics import text_width

    g = pgv.AGraph(str(dot_path))
    box = None
    for n in g.nodes():
        if n in nodes:
            x, y = (float(v) for v in n.attr["pos"].split(","))
            w, h = float(n.attr["width"]) * 36, float(n.attr["height"]) * 36
            box = _union(box, (x - w, y - h, x + w, y + h))
    for e in g.edges():
        if (e[0], e[1]) not in edges:
            continue
        for token in e.attr["pos"].split():
            x, y = (float(v) for v in token.split(",")[-2:])
            box = _union(box, (x, y, x, y))
        if e.attr.get("lp"):
            x, y = (float(v) for v in e.attr["lp"].split(","))
            lines = re.findall(r'POINT-SIZE="([\d.]+)"[^>]*>([^<]+)<', e.attr["label"])
            w = max(text_width(t, float(s)) for s, t in lines) / 2 + 3  # cell padding and border
            h = sum(float(s) * 1.2 for s, _ in lines) / 2 + 3
            box = _union(box, (x - w, y - h, x + w, y + h))
    for sub in g.subgraphs_iter():
        if sub.name in clusters:
            box = _union(box, tuple(float(v) for v in sub.graph_attr["bb"].split(",")))
    return box


def test_every_cropped_view_is_its_content_plus_the_margin(cli, tmp_path):
    result = cli("render", SPEC, "-o", tmp_path, "-T", "svg,dot", "--all-views")
    assert result.exit_code == 0, result.output
    dot = tmp_path / "clickstream.dot"
    checked = []
    for path in sorted(tmp_path.glob("clickstream--*.svg")):
        svg = path.read_text()
        if _view_box(svg) == _view_box((tmp_path / "clickstream.svg").read_text()):
            continue  # a focus view is the whole picture
        drawn_nodes = set(nodes(svg))
        drawn_edges = {tuple(end.split(":")[0] for end in e.split("&#45;&gt;"))
                       for e in re.findall(r'class="edge">\s*<title>([^<]+)</title>', svg)}
        drawn_clusters = set(re.findall(r'class="cluster">\s*<title>([^<]+)</title>\s*<path', svg))
        x0, y0, x1, y1 = _laid_out_frame(dot, drawn_nodes, drawn_edges, drawn_clusters)
        _, _, width, height = _view_box(svg)
        # Graphviz writes the viewport's size in whole points
        assert abs(width - (x1 - x0 + 2 * PAD_PT)) <= 0.5, (path.name, width, x1 - x0)
        assert abs(height - (y1 - y0 + 2 * PAD_PT)) <= 0.5, (path.name, height, y1 - y0)
        checked.append(path.stem)
    assert checked == ["clickstream--ingest", "clickstream--walkthrough-1", "clickstream--walkthrough-2",
                       "clickstream--walkthrough-3"]


def test_no_label_box_on_an_icon_or_another_label_in_any_view(cli, tmp_path):
    from benchmarks.layout_metrics import measure
    from tests.conftest import SPECS

    for spec in SPECS:
        assert cli("render", spec, "-o", tmp_path, "-T", "svg", "--all-views").exit_code == 0
    pictures = sorted(tmp_path.glob("*.svg"))
    assert len(pictures) == len(SPECS) + 5  # clickstream's ingest, query and three steps
    for path in pictures:
        m = measure(parse_svg(path.read_bytes()))
        assert m["overlaps"] == 0, (path.name, m)


def test_the_whole_picture_is_the_same_with_views_drawn_or_not(cli, tmp_path):
    # Measuring a view's frame draws the layout once as JSON, which leaves Graphviz's xdot
    # drawing operations on the graph (with this machine's icon paths); later draws read them
    # back as part of the picture (the margin twice, a second background). Neither the whole
    # picture nor any DOT may carry them.
    alone, with_views = tmp_path / "alone", tmp_path / "views"
    for out, more in ((alone, ()), (with_views, ("--all-views",))):
        result = cli("render", SPEC, "-o", out, "-T", "dot,svg", *more)
        assert result.exit_code == 0, result.output
    for name in ("clickstream.dot", "clickstream.svg"):
        assert (with_views / name).read_bytes() == (alone / name).read_bytes(), name
    svg = parse_svg((with_views / "clickstream.svg").read_text())
    assert (svg.width, svg.height) == (701.0, 455.0)
    assert sorted(p.name for p in with_views.glob("*.dot"))[:2] == ["clickstream--ingest.dot", "clickstream--query.dot"]
    for view in with_views.glob("*.dot"):
        text = view.read_bytes()
        assert re.findall(rb"_[a-z]*draw_|xdotversion", text) == [], view.name
