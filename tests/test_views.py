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
    assert _view_box(ingest)[2] < 0.6 * _view_box(full)[2]  # not the full layout's width, half empty
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
