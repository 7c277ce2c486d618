"""Service catalog: ids, names, aliases, roles, icons and lifecycle status."""

from __future__ import annotations

import datetime
import difflib
import os
from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data
from archgen.errors import CatalogError

ROLES = ("sources", "streams", "stores", "analytics")
TODAY_ENV = "ARCHGEN_TODAY"


def today() -> datetime.date:
    """The date lifecycle checks compare with: ``$ARCHGEN_TODAY`` (YYYY-MM-DD) when set, else today."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            return datetime.date.fromisoformat(fixed)
        except ValueError:
            pass
    return datetime.date.today()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    short: str
    description: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    icon: str
    status: str = "current"
    since: str | None = None
    successor: str | None = None
    status_note: str | None = None
    doc: str | None = None
    end_of_support: str | None = None
    inherits: str | None = None

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    def is_retired(self, on: datetime.date | None = None) -> bool:
        """True once the service is past its end of support: it can no longer be deployed."""
        if not self.end_of_support:
            return False
        return (on or today()) >= datetime.date.fromisoformat(self.end_of_support)


class ServiceCatalog:
    """Lookups by id or alias (case-insensitive) and did-you-mean suggestions."""

    def __init__(self, services: dict[str, Service]) -> None:
        self.services = services
        self._names: dict[str, str] = {}
        for service in services.values():
            for name in (service.id, *service.aliases):
                key = name.lower()
                if key in self._names and self._names[key] != service.id:
                    raise CatalogError(f"alias {name!r} names two services")
                self._names[key] = service.id

    def __iter__(self):
        return iter(self.services.values())

    def __len__(self) -> int:
        return len(self.services)

    def __getitem__(self, service_id: str) -> Service:
        return self.services[service_id]

    def resolve(self, name: str) -> Service | None:
        """The service an id or alias names, or None."""
        sid = self._names.get(str(name).strip().lower())
        return self.services[sid] if sid else None

    def names(self) -> list[str]:
        """Every accepted spelling: ids first, then aliases."""
        ids = list(self.services)
        aliases = [a for s in self.services.values() for a in s.aliases]
        return ids + aliases

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Close spellings among ids and aliases, ready to show (an alias names its service id)."""
        lowered = {k: v for k, v in self._names.items()}
        hits = difflib.get_close_matches(str(name).lower(), list(lowered), n=n * 2, cutoff=0.6)
        out: list[str] = []
        for hit in hits:
            sid = lowered[hit]
            label = f"`{sid}`" if hit == sid else f"`{hit}` (alias of `{sid}`)"
            if not any(o == f"`{sid}`" or o.endswith(f"`{sid}`)") for o in out):
                out.append(label)
        return out[:n]


@lru_cache(maxsize=1)
def load_services() -> ServiceCatalog:
    """The packaged service catalog."""
    raw = read_data("services.yaml").get("services") or {}
    services: dict[str, Service] = {}
    for sid, entry in raw.items():
        try:
            services[sid] = Service(
                id=sid,
                name=entry["name"],
                short=entry.get("short") or entry["name"],
                description=entry.get("description", ""),
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                roles=tuple(entry.get("roles") or ()),
                icon=entry["icon"],
                status=entry.get("status", "current"),
                since=str(entry["since"]) if entry.get("since") else None,
                successor=entry.get("successor"),
                status_note=entry.get("status_note"),
                doc=entry.get("doc"),
                end_of_support=str(entry["end_of_support"]) if entry.get("end_of_support") else None,
                inherits=entry.get("inherits"),
            )
        except (KeyError, TypeError) as exc:
            raise CatalogError(f"services.yaml: service {sid!r} is missing {exc}") from exc
    return ServiceCatalog(services)
