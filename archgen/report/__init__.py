"""Reporters: findings as text, JSON, SARIF 2.1.0 or GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Callable

from archgen.findings import Finding


def formatters() -> dict[str, Callable[[list[Finding]], str]]:
    from archgen.report import github, json_report, sarif, text

    return {"text": text.format, "json": json_report.format, "sarif": sarif.format, "github": github.format}


def format_findings(findings: list[Finding], fmt: str, color: bool = False) -> str:
    """The findings in a report format; only the text format is ever coloured."""
    if fmt == "text":
        from archgen.report import text

        return text.format(findings, color=color)
    return formatters()[fmt](findings)
