"""Findings: what a check reports about a spec, with a path that resolves to line/column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple[Any, ...]

SEVERITY_BY_LETTER = {"E": "error", "W": "warning", "I": "info"}


def severity_of(code: str) -> str:
    """A code's severity is its first letter: E error, W warning, I info."""
    return SEVERITY_BY_LETTER[code[0]]


@dataclass(frozen=True)
class Finding:
    """One problem found in a spec.

    ``path`` is a JSON path into the spec (``("flows", 3)``); the loader's position table
    turns it into ``line``/``column``. ``offset`` points inside a scalar (the column of an
    id within ``"a -> b"``); ``on_key`` points at a mapping key instead of its value.
    """

    code: str
    message: str
    path: Path = ()
    hint: str | None = None
    doc: str | None = None
    file: str = ""
    line: int = 0
    column: int = 0
    offset: int = 0
    on_key: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> str:
        return severity_of(self.code)

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape of a finding."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": json_path(self.path),
            "hint": self.hint,
        }
        if self.doc:
            out["doc"] = self.doc
        return out


def json_path(path: Path) -> str:
    """Render a path as a JSON path string: ``$.flows[3].to``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.replace("-", "").replace("_", "").isalnum():
            out += f".{part}"
        else:
            out += "[" + repr(str(part)).replace("'", '"') + "]"
    return out


def sort_key(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line, f.column, f.code, f.message)


def has_errors(findings: list[Finding], strict: bool = False) -> bool:
    """True when the findings stop a render: errors, or warnings too under ``--strict``."""
    return any(f.is_error or (strict and f.severity == "warning") for f in findings)
