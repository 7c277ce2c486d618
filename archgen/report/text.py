"""``file:line:col: CODE severity: message`` lines, each followed by its hint and doc link.

Text that comes from the spec or its file name is printed through ``visible``: a line feed
or a terminal escape in it cannot start a line of its own or reach the terminal. With
``color`` the severity and code are coloured with ANSI escapes (the CLI decides when:
a terminal, ``--color``, ``NO_COLOR``); without it the text is plain and stable.
"""

from __future__ import annotations

from archgen.findings import Finding
from archgen.report.visible import visible

_RESET = "\033[0m"
_SEVERITY = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD = "\033[1m"
_DIM = "\033[2m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def format(findings: list[Finding], color: bool = False) -> str:  # noqa: A001 - the reporter interface
    lines = []
    for f in findings:
        where = _paint(f"{visible(f.file)}:{f.line}:{f.column}:", _BOLD, color)
        code = _paint(f.code, _SEVERITY[f.severity], color)
        severity = _paint(f"{f.severity}:", _SEVERITY[f.severity], color)
        lines.append(f"{where} {code} {severity} {visible(f.message)}")
        if f.hint:
            lines.append(f"    {_paint('hint:', _DIM, color)} {visible(f.hint)}")
        if f.doc:
            lines.append(f"    {_paint('doc:', _DIM, color)} {visible(f.doc)}")
    return "\n".join(lines)
