"""Detours: ranked by the preferences in the data, only through services that forward records."""

from __future__ import annotations

import copy

import pytest

from archgen.catalog import read_data
from archgen.catalog.integrations import build_rules, load_rules
from archgen.check import check_source
from tests.conftest import load_table

CASES = load_table("detours.yaml")["cases"]


def e301(source: str, target: str):
    text = f"archgen: 1\ntitle: t\nanalytics:\n  a: {source}\n  b: {target}\nflows:\n  - a -> b\n"
    found = check_source(text, "d.yaml", ignore=("W204", "W3", "E303")).findings
    return next(f for f in found if f.code == "E301")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['from']}->{c['to']}")
def test_first_detour(case):
    finding = e301(case["from"], case["to"])
    detours = finding.extra["detours"]
    if case["first"]:
        assert detours[0] == case["first"]
    else:
        assert detours == []
    assert (finding.line, finding.column) == (7, 10)


def test_no_detour_passes_through_people_or_sinks():
    book = load_rules()
    never = {s for s, cost in book.preferences.hops.items() if cost is None}
    assert {"users", "quicksight", "glue-data-catalog", "splunk"} <= never
    for source, target in [("kinesis-data-streams", "users"), ("s3", "jupyter"), ("dms", "splunk"),
                           ("kpl", "quicksight"), ("iot-core", "redshift")]:
        for path in book.detours(source, target):
            assert not set(path[1:-1]) & never, path


def test_notifications_do_not_count_as_moving_records():
    book = load_rules()
    assert book.rules_for("s3", "sqs")[0].carries == "notification"
    assert book.rules_for("s3", "eventbridge")[0].carries == "notification"
    # a Lambda function reads the object its event names, so S3 -> Lambda can move records
    assert book.rules_for("s3", "lambda")[0].moves_records
    # S3 -> SQS is an event about an object: a queue of notifications never carries the data on
    for source, target in [("s3", "lambda"), ("s3", "dynamodb"), ("s3", "kinesis-data-streams")]:
        for path in book.detours(source, target):
            assert "sqs" not in path and "sns" not in path and "eventbridge" not in path, path


def test_a_sink_as_source_says_there_is_nothing_to_move():
    f = e301("quicksight", "dynamodb")
    assert f.hint.startswith("Quick Sight shows data to people in dashboards and produces no records "
                             "to deliver onward, so there is nothing to move into DynamoDB; ")


def test_detours_pass_the_constraints():
    # MSK -> Firehose delivers only into S3, so Firehose never carries an MSK topic to OpenSearch
    for path in load_rules().detours("msk", "opensearch"):
        assert path[:3] != ("msk", "firehose", "opensearch"), path
    assert load_rules().path_ok(("msk", "firehose", "s3"))
    assert not load_rules().path_ok(("msk", "firehose", "opensearch"))


def test_preferences_in_the_data_change_the_ranking():
    raw = copy.deepcopy(read_data("integrations.yaml"))
    base = build_rules(raw)
    assert base.detours("dms", "lambda")[0] == ("dms", "kinesis-data-streams", "lambda")
    raw["detours"]["hops"]["kinesis-data-streams"] = 9
    raw["detours"]["hops"]["s3"] = 9
    cheaper_msk = build_rules(raw)
    assert cheaper_msk.detours("dms", "lambda")[0] == ("dms", "msk", "lambda")
    raw["detours"]["hops"]["msk"] = "never"
    assert ("dms", "msk", "lambda") not in build_rules(raw).detours("dms", "lambda")
    assert base.detours("kinesis-data-streams", "s3")[0] == ("kinesis-data-streams", "firehose", "s3")
    raw["mechanisms"]["stream-source"]["weight"] = 20
    assert build_rules(raw).detours("kinesis-data-streams", "s3")[0] == \
        ("kinesis-data-streams", "opensearch-ingestion", "s3")


def test_a_legacy_rule_is_never_a_middle_hop_only_the_last():
    book = build_rules(load_table("detours-legacy.yaml"))
    assert book.detours("a", "c") == (("a", "d", "e", "c"),)
    assert book.detours("a", "x") == (("a", "d", "e", "x"),)
    assert book.detours("a", "y") == ()


REVERSED = load_table("reversed.yaml")["cases"]


@pytest.mark.parametrize("case", REVERSED, ids=lambda c: f"{c['from']}->{c['to']}")
def test_a_flow_drawn_backwards_leads_with_the_other_direction(case):
    finding = e301(case["from"], case["to"])
    assert finding.hint.split("; ")[0] == case["first"]
    assert (finding.line, finding.column) == (7, 10)


def test_the_reversed_flow_uses_the_spec_ids_and_keeps_the_detours():
    text = ("archgen: 1\ntitle: t\nstreams:\n  delivery: firehose\n  clicks: kinesis-data-streams\n"
            "flows:\n  - delivery -> clicks\n")
    found = [f for f in check_source(text, "r.yaml", ignore=("W204",)).findings if f.code == "E301"]
    assert [(f.line, f.column) for f in found] == [(7, 17)]
    parts = found[0].hint.split("; ")
    assert parts[0] == ("the data flows the other way: write `clicks -> delivery` "
                        "(Kinesis Data Streams delivers into Data Firehose by stream source)")
    assert parts[1:4] == ["Firehose cannot deliver into a Kinesis data stream",
                          "reverse the order so producers write to the stream and Firehose reads it",
                          "use s3 and lambda: firehose -> s3 -> lambda -> kinesis-data-streams"]
    assert found[0].extra["detours"][0] == ["firehose", "s3", "lambda", "kinesis-data-streams"]
