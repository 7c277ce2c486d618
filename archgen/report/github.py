"""GitHub Actions workflow commands: one annotation per finding.

Spec text and file names go through ``visible`` before the workflow-command escapes, so a
line feed or terminal escape in them can neither start a command of its own nor colour or
link the log; only the line feed archgen puts before ``hint:`` is a real one (``%0A``).
"""

from __future__ import annotations

from archgen.findings import Finding
from archgen.report.visible import visible

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    lines = []
    for f in findings:
        message = visible(f.message) + (f"\nhint: {visible(f.hint)}" if f.hint else "")
        props = (f"file={_escape_property(visible(f.file))},line={f.line},col={f.column},"
                 f"title={_escape_property(f.code)}")
        lines.append(f"::{LEVELS[f.severity]} {props}::{_escape_data(message)}")
    return "\n".join(lines)
