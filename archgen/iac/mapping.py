"""The import tables of ``data/iac.yaml``: what each resource type is to archgen."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from archgen.catalog import read_data
from archgen.catalog.services import load_services

COMPONENT, REFERENCED, THROUGH, FLOWS_ONLY, PLUMBING, UNMAPPED = (
    "component", "referenced", "through", "flows-only", "plumbing", "unmapped")


@dataclass
class FormatTable:
    """The tables of one format (cloudformation or terraform)."""

    fmt: str
    services: dict[str, str]
    plumbing: tuple[str, ...]
    referenced: dict[str, str | None]
    through: dict[str, dict[str, Any]]
    flows: dict[str, dict[str, Any]]
    names: tuple[str, ...]
    derived: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # type -> attribute -> spec
    part_of: dict[str, str] = field(default_factory=dict)  # type -> property naming the whole
    _kinds: dict[str, tuple[str, str | None]] = field(default_factory=dict, repr=False)

    def kind(self, rtype: str) -> tuple[str, str | None]:
        """(what the type is, its service id or None)."""
        hit = self._kinds.get(rtype)
        if hit is None:
            hit = self._classify(rtype)
            self._kinds[rtype] = hit
        return hit

    def _classify(self, rtype: str) -> tuple[str, str | None]:
        if any(fnmatch.fnmatchcase(rtype, p) for p in self.plumbing):
            return PLUMBING, None
        if rtype in self.through:
            return THROUGH, None
        if rtype in self.referenced:
            return REFERENCED, self.referenced[rtype] or self._service(rtype)
        service = self._service(rtype)
        if service is not None:
            return COMPONENT, service
        if rtype in self.flows:
            return FLOWS_ONLY, None
        return UNMAPPED, None

    def _service(self, rtype: str) -> str | None:
        if rtype in self.services:
            return self.services[rtype]
        if self.fmt == "cloudformation":
            found = load_services().resolve(rtype)
            return found.id if found else None
        return None


@lru_cache(maxsize=2)
def table(fmt: str) -> FormatTable:
    raw = read_data("iac.yaml")[fmt]
    referenced = {t: (raw.get("services_referenced") or {}).get(t) for t in raw.get("referenced") or ()}
    return FormatTable(
        fmt=fmt, services=dict(raw.get("services") or {}), plumbing=tuple(raw.get("plumbing") or ()),
        referenced=referenced, through=dict(raw.get("through") or {}), flows=dict(raw.get("flows") or {}),
        names=tuple(raw.get("names") or ()), derived=dict(raw.get("derived") or {}),
        part_of=dict(raw.get("part_of") or {}))
