"""Layout quality, measured on the SVG geometry archgen writes (see benchmarks/layout_metrics.py)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys

import pytest

from archgen.render.naming import stem
from benchmarks.layout_metrics import measure, parse_svg
from tests.conftest import ROOT, SPECS

FIXTURES = ROOT / "tests" / "fixtures" / "layout"


def _svg(cli, tmp_path, spec, *args) -> bytes:
    result = cli("render", spec, "-o", tmp_path, "-T", "svg", *args)
    assert result.exit_code == 0, result.output
    return (tmp_path / f"{stem(spec)}.svg").read_bytes()


def _edge_labels(svg: bytes) -> dict[tuple[str, str], str]:
    return {(e.tail, e.head): e.label for e in parse_svg(svg).edges}


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_example_is_readable_on_a_slide(cli, tmp_path, spec):
    m = measure(parse_svg(_svg(cli, tmp_path, spec)))
    assert m["text_px_slide"] >= 10, m  # every text at least 10 px once fitted into 1280x720
    assert (m["struck_own"], m["struck_other"], m["far_labels"]) == (0, 0, 0), m
    assert m["overlaps"] == 0, m  # no label box over an icon or another text
    assert m["foreign"] == 0 and m["loops"] == 0, m


@pytest.mark.parametrize("spec", sorted((ROOT / "benchmarks" / "specs").glob("*.yaml")), ids=lambda p: p.stem)
def test_labels_of_large_architectures_sit_clear_by_their_own_edge(cli, tmp_path, spec):
    m = measure(parse_svg(_svg(cli, tmp_path, spec)))
    assert (m["struck_own"], m["struck_other"], m["far_labels"], m["overlaps"]) == (0, 0, 0, 0), m


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_arrows_end_at_the_icon(cli, tmp_path, spec):
    drawing = parse_svg(_svg(cli, tmp_path, spec))
    for edge in drawing.edges:
        head = drawing.nodes[edge.head]
        box = head.icon if head.icon is not None else head.box  # an EMR cluster: its border
        assert box.distance(*edge.tip) <= 4.0, (edge.tail, edge.head, edge.tip, box)


def test_labels_that_repeat_a_name_or_a_fan_out_are_dropped(cli, tmp_path):
    labels = _edge_labels(_svg(cli, tmp_path, ROOT / "specs" / "clickstream.archgen.yaml"))
    assert labels[("web", "clicks")] == ""  # "KPL" from the Kinesis Producer Library
    assert labels[("catalog", "sql")] == ""  # "Data Catalog" from the Glue Data Catalog
    assert labels[("lake", "sql")] == ""  # "query" on a query line
    assert labels[("delivery", "dwh")] == "hourly COPY"  # written in the spec
    assert labels[("clicks", "delivery")] == "stream source"
    # "data source" into the dashboards: drawn once for the fan-in
    assert sorted([labels[("sql", "bi")], labels[("dwh", "bi")]]) == ["", "data source"]


def test_fan_out_is_labelled_once_and_written_labels_stay(cli, tmp_path):
    labels = _edge_labels(_svg(cli, tmp_path, FIXTURES / "fan-out.yaml"))
    assert labels == {
        ("devices", "stream"): "IoT rule", ("devices", "delivery"): "", ("devices", "table"): "",
        ("devices", "bucket"): "", ("delivery", "lake"): "hourly", ("delivery", "backup"): "hourly",
    }


def _graph_labels(spec, **kwargs) -> dict[tuple[str, str], str | None]:
    from archgen.check import check_file
    from archgen.render.graph import build_graph

    return {(e.source, e.target): e.label for e in build_graph(check_file(spec).spec, "x", **kwargs).edges}


def test_fan_in_chain_and_bundle_are_labelled_once_and_written_labels_stay():
    assert _graph_labels(FIXTURES / "label-repeats.yaml") == {
        # a bundle from Streaming into Archive: once; the same mechanism from Kafka is another bundle
        ("clicks", "click_fh"): "stream source", ("logs", "log_fh"): None, ("topics", "change_fh"): "stream source",
        # a fan-in into the raw zone: once
        ("click_fh", "raw"): "delivery", ("log_fh", "raw"): None, ("change_fh", "raw"): None,
        # a chain through the job: once; the spec's own "connector" out of the same job stays
        ("raw", "job"): "connector", ("job", "curated"): None, ("job", "rejects"): "connector",
        # the same mechanism far from the others: its own label
        ("clicks", "detect"): "connector",
    }


def test_repeated_labels_are_dropped_from_the_drawing(cli, tmp_path):
    labels = _edge_labels(_svg(cli, tmp_path, FIXTURES / "label-repeats.yaml"))
    assert sorted(label for label in labels.values() if label) == [
        "connector", "connector", "connector", "delivery", "stream source", "stream source"]
    assert labels[("job", "rejects")] == "connector"  # written in the spec


def test_overview_labels_are_chosen_among_the_edges_it_draws():
    assert _graph_labels(FIXTURES / "label-repeats.yaml", collapse=True) == {
        ("streaming", "archive"): "2 flows", ("kafka", "archive"): "stream source", ("archive", "lake"): "3 flows"}
    labels = _graph_labels(ROOT / "benchmarks" / "specs" / "enterprise.yaml", collapse=True)
    assert labels[("cdc", "lake")] == "DMS"  # the ERP task's "DMS", dropped in the full picture, says
    # what the overview's group does not; "delivery" out of the Delivery group says what it says
    assert labels[("delivery", "serving")] is None
    assert labels[("databases", "cdc")] == "4 flows" and labels[("lake", "serving")] == "4 flows"


def test_emr_cluster_has_a_header_and_badges(cli, tmp_path):
    svg = html.unescape(_svg(cli, tmp_path, FIXTURES / "emr-spot-core.yaml").decode())
    drawing = parse_svg(svg)
    cluster = drawing.nodes["spark"]
    texts = [t.text for t in cluster.texts]
    assert texts[:2] == ["Nightly cluster", "Amazon EMR · spark, long-running"]
    assert texts.count("×1") == 1 and texts.count("×4") == 1
    assert "⚠ W403" in texts  # the Spot core node group the checker warns about
    assert len(cluster.images) == 3  # the EMR icon and one per node group
    header_icon = cluster.images[0]
    assert all(header_icon.y1 <= other.y0 for other in cluster.images[1:])


def test_emr_without_findings_has_no_warning_badge(cli, tmp_path):
    svg = html.unescape(_svg(cli, tmp_path, ROOT / "specs" / "emr-spark.archgen.yaml").decode())
    assert "⚠" not in svg


def test_direction_left_out_picks_the_layout_that_fits_a_slide(cli, tmp_path):
    # ten producers side by side: a row under the title fits 16:9, a column does not
    assert cli("render", FIXTURES / "fan-in.yaml", "-o", tmp_path, "-T", "dot").exit_code == 0
    assert re.search(r"rankdir=TB", (tmp_path / "fan-in.dot").read_text())
    assert cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-o", tmp_path, "-T", "dot").exit_code == 0
    assert re.search(r"rankdir=LR", (tmp_path / "clickstream.dot").read_text())


def test_large_diagram_gets_the_layout_with_the_fewest_problems(cli, tmp_path):
    spec = ROOT / "benchmarks" / "specs" / "enterprise.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "dot,svg").exit_code == 0
    dot = (tmp_path / "enterprise.dot").read_text()
    # left to right, with every flow between two groups spread over three ranks
    assert re.search(r"rankdir=LR", dot)
    edges = re.findall(r"\t(\w+) -> (\w+)(?::icon)?\s*\[(.*?)\];", dot, re.S)
    spread = {(a, b) for a, b, attrs in edges if "minlen=3" in attrs}
    assert len(edges) == 45 and len(spread) == 30
    assert {("orders_db", "orders_cdc"), ("changes", "dwh"), ("raw", "crawler")} <= spread
    assert ("telemetry", "detect") not in spread and ("bi", "analysts") not in spread  # inside one group
    m = measure(parse_svg((tmp_path / "enterprise.svg").read_bytes()))
    # the plain top-to-bottom layout had 41 crossings, 4 edges through foreign groups, 1 loop, 7.0 px;
    # arrows on fixed sides of the icons and the spec's order only, 27 crossings at 6.1 px; with repeated labels
    # drawn once per chain and bundle, 11
    assert (m["crossings"], m["foreign"], m["loops"], m["text_px_slide"]) == (11, 1, 0, 6.7)
    assert (m["struck_own"], m["struck_other"], m["far_labels"], m["overlaps"]) == (0, 0, 0, 0)


def test_annotate_marks_components_with_warnings(cli, tmp_path):
    spec = FIXTURES / "annotate.yaml"
    plain = html.unescape(_svg(cli, tmp_path / "plain", spec).decode())
    assert "⚠" not in plain
    drawing = parse_svg(_svg(cli, tmp_path / "marked", spec, "--annotate"))
    marked = {name: [t.text for t in node.texts] for name, node in drawing.nodes.items()}
    assert marked["old_search"] == ["Old search", "Elasticsearch", "Service", "⚠ W301"]
    assert all("⚠ W301" not in texts for name, texts in marked.items() if name != "old_search")
    assert measure(drawing)["overlaps"] == 0


def test_collapse_draws_one_node_per_group_with_counted_edges(cli, tmp_path):
    spec = ROOT / "benchmarks" / "specs" / "enterprise.yaml"
    drawing = parse_svg(_svg(cli, tmp_path, spec, "--collapse"))
    assert sorted(drawing.nodes) == ["cdc", "databases", "delivery", "lake", "ml", "producers", "serving",
                                     "streaming"]
    captions = {name: node.texts[-1].text for name, node in drawing.nodes.items()}
    assert captions["lake"] == "8 components" and captions["databases"] == "4 components"
    labels = {(e.tail, e.head): e.label for e in drawing.edges}
    assert labels[("databases", "cdc")] == "4 flows"  # four databases into change capture
    assert labels[("cdc", "serving")] == "streaming ingestion"  # a single flow keeps its label
    assert not drawing.clusters
    m = measure(drawing)
    assert m["text_px_slide"] >= 10 and m["struck_own"] == 0 and m["struck_other"] == 0


def test_collapse_with_views_is_a_usage_error(cli, tmp_path):
    result = cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-o", tmp_path, "--collapse", "--all-views")
    assert result.exit_code == 2
    assert "--collapse" in result.output


def test_render_check_tells_annotated_outputs_from_plain_ones(cli, tmp_path):
    spec = FIXTURES / "annotate.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "svg", "--annotate").exit_code == 0
    assert cli("render", spec, "-o", tmp_path, "-T", "svg", "--annotate", "--check").exit_code == 0
    stale = cli("render", spec, "-o", tmp_path, "-T", "svg", "--check")
    assert stale.exit_code == 1 and "annotate.svg: stale" in stale.output


def test_large_diagram_without_views_gets_a_view_per_group(cli):
    result = cli("check", ROOT / "benchmarks" / "specs" / "kafka-cdc.yaml", "-f", "json")
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "I209"]
    assert [(f["line"], f["column"], f["message"]) for f in found] == [
        (40, 1, "26 components are too many to read in one picture on a slide")]
    assert found[0]["hint"] == (
        "add a view per group, `views: [{name: databases, show: [databases]}, {name: capture, show: [capture]}, "
        "{name: kafka, show: [kafka]}, {name: delivery, show: [delivery]}, {name: lake, show: [lake]}, "
        "{name: serving, show: [serving]}]`, or draw an overview with `archgen render --collapse` "
        "(`archgen slides` draws both by itself)")


def test_collapse_is_the_same_on_every_run(tmp_path):
    spec = ROOT / "benchmarks" / "specs" / "enterprise.yaml"
    drawn = []
    for seed in ("1", "2"):  # string hashing, and so set order, differs between these processes
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "archgen", "render", str(spec), "--collapse", "-T", "dot",
                        "-o", str(out)], check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        drawn.append((out / "enterprise.dot").read_text())
    assert drawn[0] == drawn[1]
    # a group of six different services shows the first member's icon: devices, an IoT Core
    producers = re.search(r"\tproducers\s*\[(.*?)\];", drawn[0], re.S).group(1)
    assert "aws/iot/iot-core.png" in producers


def test_labels_an_end_already_says_are_dropped(cli, tmp_path):
    labels = _edge_labels(_svg(cli, tmp_path, ROOT / "specs" / "cdc-lake.archgen.yaml"))
    assert labels[("orders_db", "migrate")] == ""  # "DMS" into the AWS DMS replication task
    assert labels[("lake", "crawler")] == ""  # "crawler" into the raw crawler
    assert labels[("curated", "dwh")] == "COPY"  # says what neither end says


@pytest.mark.parametrize("spec", [ROOT / "specs" / "clickstream.archgen.yaml",
                                  ROOT / "benchmarks" / "specs" / "emr-platform.yaml"], ids=lambda p: p.stem)
def test_labels_stay_off_the_legend(cli, tmp_path, spec):
    drawing = parse_svg(_svg(cli, tmp_path, spec, "--legend"))
    legend = drawing.nodes["legend:"].box
    assert not any(e.label_box is not None and e.label_box.overlaps(legend) for e in drawing.edges)
    assert measure(drawing)["overlaps"] == 0


def test_unlabelled_emr_cluster_is_titled_by_its_service_not_its_id(cli, tmp_path):
    drawing = parse_svg(_svg(cli, tmp_path, ROOT / "tests" / "fixtures" / "emr" / "etl.yaml"))
    assert [t.text for t in drawing.nodes["fits"].texts][:2] == ["Amazon EMR", "etl, long-running"]
    assert [t.text for t in drawing.nodes["misfit"].texts][:2] == ["Amazon EMR", "etl, transient"]
    assert not any(t.text in ("fits", "misfit") for n in drawing.nodes.values() for t in n.texts)


def test_annotate_marks_a_flow_with_a_warning(cli, tmp_path):
    spec = ROOT / "tests" / "fixtures" / "codes" / "W302.fail.yaml"
    plain = _edge_labels(_svg(cli, tmp_path / "plain", spec))
    marked = parse_svg(_svg(cli, tmp_path / "marked", spec, "--annotate"))
    edge = next(e for e in marked.edges if (e.tail, e.head) == ("dwh", "app_db"))
    assert edge.label == f"{plain[('dwh', 'app_db')]} ⚠ W302".strip()
    assert measure(marked)["struck_own"] == 0 and measure(marked)["far_labels"] == 0


def test_counted_edges_of_an_overview_keep_their_counts_side_by_side():
    from archgen.render.graph import GEdge, tidy_labels

    edges = [GEdge("lake", "serving", "3 flows", "stream", source_component="lake", target_component="serving",
                   count=3),
             GEdge("lake", "ml", "3 flows", "stream", source_component="lake", target_component="ml", count=3),
             GEdge("ml", "bi", "SDK", "custom", source_component="ml", target_component="bi"),
             GEdge("lake", "bi", "SDK", "custom", source_component="lake", target_component="bi")]
    # a fan-out of two counted edges: each keeps its count; the generated "SDK" into bi, once
    assert [e.label for e in tidy_labels(edges, {})] == ["3 flows", "3 flows", "SDK", None]
