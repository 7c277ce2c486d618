"""Reporters: SARIF validates against the official schema; GitHub annotations; rules docs."""

from __future__ import annotations

import json

import jsonschema
import pytest

from archgen.codes import load_codes
from archgen.docs import rules_markdown
from tests.conftest import FIXTURES, ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_validates(cli):
    specs = [FIXTURES / "codes" / f"{c}.fail.yaml" for c in ("E301", "W403", "E201", "E001")]
    result = cli("check", *specs, "-f", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert set(load_codes()) <= set(rule_ids)
    assert all(r["helpUri"].startswith("https://") for r in run["tool"]["driver"]["rules"])
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"E301", "W403", "E201", "E001"}
    for r in results:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_github_annotations(cli):
    result = cli("check", FIXTURES / "codes" / "E301.fail.yaml", "-f", "github")
    line = result.stdout.splitlines()[0]
    assert line.startswith("::error file=") and ",line=10,col=" in line and "title=E301::" in line


def test_text_format(cli):
    path = FIXTURES / "codes" / "E301.fail.yaml"
    result = cli("check", path)
    assert f"{path}:10:" in result.stdout and "E301 error:" in result.stdout
    assert "hint: " in result.stdout


def test_rules_for_a_service(cli):
    result = cli("rules", "firehose")
    assert result.exit_code == 0
    assert "can be fed by" in result.stdout and "kinesis-data-streams" in result.stdout
    assert "https://docs.aws.amazon.com" in result.stdout
    assert cli("rules", "nonsense").exit_code == 2


def test_rules_codes_lists_every_code(cli):
    out = cli("rules", "--codes").stdout
    for code in load_codes():
        assert code in out


@pytest.mark.generated
def test_committed_rules_doc_is_current():
    committed = (ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown() + "\n", "run `archgen rules --markdown > docs/reference/rules.md`"
