"""`archgen diff` against a CDK cloud assembly and a Terraform plan: exact findings and
positions after editing the spec, and after editing the code."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES

IAC = "tests/fixtures/iac"
DIFF = f"{IAC}/diff"
HINT_SPEC = "    hint: remove it from the spec, or add it to the infrastructure code"
HINT_CODE = "    hint: add it to the spec (`archgen import` writes it), or remove it from the infrastructure code"


def findings_of(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not line.startswith("    hint:")]


def test_diff_of_fresh_imports_is_empty(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    for spec, source in (("cdk.yaml", "cdk.out"), ("terraform-plan.yaml", "terraform-plan.json")):
        result = cli("diff", f"{IAC}/expected/{spec}", "--against", f"{IAC}/{source}")
        assert (result.exit_code, result.stdout) == (0, ""), result.stdout


def test_cdk_after_editing_the_spec(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    spec = f"{DIFF}/cdk.drifted.yaml"
    result = cli("diff", spec, "--against", f"{IAC}/cdk.out")
    assert result.exit_code == 1
    # `lake` is `raw` renamed: its notes still name the bucket, so it is no difference; the
    # flow into `search` is not compared, since `search` itself is already a finding
    assert result.stdout.splitlines() == [
        f"{spec}:24:3: E611 error: component `search` (opensearch) is not in cdk.out (CDK cloud assembly)",
        HINT_SPEC,
        f"{IAC}/cdk.out/LakeStack.template.json:15:5: E612 error: AWS::Glue::Database AnalyticsCatalog0D1E2F3A "
        "(Glue Data Catalog) is not in the spec (it would be `analytics-catalog`)",
        HINT_CODE,
        f"{IAC}/cdk.out/LakeStackIngest0F1E2D3C.nested.template.json:16:5: E614 error: flow `clicks -> delivery` "
        "(stream-source) is in the code but not in the spec",
        HINT_CODE,
    ]
    assert result.stderr.splitlines()[-1] == f"{spec} against cdk.out (CDK cloud assembly): 3 difference(s)"


def test_cdk_after_editing_the_assembly(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    # the edited assembly drops the Athena workgroup and the crawler's database, and its nested
    # stack gains an indexer function fed by the stream and a Firehose format conversion that
    # names the Glue database by its literal name
    code = f"{DIFF}/edited/cdk.out"
    result = cli("diff", f"{IAC}/expected/cdk.yaml", "--against", code, "-f", "json")
    assert result.exit_code == 1
    found = [(f["code"], f["file"], f["line"], f["column"], f["message"])
             for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("E611", f"{IAC}/expected/cdk.yaml", 33, 3,
         "component `analytics-queries` (athena) is not in cdk.out (CDK cloud assembly)"),
        ("E613", f"{IAC}/expected/cdk.yaml", 48, 5,
         "flow `analytics-crawler -> analytics-catalog` is not in cdk.out (CDK cloud assembly): "
         "no integration property connects them"),
        ("E614", f"{code}/LakeStackIngest0F1E2D3C.nested.template.json", 16, 5,
         "flow `analytics-catalog -> delivery` (catalog) is in the code but not in the spec"),
        ("E612", f"{code}/LakeStackIngest0F1E2D3C.nested.template.json", 36, 5,
         "AWS::Lambda::Function Indexer9A8B7C6D (Lambda) is not in the spec (it would be `indexer`)"),
    ]


def test_terraform_after_editing_the_spec(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    spec = f"{DIFF}/terraform-plan.drifted.yaml"
    result = cli("diff", spec, "--against", f"{IAC}/terraform-plan.json")
    assert result.exit_code == 1
    # the code's flow `lake -> indexer` is not compared: the indexer is missing, which E612 says
    assert findings_of(result.stdout) == [
        f"{spec}:33:3: E611 error: component `reports` (quicksight) is not in terraform-plan.json (Terraform)",
        f"{spec}:49:5: E613 error: flow `to_lake -> dwh` is not in terraform-plan.json (Terraform): "
        "no integration property connects them",
        f"{IAC}/terraform-plan.json:28:11: E612 error: aws_lambda_function indexer (Lambda) is not in the spec "
        "(it would be `indexer`)",
        f"{IAC}/terraform-plan.json:88:11: E614 error: flow `clicks -> dwh` (streaming-ingestion) is in the code "
        "but not in the spec",
    ]


def test_terraform_after_editing_the_plan(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    # the edited plan drops the bucket notification, and adds an SNS topic and an event source
    # mapping whose stream ARN comes out of `module.ingest` (known only after apply)
    code = f"{DIFF}/edited/terraform-plan.json"
    result = cli("diff", f"{IAC}/expected/terraform-plan.yaml", "--against", code, "-f", "sarif")
    assert result.exit_code == 1
    results = json.loads(result.stdout)["runs"][0]["results"]
    located = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results]
    assert located == [
        ("E613", f"{IAC}/expected/terraform-plan.yaml", 47, 5),
        ("E614", code, 28, 11),
        ("E612", code, 38, 11),
    ]
    assert [r["message"]["text"].split(" (hint: ")[0] for r in results][1:] == [
        "flow `clicks -> indexer` (esm) is in the code but not in the spec",
        "aws_sns_topic alerts (Amazon SNS) is not in the spec (it would be `alerts`)",
    ]


def test_diff_github_annotations_point_into_the_nested_template(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    result = cli("diff", f"{DIFF}/cdk.drifted.yaml", "--against", f"{IAC}/cdk.out", "-f", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith(f"::error file={IAC}/cdk.out/LakeStackIngest0F1E2D3C.nested.template.json,"
                               "line=16,col=5,")


def test_readme_shows_the_terraform_diff_as_it_is(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
    command = f"archgen diff {DIFF}/terraform-plan.drifted.yaml --against {IAC}/terraform-plan.json"
    block = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    result = cli(*command.split()[1:])
    assert block.splitlines() == findings_of(result.stdout)
