"""Integration rules: closed world, detours, corrections, implicit hops, seed coverage."""

from __future__ import annotations

import json

import pytest

from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services
from archgen.check import check_source
from archgen.render.graph import build_graph
from tests.conftest import load_table

SEED = load_table("seed_pairs.yaml")["pairs"]
LEGACY = {s.id for s in load_services() if not s.is_current}


def spec_for(*services: str, flows: list[str]) -> str:
    lines = ["archgen: 1", "title: t", "analytics:"]
    lines += [f"  {s.replace('-', '_')}: {s}" for s in services]
    lines.append("flows:")
    lines += [f"  - {f}" for f in flows]
    return "\n".join(lines) + "\n"


def flow_findings(source: str, target: str):
    text = spec_for(source, target, flows=[f"{source.replace('-', '_')} -> {target.replace('-', '_')}"])
    return check_source(text, "pair.yaml", ignore=("W204",)).findings


@pytest.mark.parametrize("row", SEED, ids=lambda r: f"{r['from']}->{r['to']}")
def test_every_seed_pair_has_its_verdict(row):
    codes = [f.code for f in flow_findings(row["from"], row["to"])]
    if row["expect"] == "legal":
        assert "E301" not in codes and "W301" not in codes and "W302" not in codes, codes
    elif row["expect"] == "legacy":
        assert "E301" not in codes, codes
        assert "W301" in codes or "W302" in codes, codes
    elif row["expect"] == "retired":
        assert "E301" not in codes, codes
        assert codes.count("E303") == 1, codes
        assert load_rules().rules_for(row["from"], row["to"])
    else:
        assert "E301" in codes, codes
        correction = load_rules().correction(row["from"], row["to"])
        assert correction is not None
        e301 = next(f for f in flow_findings(row["from"], row["to"]) if f.code == "E301")
        assert correction.truth.rstrip(".") in e301.hint


def test_illegal_flow_proposes_firehose():
    text = spec_for("kinesis-data-streams", "s3", flows=["kinesis_data_streams -> s3"])
    result = check_source(text, "x.yaml")
    e = next(f for f in result.findings if f.code == "E301")
    assert "kinesis-data-streams -> firehose -> s3" in e.hint
    assert (e.line, e.column) == (7, 29)
    assert e.doc and e.doc.startswith("https://")


def test_kpl_never_writes_to_firehose():
    e = next(f for f in flow_findings("kpl", "firehose") if f.code == "E301")
    assert "kpl -> kinesis-data-streams -> firehose" in e.hint


@pytest.mark.parametrize("direct,hop", [
    (("iot-core", "kinesis-data-streams"), "iot-rule"),
    (("s3", "glue-data-catalog"), "glue-crawler"),
    (("dynamodb", "lambda"), "dynamodb-streams"),
])
def test_implicit_hops_are_legal_both_ways(direct, hop):
    a, b = direct
    assert not [f for f in flow_findings(a, b) if f.is_error]
    assert not [f for f in flow_findings(a, hop) if f.is_error]
    assert not [f for f in flow_findings(hop, b) if f.is_error]
    rule = load_rules().pick(a, b)
    assert rule.hop == hop


def test_edge_label_names_the_hop():
    text = spec_for("dynamodb", "lambda", flows=["dynamodb -> lambda"])
    spec = check_source(text, "x.yaml").spec
    edge = build_graph(spec, "x").edges[0]
    assert "DynamoDB Streams" in edge.label or "Streams" in edge.label


def test_custom_code_producers_are_limited():
    assert [f for f in flow_findings("kpl", "s3") if f.code == "E301"]
    assert not [f for f in flow_findings("sdk", "kinesis-data-streams") if f.is_error]
    assert [f for f in flow_findings("sdk", "quicksight") if f.code == "E301"]


def test_via_must_match_a_rule():
    text = spec_for("s3", "glue-data-catalog", flows=["{from: s3, to: glue_data_catalog, via: copy}"])
    codes = [f.code for f in check_source(text, "x.yaml").findings]
    assert "E302" in codes


def test_legacy_service_names_successor_and_date():
    text = spec_for("firehose", "elasticsearch", flows=["firehose -> elasticsearch"])
    w = next(f for f in check_source(text, "x.yaml").findings if f.code == "W301")
    assert w.hint == "use `opensearch` (Amazon OpenSearch Service)"
    assert w.message.startswith("Amazon Elasticsearch Service is legacy since 2021-09-08: ")
    assert (w.line, w.column) == (5, 18)


def test_detour_search_is_fast_and_bounded():
    book = load_rules()
    services = [s.id for s in load_services()]
    for a in services:
        for b in services:
            for path in book.detours(a, b):
                assert 3 <= len(path) <= 4 and path[0] == a and path[-1] == b
                for x, y in zip(path, path[1:]):
                    assert book._data_step(x, y, final=y == b) is not None, (a, b, path)
                    assert book._data_step(x, y, final=y == b).moves_records, path
                assert book.path_ok(path), path


def test_json_output_carries_detours(cli, tmp_path):
    spec = tmp_path / "x.yaml"
    spec.write_text(spec_for("kinesis-data-streams", "s3", flows=["kinesis_data_streams -> s3"]))
    result = cli("check", spec, "-f", "json")
    assert result.exit_code == 1
    f = next(f for f in json.loads(result.stdout)["findings"] if f["code"] == "E301")
    assert f["detours"][0] == ["kinesis-data-streams", "firehose", "s3"]
    assert f["detours"][1] == ["kinesis-data-streams", "opensearch-ingestion", "s3"]
    assert f["hint"].startswith("A Kinesis data stream does not write to S3 by itself")
