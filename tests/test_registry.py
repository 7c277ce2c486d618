"""Every finding code is declared by the stage or rule family that reports it, and the
registry of declarations is what the docs and SARIF list."""

from __future__ import annotations

import json

import pytest

import archgen.checks as checks_pkg
from archgen.catalog import read_data
from archgen.catalog.constraints import load_constraints
from archgen.check import check_file, stages
from archgen.codes import load_codes
from archgen.docs import rules_markdown
from archgen.findings import Finding
from archgen.registry import declarations, reporter_of
from archgen.report import format_findings
from archgen.suppress import ignore_problem, suppressible
from tests.conftest import FIXTURES

SPEC_FIXTURES = sorted(p for d in ("codes", "snapshots", "emr") for p in (FIXTURES / d).glob("*.yaml"))


def test_codes_yaml_texts_exactly_the_declared_codes():
    texts = set(read_data("codes.yaml")["codes"])
    assert texts == set(reporter_of())
    assert list(load_codes()) == list(reporter_of())


def test_pipeline_order_and_first_reporter():
    assert [name for name, _ in declarations()] == [
        "decode", "yaml", "version", "size", "schema", "model", "structure", "roles", "integration",
        "constraints", "status", "emr", "views", "ignores", "layout", "file names", "files", "import", "diff",
        "config", "internal"]
    assert [s.name for s in stages()] == ["decode", "yaml", "version", "size", "schema", "rules", "layout",
                                          "file names"]
    assert [s.name for s in stages() if s.always] == ["file names"]  # E009 even for a spec that fails to load
    assert reporter_of()["E005"] == "decode"  # the file-size limit comes first
    assert reporter_of()["E202"] == "model"
    assert reporter_of()["E105"] == "version"
    assert reporter_of()["W310"] == "constraints"


def test_constraint_data_uses_only_declared_codes():
    from archgen.checks.constraints import CODES

    assert sorted({c.code for c in load_constraints().constraints}) == sorted(CODES)


@pytest.mark.parametrize("path", SPEC_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_fixture_meets_an_undeclared_code(path):
    assert [f.message for f in check_file(path).findings if f.code == "E999"] == []


def test_a_family_reporting_an_undeclared_code_is_an_internal_error(monkeypatch):
    def sloppy(ctx):
        yield Finding("W201", "reported without being declared", ())

    real = checks_pkg.registry
    monkeypatch.setattr(checks_pkg, "registry", lambda: (*real(), checks_pkg.Family("sloppy", sloppy, ("W202",))))
    found = [(f.code, f.message) for f in check_file(FIXTURES / "codes" / "E301.pass.yaml").findings]
    assert found == [("E999", "internal error: the sloppy checks reported W201, which they do not declare"),
                     ("W201", "reported without being declared")]


def test_a_crash_keeps_what_the_family_found_before_it(monkeypatch):
    def halfway(ctx):
        yield Finding("W202", "found first", ())
        raise ValueError("then broke")

    monkeypatch.setattr(checks_pkg, "registry", lambda: (checks_pkg.Family("halfway", halfway, ("W202",)),))
    found = [(f.code, f.message) for f in check_file(FIXTURES / "codes" / "E301.pass.yaml").findings]
    assert found == [("E999", "internal error in the halfway checks: ValueError('then broke')"),
                     ("W202", "found first")]


def test_suppression_policy_is_data():
    assert [c for c, e in load_codes().items() if not e.suppressible] == [
        "E005", "E006", "E001", "E002", "E003", "E004", "E007", "E101", "E102", "E105", "E103", "E104",
        "E106", "E110", "E202", "E205", "E201", "E203", "E207", "E208", "E209", "E009", "E008", "E999"]
    assert suppressible("W201") and not suppressible("E201") and suppressible("X123")
    assert ignore_problem("E20") is None  # E204 and E206 can be
    assert ignore_problem("E1") == "the codes starting with `E1` cannot be suppressed"
    assert ignore_problem("E201") == "`E201` cannot be suppressed"
    assert ignore_problem("Q") == "no finding code starts with `Q`"


def test_rules_reference_rows_come_from_the_registry():
    rows = [line for line in rules_markdown().splitlines() if line.startswith("| <a id=")]
    assert len(rows) == len(reporter_of())
    assert rows[3] == ('| <a id="e001"></a>`E001` | error | yaml-syntax | yaml | no | '
                       'The file is not valid YAML. |')
    e202 = next(r for r in rows if "`E202`" in r)
    assert e202.split(" | ")[3:5] == ["model", "no"]


def test_sarif_rules_are_the_declared_codes():
    log = json.loads(format_findings([], "sarif"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(reporter_of())
    e310 = next(r for r in rules if r["id"] == "E310")
    assert (e310["name"], e310["defaultConfiguration"]["level"]) == ("component-limit", "error")


def test_graphviz_trouble_is_printed_as_an_archgen_warning(capsys):
    from archgen import cli
    from archgen.errors import GraphvizWarning

    cli._show_warning("Error: trouble in layout", GraphvizWarning, "graphviz.py", 1)
    assert capsys.readouterr().err == "archgen: warning: graphviz: Error: trouble in layout\n"
