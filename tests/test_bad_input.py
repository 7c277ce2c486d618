"""Every malformed spec ends in a positioned finding, exit 1, no traceback, nothing written."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES, load_table

EXPECTED = load_table("bad-expected.yaml")


def test_every_bad_fixture_has_an_expectation():
    files = {p.name for p in (FIXTURES / "bad").glob("*.yaml")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_check(cli, name):
    want = EXPECTED[name]
    spec = FIXTURES / "bad" / name
    result = cli("check", spec, "-f", "json")
    assert result.exit_code == want.get("exit", 1), result.output
    findings = json.loads(result.stdout)["findings"]
    hits = [f for f in findings if f["code"] == want["code"]]
    assert hits, findings
    f = hits[0]
    assert (f["line"], f["column"]) == (want["line"], want["column"]), f
    assert f["file"] == str(spec)
    assert f["hint"], f
    if "contains" in want:
        assert want["contains"] in f["message"] + " " + (f["hint"] or "")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_is_not_rendered(cli, tmp_path, name):
    out = tmp_path / "out"
    result = cli("render", FIXTURES / "bad" / name, "-o", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    want = EXPECTED[name]
    assert f":{want['line']}:{want['column']}: {want['code']}" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_missing_file_is_usage_error(cli, tmp_path):
    result = cli("check", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_folder_without_specs_warns(cli, tmp_path):
    result = cli("render", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 0 and not (tmp_path / "out").exists()
    assert result.stderr == (f"archgen: warning: no archgen spec found under {tmp_path} "
                             "(looked for *.yaml and *.yml files with `archgen:`)\n")


def test_unreadable_file_is_usage_error(cli, tmp_path):
    import os

    spec = tmp_path / "locked.yaml"
    spec.write_text("archgen: 1\ntitle: x\n")
    spec.chmod(0)
    try:
        if os.access(spec, os.R_OK):  # running as root: permissions do not apply
            spec.chmod(0o644)
            spec.unlink()
            spec.symlink_to(tmp_path / "gone.yaml")  # a dangling link cannot be read either
        result = cli("check", spec)
        assert result.exit_code == 2
    finally:
        if spec.is_file():
            spec.chmod(0o644)
