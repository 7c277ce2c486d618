"""Wrapping a long chain into two rows: the ranks, the boundaries cut, and the layout chosen."""

from __future__ import annotations

from dataclasses import replace

import pygraphviz as pgv

from archgen.check import check_file
from archgen.render import graphviz
from archgen.render.graph import build_graph
from archgen.render.quality import ROWS, VARIANTS, backtrack, measure, place_labels
from archgen.render.rows import cut, ranks
from benchmarks.layout_metrics import measure as metrics
from benchmarks.layout_metrics import parse_svg
from tests.conftest import FIXTURES, ROOT

ROWS_DIR = FIXTURES / "rows"


def _graph(path):
    return build_graph(check_file(path).spec, "x")


def test_ranks_are_longest_paths_and_leave_a_cycle_out():
    assert ranks(_graph(ROWS_DIR / "cycle.yaml")) == {"app": 0, "k1": 1, "f1": 2, "k2": 3, "f2": 4, "f3": 4}
    assert ranks(_graph(ROOT / "specs" / "clickstream.archgen.yaml")) == {
        "web": 0, "clicks": 1, "delivery": 2, "lake": 3, "dwh": 3, "catalog": 4, "sql": 5, "bi": 6}


def test_boundaries_are_ranked_by_flows_cut_then_groups_split_then_the_middle():
    graph = _graph(ROOT / "specs" / "clickstream.archgen.yaml")
    # flows: web>clicks 0, clicks>delivery 1, delivery>lake 2, delivery>dwh 3, lake>catalog 4,
    # catalog>sql 5, lake>sql 6, sql>bi 7, dwh>bi 8; Ingestion = ranks 1-2, Storage = rank 3
    assert [sorted(cut(graph, n)) for n in range(5)] == [[2, 3], [4, 6, 8], [5, 6, 8], [1], []]
    # the flow closing the cycle (f2 -> k1) crosses no boundary between its ranks' order
    assert [sorted(cut(_graph(ROWS_DIR / "cycle.yaml"), n)) for n in range(5)] == [[0], [1, 4], [2, 4], [3, 4, 5], []]


def test_a_short_chain_is_not_wrapped():
    assert cut(_graph(ROWS_DIR / "short.yaml")) == frozenset()


def test_a_deep_chain_is_ranked_without_recursion(tmp_path):
    n = 3000
    names = " -> ".join(f"f{i}" for i in range(n))
    spec = tmp_path / "deep.yaml"
    spec.write_text("archgen: 1\ntitle: deep\nanalytics:\n" + "".join(f"  f{i}: lambda\n" for i in range(n))
                    + f"flows:\n  - {names}\n", encoding="utf-8")
    result = check_file(spec)
    assert ranks(build_graph(result.spec, "x"))["f2999"] == 2999


def test_freed_flows_do_not_rank_their_ends():
    graph = _graph(ROOT / "specs" / "clickstream.archgen.yaml")
    g, _ = graphviz._build(graph, False, ROWS[0])
    freed = sorted(int(k) for u, v, k in g.edges(keys=True) if g.get_edge(u, v, k).attr.get("constraint") == "false")
    assert freed == [2, 3]
    g, _ = graphviz._build(graph, False, VARIANTS[0])
    assert [e for e in g.edges() if e.attr.get("constraint") == "false"] == []


def test_an_arrow_drawn_at_the_tail_is_the_wrong_way():
    g = pgv.AGraph(directed=True)
    g.add_edge("a", "b", pos="e,10,0 0,0 3,0 7,0 10,0")
    assert not graphviz._wrong_way(g)
    g.add_edge("c", "d", pos="s,20,0 e,30,0 20,0 23,0 27,0 30,0")  # arrows at both ends
    assert not graphviz._wrong_way(g)
    g.add_edge("b", "c", pos="s,10,0 10,0 13,0 17,0 20,0")
    assert graphviz._wrong_way(g)


def test_a_strip_is_over_three_wide_along_left_to_right_or_taller_than_wide_top_to_bottom():
    g = pgv.AGraph()
    for bb, direction, strip in (("0,0,300,100", "LR", False), ("0,0,301,100", "RL", True),
                                 ("0,0,100,100", "TB", False), ("0,0,99,100", "BT", True),
                                 ("0,0,99,100", "LR", False)):
        g.graph_attr["bb"] = bb
        assert graphviz._strip(g, direction) is strip, (bb, direction)


def test_backtrack_is_the_distance_flows_run_against_the_direction_in_picture_widths():
    graph = _graph(ROWS_DIR / "short.yaml")  # app -> k -> f
    g, _ = graphviz._build(graph, False)
    g.graph_attr["bb"] = "0,0,400,100"
    for name, x in (("app", 300), ("k", 100), ("f", 200)):
        g.get_node(name).attr["pos"] = f"{x},50"
    assert backtrack(g, graph) == 0.5  # app -> k runs 200 pt back; k -> f forward
    assert backtrack(g, replace(graph, direction="RL")) == 0.25


def test_a_strip_is_wrapped_when_it_reads_better(cli, tmp_path):
    """clickstream is a strip of 3.9:1 laid out in one row; wrapped it fits a slide."""
    out = tmp_path / "out"
    assert cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-T", "svg", "-o", out).exit_code == 0
    m = metrics(parse_svg((out / "clickstream.svg").read_text(encoding="utf-8")))
    shape = (m["aspect"], m["text_px_slide"], m["crossings"], m["struck_own"], m["struck_other"])
    assert shape == (1.54, 20.6, 2, 0, 0)


def test_a_wrap_with_a_loop_loses_to_a_clean_one(cli, tmp_path):
    """emr-spark's best boundary (after the cluster) draws a looping flow; the third (before
    it) draws none and is kept."""
    out = tmp_path / "out"
    assert cli("render", ROOT / "specs" / "emr-spark.archgen.yaml", "-T", "svg", "-o", out).exit_code == 0
    m = metrics(parse_svg((out / "emr-spark.svg").read_text(encoding="utf-8")))
    assert (m["aspect"], m["loops"], m["crossings"]) == (1.29, 0, 0)


def test_more_rows_take_the_best_boundary_within_each_share_of_the_chain():
    graph = _graph(ROWS_DIR / "chain.yaml")  # app -> k0 -> f0 -> ... -> k7 -> f7: 17 ranks, flow i from rank i
    assert [sorted(cut(graph, 0, rows)) for rows in (2, 3, 4, 5)] == [[7], [5, 10], [3, 7, 12], [2, 6, 9, 13]]
    assert cut(graph, 1, 3) == frozenset()  # more rows than two: one choice only
    assert cut(graph, 0, 9) == frozenset()  # rows of one rank each are no wrap


def test_a_long_chain_is_drawn_in_rows_in_reading_order(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("render", ROWS_DIR / "chain.yaml", "-T", "svg", "-o", out).exit_code == 0
    drawing = parse_svg((out / "chain.svg").read_text(encoding="utf-8"))
    m = metrics(drawing)
    assert (m["aspect"], m["text_px_slide"], m["loops"]) == (1.7, 17.7, 0)
    rows = [["app", "k0", "f0", "k1"], ["f1", "k2", "f2", "k3"], ["f3", "k4", "f4", "k5", "f5"],
            ["k6", "f6", "k7", "f7"]]
    tops = [[drawing.nodes[n].box.y0 for n in row] for row in rows]
    for upper, lower in zip(tops, tops[1:]):
        assert max(upper) < min(lower)  # each row wholly under the one before


def test_a_candidates_total_adds_backtracking_empty_slide_and_lost_text():
    graph = _graph(ROOT / "specs" / "clickstream.archgen.yaml")
    g, subgraphs = graphviz._laid_out(graph, False, ROWS[0])  # two rows at the best boundary
    place_labels(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.GROUP_PT)
    q = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT)
    fit = graphviz._slide_fit(g)
    assert (q.score, round(backtrack(g, graph), 3), round(graphviz._slide_cover(g), 3)) == (2, 1.118, 0.898)
    assert round(graphviz._legible(fit), 4) == round(18 / 13, 4)  # 1.617 on a slide: counted up to 18 px
    # 2 + 3 x 1.118 + 6 x (1 - 0.898), and 30 x (2.0 / 1.385 - 1) more against a layout at 2.0
    assert round(graphviz._total(g, subgraphs, graph, fit, graphviz._legible(fit)), 3) == 5.969
    assert round(graphviz._total(g, subgraphs, graph, fit, 2.0), 3) == 19.302


def test_an_arrow_drawn_the_wrong_way_counts_as_off_its_icon():
    graph = _graph(ROWS_DIR / "short.yaml")
    g, subgraphs = graphviz._laid_out(graph, False)
    before = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT).off_icon
    edge = g.get_edge("app", "k", key="0")
    _arrow, *points = edge.attr["pos"].split()
    edge.attr["pos"] = "s," + " ".join(points)  # the same line, its arrow at the tail's end
    after = measure(g, graph, subgraphs, graphviz.EDGE_PT, graphviz.EDGE_WRAP, graphviz.ICON_PT).off_icon
    assert (before, after) == (0, 1)


def test_a_tall_column_is_wrapped_into_columns_in_reading_order(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("render", ROWS_DIR / "chain-tb.yaml", "-T", "svg", "-o", out).exit_code == 0
    drawing = parse_svg((out / "chain-tb.svg").read_text(encoding="utf-8"))
    assert metrics(drawing)["aspect"] == 1.45  # 1:15 in one column
    columns = [["app", "k0", "f0"], ["k1", "f1", "k2", "f2"], ["k3", "f3", "k4"], ["f4", "k5", "f5", "k6"],
               ["f6", "k7", "f7"]]  # five columns: the boundaries [2, 6, 9, 13]
    lefts = [[drawing.nodes[n].box.x0 for n in column] for column in columns]
    for left, right in zip(lefts, lefts[1:]):
        assert max(left) < min(right)
