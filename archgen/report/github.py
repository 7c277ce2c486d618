"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from archgen.findings import Finding

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format(findings: list[Finding]) -> str:  # noqa: A001 - the reporter interface
    lines = []
    for f in findings:
        message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
        props = (f"file={_escape_property(f.file)},line={f.line},col={f.column},"
                 f"title={_escape_property(f.code)}")
        lines.append(f"::{LEVELS[f.severity]} {props}::{_escape_data(message)}")
    return "\n".join(lines)
