"""``{"findings": [...]}`` with the public finding shape."""

from __future__ import annotations

import json

from archgen.findings import Finding
from archgen.report.visible import json_safe


def finding_dict(f: Finding) -> dict:
    """The public shape, plus ``detours`` (legal alternative paths, best first) on an E301."""
    out = f.as_dict()
    if "detours" in f.extra:
        out["detours"] = [list(p) for p in f.extra["detours"]]
    return out


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    return json_safe(json.dumps({"findings": [finding_dict(f) for f in findings]}, indent=2, ensure_ascii=False))
