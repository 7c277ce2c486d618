"""archgen.render.quality: the geometry the renderer measures to choose among layouts."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from archgen.check import check_file
from archgen.render import graphviz
from archgen.render.graph import build_graph
from archgen.render.quality import (
    GAP,
    VARIANTS,
    Quality,
    _distance,
    _label_box,
    measure,
    place_labels,
    spline_points,
    text_width,
)
from benchmarks.layout_metrics import text_width as measured_width
from tests.conftest import FIXTURES, ROOT


def test_spline_points_samples_each_cubic_and_keeps_the_arrow_end():
    points = spline_points("e,100,0 0,0 30,0 60,0 90,0")
    assert len(points) == 1 + 6 + 1
    assert points[0] == (0.0, 0.0) and points[-1] == (100.0, 0.0)
    assert points[3] == pytest.approx((45.0, 0.0))  # halfway along a straight cubic


def test_spline_points_of_an_edge_with_a_tail_arrow_start_there():
    assert spline_points("s,0,5 0,10 0,20 0,30 0,40")[:2] == [(0.0, 5.0), (0.0, 10.0)]


@pytest.mark.parametrize("text", ["connector", "stream source", "DMS", "event source", "COPY"])
def test_label_widths_match_the_font(text):
    # the table in archgen/data/text-widths.yaml against the font file itself
    assert text_width(text, 13) == pytest.approx(measured_width(text, 13), rel=0.02)  # kerning aside


def test_score_weighs_label_and_route_problems_above_crossings():
    assert Quality(crossings=5, struck=0, far=0, foreign=0, loops=0).score == 5
    assert Quality(crossings=0, struck=1, far=1, foreign=1, loops=1).score == 4 + 4 + 3 + 3


def test_measure_reads_the_laid_out_graph():
    spec = check_file(FIXTURES / "layout" / "fan-out.yaml").spec
    graph = build_graph(spec, "fan-out")
    g, subgraphs = graphviz._laid_out(graph, False, VARIANTS[0])
    assert measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP) == Quality(0, 0, 0, 0, 0)


def _misplaced():
    """The fan-out fixture laid out, with the "hourly" label of delivery -> lake moved onto
    the devices -> table line."""
    spec = check_file(FIXTURES / "layout" / "fan-out.yaml").spec
    graph = build_graph(spec, "fan-out")
    g, subgraphs = graphviz._laid_out(graph, False, VARIANTS[0])
    # move the "hourly" label of delivery -> lake onto the devices -> table line
    i = next(i for i, e in enumerate(graph.edges) if (e.source, e.target) == ("delivery", "lake"))
    j = next(j for j, e in enumerate(graph.edges) if (e.source, e.target) == ("devices", "table"))
    line = spline_points(g.get_edge("devices", "table", key=str(j)).attr["pos"])
    x, y = line[len(line) // 2]
    g.get_edge("delivery", "lake", key=str(i)).attr["lp"] = f"{x},{y}"
    return g, graph, subgraphs, i


def test_measure_counts_a_label_struck_by_another_edge():
    g, graph, subgraphs, _ = _misplaced()
    q = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP)
    assert (q.struck, q.far) == (1, 1)  # through another line, and away from its own


def test_place_labels_moves_a_struck_label_beside_its_own_line():
    g, graph, subgraphs, i = _misplaced()
    moved = place_labels(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.GROUP_PT)
    assert moved == 1
    q = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP)
    assert (q.struck, q.far) == (0, 0)
    attrs = g.get_edge("delivery", "lake", key=str(i)).attr
    box = _label_box(attrs["lp"], "hourly", None, graphviz.EDGE_PT, graphviz.EDGE_WRAP)
    # beside its own line: GAP points from it where placed, a little more where the line curves away
    assert GAP - 0.5 <= _distance(spline_points(attrs["pos"]), box) <= GAP + 2


def test_place_labels_leaves_clear_labels_alone():
    spec = check_file(FIXTURES / "layout" / "fan-out.yaml").spec
    graph = build_graph(spec, "fan-out")
    g, subgraphs = graphviz._laid_out(graph, False, VARIANTS[0])
    before = [g.get_edge(e.source, e.target, key=str(k)).attr.get("lp") for k, e in enumerate(graph.edges)]
    assert place_labels(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.GROUP_PT) == 0
    assert [g.get_edge(e.source, e.target, key=str(k)).attr.get("lp") for k, e in enumerate(graph.edges)] == before


def test_measure_counts_an_arrow_that_ends_away_from_its_icon():
    spec = check_file(FIXTURES / "layout" / "fan-out.yaml").spec
    graph = build_graph(spec, "fan-out")
    g, subgraphs = graphviz._laid_out(graph, False, VARIANTS[0])
    assert measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT).off_icon == 0
    i = next(i for i, e in enumerate(graph.edges) if (e.source, e.target) == ("delivery", "lake"))
    attrs = g.get_edge("delivery", "lake", key=str(i)).attr
    x, y = (float(v) for v in attrs["pos"].split()[0][2:].split(","))
    # the arrow tip moved under the icon, onto the name: 10 pt below the icon's lower edge
    node = g.get_node("lake").attr
    top = float(node["pos"].split(",")[1]) + float(node["height"]) * 36
    attrs["pos"] = attrs["pos"].replace(attrs["pos"].split()[0], f"e,{x},{top - 1 - graphviz.ICON_PT - 10}", 1)
    q = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT)
    assert q.off_icon == 1 and q.score == q.crossings + 4 * (q.struck + q.far + 1) + 3 * (q.foreign + q.loops)


def test_reversed_variants_hand_graphviz_the_spec_in_reverse_order():
    spec = check_file(ROOT / "specs" / "clickstream.archgen.yaml").spec
    graph = build_graph(spec, "clickstream")
    reverse = next(v for v in VARIANTS if v.reverse and v.cross_minlen == 1 and not v.newrank)
    order, turned = ([str(n) for n in graphviz._build(graph, False, v)[0].nodes()] for v in (VARIANTS[0], reverse))
    assert order == ["web", "clicks", "delivery", "lake", "dwh", "catalog", "sql", "bi"]
    assert turned == order[::-1]


# Every base setting of two generated specs (tests/fixtures/layout/generated-*.yaml, written by
# benchmarks/gen_spec.py's generate_legal with seeds 2 and 5): the Quality of the laid-out graph,
# how many labels place_labels moves, and the Quality after, exactly as the layout search sees
# them. Made faster, measure and place_labels must give these same numbers.
MEASURED = {
    "generated-30": [
        ("plain", (30, 6, 0, 0, 2, 1), 5, (30, 2, 0, 0, 2, 1)),
        ("newrank", (16, 2, 0, 0, 0, 0), 2, (16, 0, 0, 0, 0, 0)),
        ("spread", (37, 1, 1, 0, 0, 0), 2, (37, 0, 0, 0, 0, 0)),
        ("wide", (24, 2, 1, 0, 1, 0), 3, (24, 1, 0, 0, 1, 0)),
        ("plain-reversed", (32, 4, 0, 0, 1, 0), 4, (32, 0, 0, 0, 1, 0)),
        ("newrank-reversed", (17, 1, 0, 0, 0, 0), 0, (17, 1, 0, 0, 0, 0)),
        ("spread-reversed", (44, 3, 0, 0, 0, 0), 1, (44, 2, 0, 0, 0, 0)),
        ("wide-reversed", (23, 3, 0, 0, 0, 0), 4, (23, 0, 0, 0, 0, 0)),
    ],
    "generated-45": [
        ("plain", (43, 2, 2, 4, 3, 1), 3, (43, 1, 0, 4, 3, 1)),
        ("newrank", (40, 2, 0, 5, 3, 0), 3, (40, 0, 0, 5, 3, 0)),
        ("spread", (34, 4, 1, 1, 4, 1), 4, (34, 1, 0, 1, 4, 1)),
        ("wide", (27, 2, 0, 0, 6, 1), 1, (27, 2, 0, 0, 6, 1)),
        ("plain-reversed", (41, 2, 1, 3, 5, 1), 1, (41, 2, 0, 3, 5, 1)),
        ("newrank-reversed", (28, 2, 0, 5, 3, 0), 1, (28, 1, 0, 5, 3, 0)),
        ("spread-reversed", (34, 1, 1, 1, 5, 2), 2, (34, 0, 0, 1, 5, 2)),
        ("wide-reversed", (27, 2, 0, 0, 4, 1), 1, (27, 2, 0, 0, 4, 1)),
    ],
}


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_measure_and_place_labels_give_the_recorded_numbers(name):
    spec = check_file(FIXTURES / "layout" / f"{name}.yaml").spec
    graph = build_graph(spec, name)
    variants = {v.name: v for v in VARIANTS}
    seen = []
    for setting, _, _, _ in MEASURED[name]:
        g, subgraphs = graphviz._laid_out(graph, False, variants[setting])
        first = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT)
        moved = place_labels(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.GROUP_PT)
        after = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT)
        seen.append((setting, astuple(first), moved, astuple(after)))
    assert seen == MEASURED[name]
