"""The packaged data: every canonical service, valid rules, icons that exist."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import yaml

from archgen.catalog.instances import load_instances
from archgen.catalog.integrations import load_rules
from archgen.catalog.services import ROLES, load_services
from archgen.render.icons import resources_dir

DESIGN_IDS = [
    "sdk", "kpl", "kinesis-agent", "kcl", "kafka-connect", "spark", "iot-core", "iot-rule",
    "iot-topic", "cloudwatch-logs", "dms", "jdbc", "users", "kinesis-data-streams", "firehose",
    "managed-flink", "kinesis-data-analytics-sql", "sqs", "sns", "eventbridge", "msk", "kafka",
    "dynamodb-streams", "s3", "dynamodb", "redshift", "opensearch", "elasticsearch", "splunk",
    "aurora", "rds", "postgresql", "hdfs", "lambda", "glue", "glue-data-catalog", "glue-crawler",
    "emr", "hive", "presto", "flink", "hadoop", "jupyter", "athena", "quicksight", "sagemaker",
    "machine-learning", "data-pipeline", "lake-formation", "step-functions", "apache-ranger",
    "ec2",
]

REQUIRED_ICONS = {
    "kinesis-data-streams": "aws/analytics/kinesis-data-streams.png",
    "firehose": "aws/analytics/kinesis-data-firehose.png",
    "managed-flink": "aws/analytics/kinesis-data-analytics.png",
    "opensearch": "aws/analytics/amazon-opensearch-service.png",
    "dynamodb-streams": "aws/database/dynamodb-streams.png",
}


def test_every_design_id_is_in_the_catalog():
    services = load_services()
    missing = [i for i in DESIGN_IDS if i not in services.services]
    assert not missing


def test_services_are_complete():
    services = load_services()
    for s in services:
        assert s.name and s.short and s.description, s.id
        assert s.roles and set(s.roles) <= set(ROLES), s.id
        assert (resources_dir() / s.icon).is_file(), (s.id, s.icon)
        if not s.is_current:
            assert s.successor in services.services and s.status_note, s.id
    for sid, icon in REQUIRED_ICONS.items():
        assert services[sid].icon == icon
    for sid in ("spark", "kafka", "hive", "presto", "flink", "hadoop", "splunk", "postgresql"):
        assert services[sid].icon.startswith("onprem/"), sid


def test_aliases_resolve_including_cloudformation_types():
    services = load_services()
    assert services.resolve("AWS::KinesisFirehose::DeliveryStream").id == "firehose"
    assert services.resolve("AWS::Kinesis::Stream").id == "kinesis-data-streams"
    assert services.resolve("KINESIS-DATA-STREAMS").id == "kinesis-data-streams"
    assert services.resolve("nope") is None
    assert services.suggest("kinesis-data-stream")[0] == "`kinesis-data-streams`"


def test_statuses_from_the_facts():
    services = load_services()
    assert services["kinesis-data-analytics-sql"].status == "deprecated"
    assert services["kinesis-data-analytics-sql"].successor == "managed-flink"
    assert services["elasticsearch"].successor == "opensearch"
    assert services["data-pipeline"].status != "current"
    assert services["machine-learning"].status != "current"


def test_integrations_file_matches_its_schema():
    data_dir = resources.files("archgen.data")
    schema = json.loads(data_dir.joinpath("integrations.schema.json").read_text())
    data = yaml.safe_load(data_dir.joinpath("integrations.yaml").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(data, schema)


def test_rules_name_only_known_services_and_mechanisms():
    services = load_services().services
    book = load_rules()
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids))
    assert len(book.rules) >= 100
    for rule in book.rules:
        for sid in (*rule.sources, *rule.targets, *([rule.hop] if rule.hop else [])):
            assert sid in services, (rule.id, sid)
        assert rule.doc.startswith("https://"), rule.id
    for c in book.corrections.values():
        assert not book.rules_for(c.source, c.target), c.id
        for a, b in zip(c.instead, c.instead[1:]):
            assert book.rules_for(a, b), (c.id, a, b)


def test_instance_parsing():
    cat = load_instances()
    itype, _ = cat.parse("r7g.2xlarge")
    assert itype.family.category == "memory-optimized" and itype.size == "2xlarge"
    assert itype.generation_number == 7
    assert cat.parse("m4.large")[0].family.generation == "previous"
    none, why = cat.parse("r7g.2xlarg")
    assert none is None and "size" in why
    none, why = cat.parse("zz9.large")
    assert none is None and "family" in why
    for fam in ["t2", "t3", "m4", "m5", "c4", "c5", "r4", "r5", "x1", "z1d", "p2", "p3", "g3", "f1", "h1", "i3", "d2"]:
        assert fam in cat.families, fam


def test_a_managed_integration_is_picked_before_custom_code_whatever_their_ids():
    # EC2 into Redshift: an SSH COPY (managed) and application code (`app-to-redshift`, which
    # sorts first by id); the flow is drawn as the managed one
    rules = load_rules()
    assert sorted(r.id for r in rules.rules_for("ec2", "redshift") if r.effective_status == "current")[:1] == [
        "app-to-redshift"]
    assert rules.pick("ec2", "redshift").id == "ssh-copy-to-redshift"
