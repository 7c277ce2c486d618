"""Exact expected output, committed: every code's position, EMR advice per workload, whole reports.

After a deliberate change to findings or report formats, rewrite the expected files with
`python -m tests.regen` and review `git diff tests/snapshots/` before committing.
"""

from __future__ import annotations

import json

import pytest
import yaml

from archgen.codes import load_codes
from tests import regen

REGEN = "intended? rewrite the expected files with `python -m tests.regen` and review the diff"


def expected(name: str):
    return yaml.safe_load((regen.SNAPSHOT_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(regen.ROOT)


# Codes about other inputs than a spec (templates, configuration) or about archgen itself
# have their own tests (test_iac.py, test_config.py, test_check.py); E008 is about an entry
# of a folder, not a spec's content (test_hostile_files.py).
# "file names" (E009) depends on the spec's own file name, which a fixture called E009.fail.yaml
# cannot have: it is tested on device-named files in tests/test_hostile.py
NOT_SPEC_FAMILIES = {"import", "diff", "config", "internal", "files", "file names"}
CODES = sorted(c for c, entry in load_codes().items() if entry.family not in NOT_SPEC_FAMILIES)


@pytest.mark.parametrize("code", CODES)
def test_code_fixture_positions_and_text(code):
    table = expected("code-positions.yaml")
    assert code in table, f"no expected rows for {code}; {REGEN}"
    rows = regen.finding_rows(regen.CODES_DIR / f"{code}.fail.yaml", code)
    assert rows == table[code], REGEN
    assert rows, f"{code}.fail.yaml must trigger {code}"


def test_every_code_has_exactly_its_expected_rows():
    assert sorted(expected("code-positions.yaml")) == CODES, REGEN


def test_code_table_entries_are_whole_sentences():
    """Each entry has exactly a name and one summary sentence: an unquoted comma in
    a flow mapping would split the summary into stray keys."""
    from archgen.catalog import read_data

    raw = read_data("codes.yaml")["codes"]
    assert {c: sorted(e) for c, e in raw.items() if set(e) - {"suppressible"} != {"name", "summary"}} == {}
    assert [c for c, e in raw.items() if not (e["summary"][0].isupper() and e["summary"].endswith("."))] == []


@pytest.mark.parametrize("workload", sorted(p.stem for p in regen.EMR_DIR.glob("*.yaml")))
def test_emr_workload_findings(workload):
    assert regen.finding_rows(regen.EMR_DIR / f"{workload}.yaml") == expected("emr-workloads.yaml")[workload], REGEN


def test_every_emr_workload_has_a_fixture():
    from archgen.catalog.instances import load_instances

    assert sorted(p.stem for p in regen.EMR_DIR.glob("*.yaml")) == sorted(load_instances().workloads)


@pytest.mark.parametrize("fmt", sorted(regen.FORMATS))
@pytest.mark.parametrize("spec", regen.SNAPSHOT_SPECS)
def test_report_snapshot(spec, fmt):
    committed = regen.snapshot_path(spec, fmt).read_text(encoding="utf-8")
    assert regen.report(spec, fmt) == committed, REGEN


def test_json_snapshot_is_the_findings():
    """The JSON snapshot parses and carries the same rows the text lists, in order."""
    spec = "tests/fixtures/snapshots/mixed.yaml"
    data = json.loads(regen.snapshot_path(spec, "json").read_text(encoding="utf-8"))
    items = data["findings"] if isinstance(data, dict) else data
    assert [(i["code"], i["line"], i["column"]) for i in items] == [
        (r["code"], r["line"], r["column"]) for r in regen.finding_rows(regen.ROOT / spec)]
