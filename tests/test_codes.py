"""Every finding code has a fixture that triggers it and one that does not."""

from __future__ import annotations

import pytest

from archgen.check import check_file
from archgen.codes import load_codes
from archgen.findings import Finding
from tests.conftest import FIXTURES

# Codes of `archgen import` and `archgen diff` are about infrastructure code, not specs:
# tests/test_iac.py triggers each of them from its own fixtures.
IAC_FAMILIES = ("import", "diff")
# configuration findings: tests/test_config.py; files: test_hostile_files.py; file names (E009, a spec
# named like a Windows device, which no fixture here may be): test_hostile.py
OTHER_FILES = ("config", "files", "file names")
CODES = sorted(c for c, e in load_codes().items() if c != "E999" and e.family not in IAC_FAMILIES + OTHER_FILES)
DIR = FIXTURES / "codes"


def codes_of(path) -> list[str]:
    return [f.code for f in check_file(path).findings]


@pytest.mark.parametrize("code", CODES)
def test_fail_fixture_triggers(code):
    path = DIR / f"{code}.fail.yaml"
    assert path.exists(), f"missing {path.name}"
    found = check_file(path).findings
    hits = [f for f in found if f.code == code]
    assert hits, [f"{f.code} {f.message}" for f in found]
    assert all(f.line >= 1 and f.column >= 1 and f.file == str(path) for f in hits)


@pytest.mark.parametrize("code", CODES)
def test_pass_fixture_does_not_trigger(code):
    path = DIR / f"{code}.pass.yaml"
    assert path.exists(), f"missing {path.name}"
    result = check_file(path)
    assert code not in [f.code for f in result.findings]
    assert result.ok(), [f"{f.code} {f.message}" for f in result.findings]


def test_crashing_family_becomes_e999(monkeypatch):
    import archgen.checks as checks_pkg

    def boom(ctx):
        raise RuntimeError("kaboom")
        yield  # pragma: no cover

    real = checks_pkg.registry

    def patched():
        return (*real(), checks_pkg.Family("boom", boom, ()))

    monkeypatch.setattr(checks_pkg, "registry", patched)
    found = check_file(DIR / "E301.pass.yaml").findings
    assert [f.code for f in found if f.code == "E999"] == ["E999"]
    assert "kaboom" in next(f.message for f in found if f.code == "E999")


def test_finding_shape():
    f = next(f for f in check_file(DIR / "E201.fail.yaml").findings if f.code == "E201")
    assert isinstance(f, Finding)
    d = f.as_dict()
    assert set(d) >= {"code", "severity", "message", "file", "line", "column", "path", "hint"}
    assert d["path"].startswith("$.flows")


def test_component_and_flow_ignore(tmp_path):
    spec = tmp_path / "quiet.yaml"
    spec.write_text(
        "archgen: 1\ntitle: Quiet\nsources:\n  web: kpl\n"
        "  spare: {service: sdk, ignore: [W201]}\nstreams:\n  clicks: kinesis-data-streams\n"
        "stores:\n  lake: s3\nflows:\n  - web -> clicks\n"
        "  - {from: clicks, to: lake, ignore: [E301]}\n")
    codes = [f.code for f in check_file(spec).findings]
    assert "W201" not in codes and "E301" not in codes
    assert "W201" in [f.code for f in check_file(DIR / "W201.fail.yaml", ignore=()).findings]
    assert "W201" not in [f.code for f in check_file(DIR / "W201.fail.yaml", ignore=("W2",)).findings]


def test_unknown_ids_cannot_be_suppressed():
    codes = [f.code for f in check_file(DIR / "E201.fail.yaml", ignore=("E",)).findings]
    assert "E201" in codes
