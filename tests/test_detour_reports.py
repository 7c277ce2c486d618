"""Detours leave archgen as data: `detours` in JSON, `fixes` in SARIF."""

from __future__ import annotations

import json

import jsonschema

from tests.conftest import FIXTURES, ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
SPEC = FIXTURES / "codes" / "E301.fail.yaml"


def test_json_detours_best_first(cli):
    result = cli("check", SPEC, "-f", "json")
    assert result.exit_code == 1
    (f,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "E301"]
    assert (f["line"], f["column"]) == (10, 22)
    assert f["detours"] == [["kinesis-data-streams", "firehose", "s3"],
                            ["kinesis-data-streams", "opensearch-ingestion", "s3"],
                            ["kinesis-data-streams", "lambda", "firehose", "s3"]]


def test_other_findings_carry_no_detours(cli):
    result = cli("check", FIXTURES / "codes" / "E310.fail.yaml", "-f", "json")
    (f,) = json.loads(result.stdout)["findings"]
    assert f["code"] == "E310" and "detours" not in f
    assert (f["line"], f["column"]) == (15, 17)


def test_sarif_fixes(cli):
    result = cli("check", SPEC, "-f", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    (r,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "E301"]
    first = r["fixes"][0]
    assert first["description"]["text"] == ("use firehose: kinesis-data-streams -> firehose -> s3 "
                                            "(declare a component for each service in between)")
    replacement = first["artifactChanges"][0]["replacements"][0]
    assert replacement["deletedRegion"] == {"startLine": 10, "startColumn": 22, "endLine": 10, "endColumn": 22}
    assert replacement["insertedContent"]["text"] == "firehose -> "
    assert len(r["fixes"]) == 3
