"""``{"findings": [...]}`` with the public finding shape."""

from __future__ import annotations

import json

from archgen.findings import Finding


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    return json.dumps({"findings": [f.as_dict() for f in findings]}, indent=2, ensure_ascii=False)
