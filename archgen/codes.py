"""The table of finding codes (``data/codes.yaml``): names and summaries for docs and SARIF."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data
from archgen.findings import severity_of


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    family: str  # who reports it: a pipeline stage or a rule family (archgen.registry)
    summary: str
    suppressible: bool = True  # whether `ignore` may silence it (data: `suppressible: false`)

    @property
    def severity(self) -> str:
        return severity_of(self.code)


@lru_cache(maxsize=1)
def load_codes() -> dict[str, Code]:
    """Every declared code, in pipeline order, with its text from codes.yaml."""
    from archgen.registry import reporter_of

    raw = read_data("codes.yaml").get("codes") or {}
    return {c: Code(c, raw[c]["name"], family, raw[c]["summary"], raw[c].get("suppressible", True))
            for c, family in reporter_of().items() if c in raw}


@lru_cache(maxsize=1)
def suppressible_codes() -> dict[str, bool]:
    """Each code in codes.yaml and whether ``ignore`` may silence it.

    codes.yaml texts exactly the declared codes (tests/test_registry.py), so this answers
    from the data alone, without collecting the declarations (which imports every reporter,
    the infrastructure-code importers among them): suppression runs on every check."""
    raw = read_data("codes.yaml").get("codes") or {}
    return {c: entry.get("suppressible", True) for c, entry in raw.items()}
