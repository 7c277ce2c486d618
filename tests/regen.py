"""Rewrite the expected-output files the snapshot tests compare against.

    python -m tests.regen            # rewrite every expected file
    git diff tests/                  # read what changed before committing it

Run it only after a deliberate change to findings or report formats, and review the diff:
a snapshot that changes by accident is exactly what these tests are there to catch.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from archgen.check import check_file
from archgen.render.naming import stem
from archgen.report import format_findings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CODES_DIR = FIXTURES / "codes"
EMR_DIR = FIXTURES / "emr"
SNAPSHOT_DIR = ROOT / "tests" / "snapshots"
# The specs whose whole reports are snapshotted, in every format.
SNAPSHOT_SPECS = ["tests/fixtures/snapshots/mixed.yaml", "tests/fixtures/codes/E301.fail.yaml",
                  "tests/fixtures/codes/W403.fail.yaml", "specs/clickstream.archgen.yaml"]
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github"}


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def finding_rows(path: Path, code: str | None = None) -> list[dict]:
    """The findings of one spec (of one code, when given) as plain rows."""
    rows = []
    for f in check_file(relative(path) if path.is_absolute() else path).findings:
        if code is None or f.code == code:
            rows.append({"code": f.code, "line": f.line, "column": f.column, "message": f.message,
                         "hint": f.hint})
    return rows


def code_positions() -> dict[str, list[dict]]:
    from tests.test_snapshots import CODES

    return {c: finding_rows(CODES_DIR / f"{c}.fail.yaml", c) for c in CODES}


def emr_findings() -> dict[str, list[dict]]:
    return {p.stem: finding_rows(p) for p in sorted(EMR_DIR.glob("*.yaml"))}


def report(spec: str, fmt: str) -> str:
    findings = check_file(spec).findings
    return format_findings(findings, fmt)


def snapshot_path(spec: str, fmt: str) -> Path:
    return SNAPSHOT_DIR / f"{stem(spec)}.{FORMATS[fmt]}"


def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def main() -> int:
    import os

    os.chdir(ROOT)  # reports name files relative to the project root
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    (SNAPSHOT_DIR / "code-positions.yaml").write_text(dump(code_positions()), encoding="utf-8")
    (SNAPSHOT_DIR / "emr-workloads.yaml").write_text(dump(emr_findings()), encoding="utf-8")
    for spec in SNAPSHOT_SPECS:
        for fmt in FORMATS:
            snapshot_path(spec, fmt).write_text(report(spec, fmt), encoding="utf-8")
    print("rewrote the files in tests/snapshots/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
