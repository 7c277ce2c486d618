"""`archgen import`: real templates in, exact specs and positioned findings out."""

from __future__ import annotations

import json
import os

import pytest

from archgen.check import check_file, check_source
from archgen.iac import import_sources
from archgen.iac.write import to_yaml
from tests.conftest import FIXTURES

IAC = FIXTURES / "iac"
EXPECTED = IAC / "expected"
UPDATE = os.environ.get("ARCHGEN_UPDATE_SNAPSHOTS") == "1"

# name of the snapshot in expected/ -> the inputs imported together
CASES = {
    "streaming-lake": ["streaming-lake.yaml"],
    "serverless-app": ["serverless-app.yaml"],
    "cdc-pipeline": ["cdc-pipeline.json", "shared-lake.yaml"],
    "unmapped": ["unmapped.yaml"],
    "illegal": ["illegal.yaml"],
    "cdk": ["cdk.out"],
    "terraform-plan": ["terraform-plan.json"],
    "terraform-state": ["terraform-state.json"],
}


def imported(name: str):
    return import_sources([f"tests/fixtures/iac/{f}" for f in CASES[name]])


def positions(result, code: str) -> list[tuple[str, int, int]]:
    return [(f.file.rsplit("/", 1)[-1], f.line, f.column) for f in result.findings if f.code == code]


@pytest.mark.parametrize("name", sorted(CASES))
def test_import_matches_snapshot(name, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    text = to_yaml(imported(name))
    path = EXPECTED / f"{name}.yaml"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["streaming-lake", "serverless-app", "cdc-pipeline", "unmapped", "cdk",
                                  "terraform-plan", "terraform-state"])
def test_legal_templates_import_to_clean_specs(name):
    result = check_file(EXPECTED / f"{name}.yaml")
    assert [(f.code, f.message) for f in result.findings] == []


def test_illegal_template_reports_what_a_hand_written_spec_reports():
    by_import = check_source(to_yaml(import_sources([IAC / "illegal.yaml"])), "imported.yaml")
    by_hand = check_file(IAC / "illegal-by-hand.yaml")
    assert [f.code for f in by_import.findings] == ["E301"]
    assert [(f.code, f.message, f.hint) for f in by_import.findings] == \
        [(f.code, f.message, f.hint) for f in by_hand.findings]


def test_flows_come_from_integration_properties_not_references(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("streaming-lake")
    pairs = {(f.source, f.target, f.via) for f in result.flows}
    # the IAM role names the bucket and the stream; it is no component and gives no flow
    assert not any("role" in cid for cid in result.components)
    # the log group is only used for logging
    assert "indexer-logs" not in result.components
    # `!If [UseBigIndexer, ...]` is decided by the parameter default: the big indexer is out
    assert "big-indexer-function" not in result.components
    assert ("new-objects", "indexer", "esm") in pairs
    assert ("lake-database", "delivery", "catalog") in pairs
    assert ("delivery", "enrich", "transform") in pairs
    assert len(result.flows) == 11


def test_unmapped_resources_are_findings_with_template_positions(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("unmapped")
    assert positions(result, "W601") == [("unmapped.yaml", 2, 3), ("unmapped.yaml", 19, 3)]
    assert [f.message for f in result.findings if f.code == "W601"][0] == (
        "resource type `AWS::ElastiCache::CacheCluster` (Cache) maps to no archgen service; it is left out")
    # an unknown intrinsic is kept unresolved: a warning at the property, never a crash
    assert positions(result, "W602") == [("unmapped.yaml", 24, 7)]
    assert "`Fn::Magic` is not an intrinsic function archgen knows" in next(
        f.message for f in result.findings if f.code == "W602")


def test_sam_and_json_positions(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    sam = imported("serverless-app")
    assert positions(sam, "W601") == [("serverless-app.yaml", 142, 3)]
    assert positions(sam, "W602") == [("serverless-app.yaml", 139, 7)]
    assert "export `shared-audit-stream-arn` is not defined by any input stack" in next(
        f.message for f in sam.findings if f.code == "W602")
    cdc = imported("cdc-pipeline")
    # the JSON template indents `Audit` with a tab: column 2 is right after it
    assert positions(cdc, "W601") == [("cdc-pipeline.json", 118, 2)]
    assert [f.code for f in cdc.findings] == ["W601"]


def test_import_value_resolves_to_the_exporting_stack(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("cdc-pipeline")
    assert ("to-lake", "shared-lake", "dms-endpoint") in {(f.source, f.target, f.via) for f in result.flows}
    # without the exporting stack the DMS endpoint itself stands for the bucket, by its engine
    alone = import_sources(["tests/fixtures/iac/cdc-pipeline.json"])
    assert alone.components["lake-endpoint"].service == "s3"
    assert ("to-lake", "lake-endpoint", "dms-endpoint") in {(f.source, f.target, f.via) for f in alone.flows}


@pytest.mark.parametrize("name, line, column, message", [
    ("bad.yaml", 5, 8, "YAML syntax error"),
    ("bad.json", 3, 41, "JSON syntax error: Expecting property name enclosed in double quotes"),
])
def test_unparseable_template_is_an_error_with_position(name, line, column, message):
    result = import_sources([IAC / name])
    assert not result.ok
    assert [(f.code, f.line, f.column) for f in result.findings] == [("E601", line, column)]
    assert result.findings[0].message.startswith(message)
    assert result.components == {}


def test_a_spec_is_not_a_template():
    result = import_sources([IAC / "not-a-template.yaml"])
    assert [(f.code, f.line, f.column) for f in result.findings] == [("E602", 1, 1)]


def test_cdk_nested_stack_and_construct_paths(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("cdk")
    # the nested stack's Firehose reaches the parent's bucket through a stack parameter
    assert ("delivery", "raw", "destination") in {(f.source, f.target, f.via) for f in result.flows}
    # labels are construct ids; groups are the constructs and the nested stack around them
    assert result.components["analytics-crawler"].label == "Crawler"
    assert result.groups == {"analytics": ("Analytics", ["analytics-catalog", "analytics-crawler",
                                                         "analytics-queries"]),
                             "ingest": ("Ingest", ["clicks", "delivery"])}
    assert positions(result, "W601") == [("LakeStackIngest0F1E2D3C.nested.template.json", 32, 5)]


def test_terraform_plan_follows_references_across_modules(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("terraform-plan")
    pairs = {(f.source, f.target, f.via) for f in result.flows}
    # `var.lake_bucket_arn` inside module.ingest is the root bucket; the ARN is unknown until apply
    assert ("to_lake", "lake", "destination") in pairs
    # Redshift streaming ingestion: the materialized view's SQL names the stream
    assert ("clicks", "dwh", "streaming-ingestion") in pairs
    assert positions(result, "W601") == [("terraform-plan.json", 102, 11)]
    assert result.groups == {"ingest": ("ingest", ["clicks", "to_lake"])}


def test_terraform_state_matches_literal_arns(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = imported("terraform-state")
    pairs = {(f.source, f.target, f.via) for f in result.flows}
    assert ("alerts", "jobs", "subscription") in pairs
    assert ("jobs", "worker", "esm") in pairs
    # `clicks` names both the stream and the database; `database_name` picks the database
    assert ("clicks_glue_crawler", "clicks", "crawler") in pairs
    assert result.components["clicks"].service == "glue-data-catalog"


# -- the commands -----------------------------------------------------------------------------

DIFF = IAC / "diff"


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("    hint:")]


def test_import_command_writes_the_snapshot_and_checks_it(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    out = tmp_path / "lake.yaml"
    result = cli("import", "tests/fixtures/iac/streaming-lake.yaml", "-o", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == (EXPECTED / "streaming-lake.yaml").read_text(encoding="utf-8")
    assert result.stderr == f"wrote {out} (12 components, 11 flows)\n"


def test_import_command_prints_to_stdout_with_unmapped_findings(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("import", "tests/fixtures/iac/unmapped.yaml")
    assert result.exit_code == 0
    assert result.stdout == (EXPECTED / "unmapped.yaml").read_text(encoding="utf-8")
    assert lines_of(result.stderr)[0] == (
        "tests/fixtures/iac/unmapped.yaml:2:3: W601 warning: resource type `AWS::ElastiCache::CacheCluster` "
        "(Cache) maps to no archgen service; it is left out")


def test_import_command_reports_the_imported_specs_errors(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("import", "tests/fixtures/iac/illegal.yaml")
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in lines_of(result.stderr) if ": E" in line] == ["E301 error"]


def test_import_command_unparseable_template_exits_1(cli):
    result = cli("import", IAC / "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert lines_of(result.stderr)[0].startswith(f"{IAC / 'bad.yaml'}:5:8: E601 error: YAML syntax error")
    assert lines_of(result.stderr)[-1] == "nothing imported (fix the errors above)"


def test_import_command_missing_source_is_a_usage_error(cli, tmp_path):
    result = cli("import", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"archgen: error: {tmp_path / 'nope.yaml'}: no such file or folder")


def test_import_render_writes_the_picture(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    spec = tmp_path / "lake.yaml"
    result = cli("import", "tests/fixtures/iac/streaming-lake.yaml", "-o", spec, "--render",
                 "--render-dir", tmp_path / "pictures", "-T", "svg")
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "pictures" / "lake.svg").read_text(encoding="utf-8")
    assert svg.count("<g id=\"node") == 12
    assert f"wrote {tmp_path / 'pictures' / 'lake.svg'}" in result.stderr.splitlines()


def test_diff_of_a_fresh_import_is_empty(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("diff", "tests/fixtures/iac/expected/streaming-lake.yaml", "--against",
                 "tests/fixtures/iac/streaming-lake.yaml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.endswith("against streaming-lake.yaml (CloudFormation): 0 difference(s)\n")


def test_diff_after_editing_the_spec(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("diff", "tests/fixtures/iac/diff/streaming-lake.drifted.yaml", "--against",
                 "tests/fixtures/iac/streaming-lake.yaml")
    assert result.exit_code == 1
    spec, code = "tests/fixtures/iac/diff/streaming-lake.drifted.yaml", "tests/fixtures/iac/streaming-lake.yaml"
    # `lake` is `lake-bucket` renamed: its notes still name the bucket, so it is no difference
    assert lines_of(result.stdout) == [
        f"{spec}:58:3: E611 error: component `dashboards` (quicksight) is not in streaming-lake.yaml (CloudFormation)",
        f"{spec}:73:5: E613 error: flow `lake -> queries` is not in streaming-lake.yaml (CloudFormation): "
        "no integration property connects them",
        f"{code}:123:3: E614 error: flow `new-objects -> indexer` (esm) is in the code but not in the spec",
        f"{code}:153:3: E612 error: AWS::S3::Bucket ResultsBucket (Amazon S3) is not in the spec "
        "(it would be `results-bucket`)",
    ]


def test_diff_after_editing_the_code_as_json(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("diff", "tests/fixtures/iac/expected/streaming-lake.yaml", "--against",
                 "tests/fixtures/iac/diff/edited/streaming-lake.yaml", "-f", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"].rsplit("fixtures/", 1)[1], f["line"], f["column"]) for f in found] == [
        ("E613", "iac/expected/streaming-lake.yaml", 71, 5),
        ("E614", "iac/diff/edited/streaming-lake.yaml", 124, 3),
        ("E612", "iac/diff/edited/streaming-lake.yaml", 131, 3),
    ]
    assert found[1]["message"] == "flow `new-objects -> enrich` (esm) is in the code but not in the spec"


def test_diff_sarif_and_ignore(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    args = ("diff", "tests/fixtures/iac/expected/streaming-lake.yaml", "--against",
            "tests/fixtures/iac/diff/edited/streaming-lake.yaml")
    sarif = json.loads(cli(*args, "-f", "sarif").stdout)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["E613", "E614", "E612"]
    quiet = cli(*args, "--ignore", "E61")
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_diff_matches_a_hand_written_spec_by_service(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    # the hand-written spec has other ids and no notes: each service it has once is matched
    result = cli("diff", "tests/fixtures/iac/illegal-by-hand.yaml", "--against", "tests/fixtures/iac/illegal.yaml")
    assert (result.exit_code, result.stdout) == (0, "")


def test_readme_example_is_the_import_of_its_template(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    doc = FIXTURES.parent.parent / "docs" / "import"
    assert to_yaml(imported("streaming-lake")) == (doc / "streaming-lake.yaml").read_text(encoding="utf-8")
    # the committed picture is the one `--render` draws today
    result = cli("render", "docs/import/streaming-lake.yaml", "-o", "docs/import", "--check")
    assert (result.exit_code, result.stdout) == (0, ""), \
        "re-render it: archgen render docs/import/streaming-lake.yaml -o docs/import"


def test_json_nested_past_the_stack_is_an_error_with_position_not_a_traceback():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "archgen", "import", str(IAC / "deep-nesting.json")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.splitlines()[:2] == [
        f"{IAC / 'deep-nesting.json'}:1:1014: E601 error: the file is too large or nests too deeply to import",
        "    hint: split it into several templates"]


def test_strings_holding_json_nested_past_the_stack_are_plain_text():
    # a redrive policy, an event pattern and a state machine definition, each 3,000 lists deep
    result = import_sources([IAC / "deep-strings.json"])
    assert result.ok
    assert sorted(result.components) == ["machine", "queue", "rule"]
    assert [(f.source, f.target, f.via) for f in result.flows] == [("rule", "queue", "rule-target")]
