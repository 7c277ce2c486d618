"""Rule families at their edges: long group cycles, the size at which views are suggested,
and constraint messages worded as one sentence."""

from __future__ import annotations

from archgen.check import check_file
from tests.conftest import FIXTURES

DIR = FIXTURES / "structure"


def rows(path):
    return [(f.code, f.line, f.column, f.message) for f in check_file(path).findings]


def test_a_long_group_cycle_shows_its_ends():
    assert rows(DIR / "long-group-cycle.yaml") == [
        ("E204", 9, 3, "groups contain each other: g1 -> g2 -> g3 -> g4 -> … 3 more … -> g8 -> g9 -> g1")]


def test_views_are_suggested_from_26_components():
    assert rows(DIR / "26-components.yaml") == [
        ("I209", 32, 1, "26 components are too many to read in one picture on a slide")]
    assert rows(DIR / "25-components.yaml") == []


def test_constraint_message_continues_with_the_rule_in_lower_case():
    (f,) = check_file(FIXTURES / "constraints" / "kinesis-21-consumers.fail.yaml").findings
    assert f.message == (
        "Kinesis Data Streams `clicks` should not take this flow into `fn21`: a Kinesis data stream "
        "registers at most 20 enhanced fan-out consumers (50 in On-demand Advantage mode); any further "
        "consumer shares the 2 MB/s of reads per shard with the others (it already has `fn01`)")


def test_an_unknown_service_does_not_stop_the_rule_checks():
    assert [(code, line, column) for code, line, column, _ in rows(DIR / "unknown-service-and-illegal-flow.yaml")] == [
        ("W201", 6, 3), ("E110", 6, 8), ("E301", 12, 22)]



def test_an_unsupported_format_version_stops_before_the_rules():
    assert rows(FIXTURES / "loader" / "future-version.yaml") == [("E105", 2, 10, "unsupported format version `2`")]


def test_a_misspelt_instance_family_suggests_whole_instance_types_in_the_one_wording():
    [finding] = check_file(DIR / "misspelt-family.yaml").findings
    assert (finding.code, finding.line, finding.column, finding.message) == (
        "E401", 12, 24, "unknown EC2 instance type `r7q.2xlarge`")
    assert finding.hint == ("no EC2 instance family `r7q`. "
                            "did you mean `r7i.2xlarge` or `r7g.2xlarge` or `r7a.2xlarge`?")


def test_numbers_out_of_bounds_name_the_bound_and_the_value():
    assert [(f.code, f.line, f.column, f.message, f.hint)
            for f in check_file(DIR / "node-counts-out-of-bounds.yaml").findings] == [
        ("E104", 11, 44, "`analytics.cluster.nodes.core.count` must be at least 1, not 0", "use a value of 1 or more"),
        ("E104", 12, 43, "`analytics.cluster.nodes.task.count` must be at most 10000, not 20000",
         "use a value of 10000 or less"),
    ]


def test_groups_past_the_depth_limit_give_one_finding_at_the_first_too_deep():
    assert rows(DIR / "groups-34-deep.yaml") == [
        ("E005", 41, 3, "groups nest 33 deep at `d33`; the limit is 32")]


def test_groups_in_a_cycle_count_as_depth_zero_for_the_groups_under_them():
    assert rows(DIR / "chain-under-cycle.yaml") == [("E204", 10, 3, "groups contain each other: c1 -> c2 -> c1")]


def test_a_target_with_exactly_as_many_feeders_as_listed_names_them_all():
    [finding] = check_file(FIXTURES / "hints" / "feeders-exactly-listed.yaml").findings
    assert (finding.code, finding.line, finding.column) == ("E301", 8, 14)
    assert finding.hint.rsplit("; ", 1)[1] == (
        "Step Functions accepts data from ec2, eventbridge, eventbridge-pipes, iot-core, iot-rule, iot-topic, "
        "lambda, sdk")
