"""The table of finding codes (``data/codes.yaml``): names and summaries for docs and SARIF."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data

# Errors about ids that do not exist cannot be silenced: the spec would be meaningless.
UNSUPPRESSIBLE = ("E0", "E1", "E201", "E202", "E203", "E205", "E207", "E208", "E209", "E999")


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    family: str
    summary: str

    @property
    def severity(self) -> str:
        return {"E": "error", "W": "warning", "I": "info"}[self.code[0]]


@lru_cache(maxsize=1)
def load_codes() -> dict[str, Code]:
    raw = read_data("codes.yaml").get("codes") or {}
    return {c: Code(c, e["name"], e["family"], e["summary"]) for c, e in raw.items()}


def suppressible(code: str) -> bool:
    """Whether ``ignore`` may silence this code."""
    return not code.startswith(UNSUPPRESSIBLE)


def ignore_problem(prefix: str) -> str | None:
    """Why an ``ignore`` entry has no effect (no such code, or only codes that cannot be
    suppressed), or None when it silences something."""
    matched = [c for c in load_codes() if c.startswith(prefix)]
    if not matched:
        return f"no finding code starts with `{prefix}`"
    if not any(suppressible(c) for c in matched):
        what = f"`{prefix}`" if matched == [prefix] else f"the codes starting with `{prefix}`"
        return f"{what} cannot be suppressed"
    return None
