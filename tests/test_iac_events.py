"""An event-driven order app (SQS, DynamoDB Streams, EventBridge Pipes, a custom event bus,
Step Functions, SNS, EventBridge Scheduler), once as a SAM/CloudFormation template and once
as a Terraform state: exact components, flows, and what is left out with its position."""

from __future__ import annotations

from archgen.check import check_source
from archgen.iac import import_sources
from archgen.iac.write import to_yaml
from tests.conftest import FIXTURES

IAC = FIXTURES / "iac"


def services(result) -> dict[str, str]:
    return {cid: comp.service for cid, comp in result.components.items()}


def flows(result) -> list[tuple[str, str, str | None]]:
    return [(f.source, f.target, f.via) for f in result.flows]


def test_cloudformation_event_app(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = import_sources(["tests/fixtures/iac/order-events.yaml"])
    # IAM roles, the queue policy and the log group are plumbing; the rule on the custom bus is
    # drawn as the bus; the table's stream is a component of its own between table and pipe
    assert services(result) == {
        "incoming-orders": "sqs", "incoming-orders-dlq": "sqs", "record-order": "lambda",
        "orders-table": "dynamodb", "orders-table-dynamodb-streams": "dynamodb-streams",
        "order-changes-pipe": "eventbridge-pipes", "order-bus": "eventbridge", "archive": "firehose",
        "archive-bucket": "s3", "fulfilment": "step-functions", "charge": "lambda", "order-updates": "sns",
        "updates-to-email-users": "users", "customer-notices": "sqs", "nightly-report": "eventbridge",
        "notice-sender": "lambda",
    }
    assert flows(result) == [
        ("incoming-orders", "incoming-orders-dlq", "dead-letter"),
        ("incoming-orders", "record-order", "esm"),  # the SAM function's SQS event
        ("orders-table", "orders-table-dynamodb-streams", "enable-stream"),
        ("orders-table-dynamodb-streams", "order-changes-pipe", "pipe"),  # `!GetAtt OrdersTable.StreamArn`
        ("order-changes-pipe", "order-bus", "pipe"),
        ("order-bus", "fulfilment", "rule-target"),
        ("order-bus", "archive", "rule-target"),
        ("archive", "archive-bucket", "destination"),
        # the definition's `${ChargeArn}`, `${OrdersTable}` and `${OrderUpdates}`
        ("fulfilment", "charge", "orchestration"),
        ("fulfilment", "orders-table", "orchestration"),
        ("fulfilment", "order-updates", "orchestration"),
        ("order-updates", "updates-to-email-users", "subscription"),  # its Condition holds for Stage=prod
        ("order-updates", "customer-notices", "subscription"),
        ("nightly-report", "charge", "rule-target"),
        ("customer-notices", "notice-sender", "esm"),  # through `!Select [0, !Split [...]]`
    ]
    assert result.components["orders-table-dynamodb-streams"].notes == (
        "DynamoDB Streams of AWS::DynamoDB::Table OrdersTable (StreamArn)")
    assert [(f.code, f.line, f.column) for f in result.findings] == [
        ("W601", 26, 3), ("W601", 224, 3), ("W602", 250, 7)]
    assert [f.message for f in result.findings] == [
        "resource type `AWS::ApiGateway::RestApi` (OrdersApi) maps to no archgen service; it is left out",
        "`Fn::ForEach::Replicas` is a loop of the AWS::LanguageExtensions transform, which archgen does not "
        "expand; its resources are left out",
        "DeliveryTracker: `EventSourceArn` cannot be followed: `Fn::GetRegionalValue` is not an intrinsic "
        "function archgen knows; the flow is left out",
    ]
    checked = check_source(to_yaml(result), "order-events.yaml")
    assert [(f.code, f.message) for f in checked.findings] == []


def test_terraform_state_of_the_same_app(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = import_sources(["tests/fixtures/iac/order-events-state.json"])
    assert services(result) == {
        "incoming": "sqs", "incoming_dlq": "sqs", "record": "lambda", "orders": "dynamodb",
        "orders-dynamodb-streams": "dynamodb-streams", "orders_cloudwatch_event_bus": "eventbridge",
        "changes": "eventbridge-pipes", "fulfilment": "step-functions", "charge": "lambda", "updates": "sns",
        "notices": "sqs", "nightly": "eventbridge",
    }
    # a state has literals only: the stream ARN names the table's stream, the rule names its bus,
    # and the redrive policy and the state machine definition are JSON text whose ARNs are followed
    assert flows(result) == [
        ("incoming", "incoming_dlq", "dead-letter"),
        ("incoming", "record", "esm"),
        ("orders", "orders-dynamodb-streams", "enable-stream"),
        ("orders-dynamodb-streams", "changes", "pipe"),
        ("changes", "orders_cloudwatch_event_bus", "pipe"),
        ("orders_cloudwatch_event_bus", "fulfilment", "rule-target"),
        ("fulfilment", "charge", "orchestration"),
        ("fulfilment", "updates", "orchestration"),
        ("updates", "notices", "subscription"),
        ("nightly", "charge", "rule-target"),
    ]
    assert [(f.code, f.file.rsplit("/", 1)[1], f.line, f.column) for f in result.findings] == [
        ("W601", "order-events-state.json", 234, 11)]
    checked = check_source(to_yaml(result), "order-events-state.yaml")
    assert [(f.code, f.message) for f in checked.findings] == []
