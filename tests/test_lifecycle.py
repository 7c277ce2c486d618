"""Lifecycle: renamed services keep their integrations, retired ones are errors on today's date."""

from __future__ import annotations

import pytest

from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services
from archgen.check import check_source

IOT_EVENTS = ("archgen: 1\ntitle: t\nsources:\n  devices: iot-core\nanalytics:\n  detector: iot-events\n"
              "flows:\n  - devices -> detector\n")


def findings(text: str):
    return check_source(text, "l.yaml").findings


def test_before_the_end_of_support_it_is_a_warning(monkeypatch):
    monkeypatch.setenv("ARCHGEN_TODAY", "2026-05-19")
    (w,) = [f for f in findings(IOT_EVENTS) if f.code.startswith(("W3", "E3"))]
    assert w.code == "W301"
    assert w.message.startswith("AWS IoT Events is deprecated since 2025-05-20; support ends on 2026-05-20: ")
    assert (w.line, w.column) == (6, 13)
    assert w.hint == "use `lambda` (AWS Lambda)"


def test_from_the_end_of_support_it_is_an_error(monkeypatch):
    monkeypatch.setenv("ARCHGEN_TODAY", "2026-05-20")
    result = check_source(IOT_EVENTS, "l.yaml")
    (e,) = [f for f in result.findings if f.code.startswith(("W3", "E3"))]
    assert e.code == "E303" and not result.ok()
    assert e.message.startswith("AWS IoT Events is retired: it reached end of support on 2026-05-20 and can "
                                "no longer be deployed: ")
    assert (e.line, e.column) == (6, 13)
    assert e.hint == "use `lambda` (AWS Lambda)"


@pytest.mark.parametrize("service,end", [("kinesis-data-analytics-sql", "2026-01-27"),
                                         ("iot-analytics", "2025-12-15"), ("iot-events", "2026-05-20")])
def test_retired_services_and_their_dates(service, end):
    s = load_services()[service]
    assert s.end_of_support == end
    import datetime

    day = datetime.date.fromisoformat(end)
    assert s.is_retired(day) and not s.is_retired(day - datetime.timedelta(days=1))


def test_no_message_says_a_date_takes_effect(monkeypatch):
    monkeypatch.setenv("ARCHGEN_TODAY", "2026-12-03")
    for s in load_services():
        assert "takes effect" not in (s.status_note or ""), s.id
    for r in load_rules().rules:
        assert "takes effect" not in (r.status_note or ""), r.id


RENAMED = [("elasticsearch", "quicksight"), ("elasticsearch", "athena"), ("dms", "elasticsearch"),
           ("glue", "elasticsearch"), ("elasticsearch", "glue"), ("kcl", "elasticsearch"),
           ("elasticsearch", "opensearch-ingestion")]


@pytest.mark.parametrize("source,target", RENAMED)
def test_renamed_service_keeps_the_integrations_of_its_new_name(source, target):
    text = f"archgen: 1\ntitle: t\nanalytics:\n  a: {source}\n  b: {target}\nflows:\n  - a -> b\n"
    codes = [f.code for f in check_source(text, "r.yaml", ignore=("W204",)).findings]
    assert "E301" not in codes
    assert codes.count("W301") == 1
    rule = load_rules().pick(source, target)
    assert rule.inherited_from is not None and rule.successor == "opensearch"
    assert rule.effective_status == "legacy"


def test_own_rules_of_the_old_name_win():
    assert load_rules().pick("firehose", "elasticsearch").id == "firehose-to-elasticsearch"


def test_e301_into_a_legacy_target_lists_what_feeds_it():
    text = "archgen: 1\ntitle: t\nanalytics:\n  a: sqs\n  b: elasticsearch\nflows:\n  - a -> b\n"
    e = next(f for f in check_source(text, "r.yaml", ignore=("W204",)).findings if f.code == "E301")
    assert "nothing delivers" not in e.hint and "no AWS integration delivers" not in e.hint
    assert "Elasticsearch Service accepts data from cloudwatch-logs (legacy), dms (legacy)" in e.hint
    assert e.extra["detours"][0] == ["sqs", "lambda", "firehose", "elasticsearch"]
