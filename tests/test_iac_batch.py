"""A Glue/Athena batch lake: S3 events start a Step Functions workflow running a Glue job
and a crawler; Athena and QuickSight read the result. Exact components and flows."""

from __future__ import annotations

from archgen.check import check_source
from archgen.iac import import_sources
from archgen.iac.write import to_yaml
from tests.conftest import FIXTURES


def test_batch_lake(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = import_sources(["tests/fixtures/iac/batch-lake.yaml"])
    # the Glue connection stands for the database its JDBC URL names; the QuickSight data set
    # and data source lead from the dashboard to the Athena workgroup they query; the Glue
    # table, workflow, named query, bucket policy and IAM roles are plumbing
    assert {cid: c.service for cid, c in result.components.items()} == {
        "raw-bucket": "s3", "curated-bucket": "s3", "results-bucket": "s3", "scripts-bucket": "s3",
        "sales-database": "glue-data-catalog", "orders-db": "rds", "curate-job": "glue",
        "curated-crawler": "glue-crawler", "raw-arrived": "eventbridge", "pipeline": "step-functions",
        "analysts": "athena", "sales-dashboard": "quicksight",
    }
    # `!Ref DatabaseName` is the parameter's default: the database is labelled and found by it
    assert result.components["sales-database"].label == "sales"
    assert [(f.source, f.target, f.via) for f in result.flows] == [
        ("raw-bucket", "raw-arrived", "event-notification"),  # EventBridge enabled, a rule on aws.s3
        ("orders-db", "curate-job", "connector"),
        ("raw-bucket", "curate-job", "connector"),  # `--source_path`
        ("curate-job", "curated-bucket", "connector"),  # `--target_path`
        ("curated-bucket", "curated-crawler", "crawler"),
        ("curated-crawler", "sales-database", "crawler"),  # `DatabaseName: sales`, a literal
        ("raw-arrived", "pipeline", "rule-target"),
        ("pipeline", "curate-job", "orchestration"),
        ("pipeline", "curated-crawler", "orchestration"),
        ("analysts", "results-bucket", "query-results"),
        ("sales-database", "analysts", "catalog"),  # the named query's database and workgroup
        ("analysts", "sales-dashboard", "data-source"),
    ]
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("W601", 210, 3, "resource type `AWS::CloudTrail::Trail` (AuditTrail) maps to no archgen service; "
                         "it is left out")]
    checked = check_source(to_yaml(result), "batch-lake.yaml")
    # the scripts bucket holds the job's code, which is no data flow
    assert [(f.code, f.line, f.message) for f in checked.findings] == [
        ("W201", 33, "component `scripts-bucket` has no flows")]
