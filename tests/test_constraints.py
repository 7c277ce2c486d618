"""Component constraints: each fixture pair, exact positions, hints and the data file's schema."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from archgen.catalog.constraints import Constraint, Edge, load_constraints, violations
from archgen.catalog.integrations import load_rules
from archgen.check import check_file
from archgen.codes import load_codes
from tests.conftest import FIXTURES

DIR = FIXTURES / "constraints"

FAILS = [
    ("firehose-two-destinations", "E310", (15, 17), "use a second Firehose stream for Splunk (`splunk`)"),
    ("firehose-direct-put-with-stream", "E311", (13, 5),
     "write into `clicks` instead, or give `app` a Firehose stream of its own"),
    ("firehose-msk-to-opensearch", "E312", (10, 17),
     "deliver `delivery` into S3, and reach OpenSearch Service (`search`) from `orders` another way, "
     "for example through OpenSearch Ingestion or a Lambda event source mapping"),
    ("transform-lambda-delivers", "W310", (12, 34),
     "draw Amazon S3 (`lake`) as the destination of `delivery`, not of the transform function"),
    ("kinesis-21-consumers", "W310", (52, 15),
     "read `clicks` with fewer applications, or copy it into a second stream for Lambda (`fn21`)"),
    ("pipe-two-targets", "E310", (12, 13),
     "create a second pipe for Lambda (`fn`), or target an event bus whose rules send the events to "
     "several targets"),
]


@pytest.mark.parametrize("name,code,position,hint", FAILS, ids=[f[0] for f in FAILS])
def test_violation_on_the_offending_flow(name, code, position, hint):
    found = [f for f in check_file(DIR / f"{name}.fail.yaml").findings if f.code.startswith(("E3", "W3", "I3"))]
    assert [f.code for f in found] == [code]
    assert (found[0].line, found[0].column) == position
    assert found[0].hint == hint
    assert found[0].doc.startswith("https://docs.aws.amazon.com/")


@pytest.mark.parametrize("name", [f[0] for f in FAILS])
def test_good_twin_passes(name):
    result = check_file(DIR / f"{name}.pass.yaml")
    assert [f.code for f in result.findings] == []


def test_message_names_both_flows():
    (f,) = check_file(DIR / "firehose-two-destinations.fail.yaml").findings
    assert f.message == ("Data Firehose `delivery` cannot take this flow into `splunk`: a Firehose stream "
                         "delivers to exactly one destination, plus an S3 bucket as backup (it already has "
                         "`search`)")


def test_cloudwatch_logs_into_search_is_a_reminder():
    (f,) = check_file(DIR / "logs-to-opensearch.warn.yaml").findings
    assert (f.code, f.line, f.column) == ("I310", 10, 25)
    assert f.hint == ("enable decompression and message extraction on `delivery` so that OpenSearch "
                      "Service receives one log message per record")


def test_one_bucket_two_notification_destinations_is_a_reminder():
    (f,) = check_file(DIR / "s3-two-notifications.info.yaml").findings
    assert (f.code, f.line, f.column) == ("I310", 11, 13)
    assert f.message.endswith("overlapping notification configurations are rejected (it already has `queue`)")


def _edges(*services: str, rule_pair=("sdk", "firehose")):
    rule = load_rules().pick(*rule_pair)
    return [Edge(s, rule, i) for i, s in enumerate(services)]


def test_backup_counts_once():
    c = next(c for c in load_constraints().constraints if c.id == "firehose-one-destination")
    out = _edges("opensearch", "s3", rule_pair=("firehose", "s3"))
    assert list(violations(c, [], out)) == []
    out = _edges("s3", "splunk", rule_pair=("firehose", "s3"))
    assert list(violations(c, [], out)) == []
    out = _edges("opensearch", "splunk", "s3", rule_pair=("firehose", "s3"))
    assert [v.edge.other for v in violations(c, [], out)] == ["splunk"]
    out = _edges("s3", "s3", "s3", rule_pair=("firehose", "s3"))
    assert [v.edge.index for v in violations(c, [], out)] == [2]


def test_log_group_has_two_subscription_filters():
    c = next(c for c in load_constraints().constraints if c.id == "log-group-two-subscription-filters")
    out = _edges("kinesis-data-streams", "firehose", "lambda", rule_pair=("cloudwatch-logs", "firehose"))
    assert [v.edge.other for v in violations(c, [], out)] == ["lambda"]


def test_kinds_are_data():
    c = Constraint(id="x", service="sqs", kind="max-in", code="E310", rule="A queue.", hint="h",
                   doc="https://docs.aws.amazon.com/", max=2)
    ins = _edges("sdk", "sns", "s3", rule_pair=("sns", "sqs"))
    assert [v.edge.other for v in violations(c, ins, [])] == ["s3"]


def test_constraints_file_matches_its_schema_and_codes():
    data_dir = resources.files("archgen.data")
    schema = json.loads(data_dir.joinpath("constraints.schema.json").read_text())
    data = yaml.safe_load(data_dir.joinpath("constraints.yaml").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    codes = load_codes()
    for c in load_constraints().constraints:
        assert c.code in codes and codes[c.code].family == "constraints", c.id
        for m in c.mechanisms:
            assert m in load_rules().mechanisms, (c.id, m)


def _spec(tmp_path, body: str):
    path = tmp_path / "c.yaml"
    path.write_text("archgen: 1\ntitle: t\n" + body)
    return check_file(path).findings


def test_two_stream_sources_into_one_firehose(tmp_path):
    found = _spec(tmp_path, "streams:\n  a: kinesis-data-streams\n  b: kinesis-data-streams\n"
                            "  delivery: firehose\nstores:\n  lake: s3\n"
                            "flows:\n  - a -> delivery -> lake\n  - b -> delivery\n")
    assert [(f.code, f.line, f.column, f.hint) for f in found] == [
        ("E311", 11, 5, "write into `a` instead, or give `b` a Firehose stream of its own")]


def test_three_lambda_triggers_on_one_table(tmp_path):
    found = _spec(tmp_path, "stores:\n  orders: dynamodb\nanalytics:\n  f1: lambda\n  f2: lambda\n"
                            "  f3: lambda\nflows:\n  - orders -> f1\n  - orders -> f2\n  - orders -> f3\n")
    assert [(f.code, f.line, f.column) for f in found] == [("W310", 12, 15)]
    assert found[0].extra["constraint"] == "dynamodb-table-two-stream-readers"
