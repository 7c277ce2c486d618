"""EC2 instance families: parse an instance type and say what kind of machine it is."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data
from archgen.suggest import did_you_mean

_TYPE = re.compile(r"^(?P<family>[a-z][a-z0-9-]*?)\.(?P<size>[a-z0-9-]+)$")
_GENERATION = re.compile(r"^[a-z]+?(?P<gen>\d+)")


@dataclass(frozen=True)
class Family:
    id: str
    category: str
    generation: str  # current | previous
    successor: str | None = None
    note: str | None = None
    arch: str = "x86_64"


@dataclass(frozen=True)
class InstanceType:
    name: str
    family: Family
    size: str

    @property
    def generation_number(self) -> int | None:
        m = _GENERATION.match(self.family.id)
        return int(m.group("gen")) if m else None


@dataclass(frozen=True)
class Workload:
    id: str
    categories: tuple[str, ...]
    why: str


class InstanceCatalog:
    def __init__(self, raw: dict) -> None:
        self.categories: dict[str, dict] = raw.get("categories") or {}
        self.families = {
            fid: Family(id=fid, category=e["category"], generation=e.get("generation", "current"),
                        successor=e.get("successor"), note=e.get("note"), arch=e.get("arch", "x86_64"))
            for fid, e in (raw.get("families") or {}).items()
        }
        self.sizes = tuple(str(s) for s in raw.get("sizes") or ())
        self.workloads = {
            wid: Workload(id=wid, categories=tuple(e.get("categories") or ()), why=e.get("why", ""))
            for wid, e in (raw.get("workloads") or {}).items()
        }

    def parse(self, name: str) -> tuple[InstanceType | None, str]:
        """An instance type, or None and the reason it is not one."""
        text = str(name).strip().lower()
        m = _TYPE.match(text)
        if not m:
            return None, "an instance type looks like FAMILY.SIZE, for example r7g.2xlarge"
        family = self.families.get(m.group("family"))
        if family is None:
            close = difflib.get_close_matches(m.group("family"), list(self.families), n=3)
            hint = did_you_mean(f"{c}.{m.group('size')}" for c in close) or ""
            return None, f"no EC2 instance family `{m.group('family')}`. {hint}".strip()
        if m.group("size") not in self.sizes:
            return None, f"no instance size `{m.group('size')}`; sizes look like large, xlarge, 2xlarge"
        return InstanceType(text, family, m.group("size")), ""

    def category_name(self, category: str) -> str:
        return (self.categories.get(category) or {}).get("name", category)


@lru_cache(maxsize=1)
def load_instances() -> InstanceCatalog:
    """The packaged EC2 instance data."""
    return InstanceCatalog(read_data("instances.yaml"))
