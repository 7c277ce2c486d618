"""``file:line:col: CODE message`` lines, each followed by its hint."""

from __future__ import annotations

from archgen.findings import Finding


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    lines = []
    for f in findings:
        lines.append(f"{f.file}:{f.line}:{f.column}: {f.code} {f.severity}: {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
        if f.doc:
            lines.append(f"    doc: {f.doc}")
    return "\n".join(lines)
