"""The table of finding codes (``data/codes.yaml``): names and summaries for docs and SARIF."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data


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
