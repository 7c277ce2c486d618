"""The audited integrations: each documented pair is legal, by the expected mechanism."""

from __future__ import annotations

import pytest

from archgen.catalog.integrations import load_rules
from archgen.check import check_source
from tests.conftest import FIXTURES, load_table

TABLE = load_table("audit_pairs.yaml")


def _check(source: str, target: str, services: tuple[str, str]):
    text = (f"archgen: 1\ntitle: t\nanalytics:\n  {source}: {services[0]}\n  {target}: {services[1]}\n"
            f"flows:\n  - {source} -> {target}\n")
    return check_source(text, "audit.yaml", ignore=("W204",)).findings


@pytest.mark.parametrize("row", TABLE["pairs"], ids=lambda r: f"{r['from']}->{r['to']}")
def test_audited_pair_is_legal(row):
    findings = _check("a", "b", (row["from"], row["to"]))
    assert [f.code for f in findings if f.is_error] == []
    rule = load_rules().pick(row["from"], row["to"])
    assert rule.mechanism.id == row["via"]
    if "doc" in row:  # a connector documented by its own project, or a page named exactly
        assert rule.doc == row["doc"]
    else:
        assert rule.doc.startswith("https://docs.aws.amazon.com/")


@pytest.mark.parametrize("row", TABLE["same_service"], ids=lambda r: r["service"])
def test_two_resources_of_one_service(row):
    findings = _check("first", "second", (row["service"], row["service"]))
    assert [f.code for f in findings if f.is_error] == []
    assert load_rules().pick(row["service"], row["service"]).mechanism.id == row["via"]


def test_s3_to_dynamodb_is_no_longer_a_correction():
    assert load_rules().correction("s3", "dynamodb") is None


@pytest.mark.parametrize("row", TABLE["refused"], ids=lambda r: f"{r['from']}->{r['to']}")
def test_undocumented_pair_stays_refused(row):
    findings = _check("a", "b", (row["from"], row["to"]))
    assert [(f.code, f.line, f.column) for f in findings if f.is_error] == [("E301", 7, 10)]
    assert load_rules().rules_for(row["from"], row["to"]) == []


def test_reference_architecture_flows_are_all_legal():
    """CDC, streaming, lake house, ML and observability flows from AWS reference architectures."""
    path = FIXTURES / "reference-flows.yaml"
    result = check_source(path.read_text(encoding="utf-8"), str(path))
    assert [(f.code, f.line, f.column) for f in result.findings] == [("I310", 89, 20)]
    comps = result.spec.components
    picked = {}
    for flow in result.spec.flows:
        a, b = comps[flow.source.id].service, comps[flow.target.id].service
        picked[(flow.source.id, flow.target.id)] = load_rules().pick(a, b).mechanism.id
    assert len(picked) == 88
    assert (picked[("topic", "fh4")], picked[("fn3", "docs_db")]) == ("subscription", "sdk")
    assert picked[("msk", "flink")] == picked[("flink", "search")] == "connector"
    assert picked[("pg", "flink2")] == picked[("flink2", "sink_db")] == "connector"
    assert picked[("legacy_db", "osi6")] == "ingestion-pipeline"
    assert picked[("cluster", "search")] == picked[("cluster", "ml")] == "connector"
