"""Text tables for `archgen services` and `archgen rules`."""

from __future__ import annotations

from archgen.catalog.integrations import load_rules
from archgen.catalog.services import ServiceCatalog, load_services
from archgen.codes import load_codes
from archgen.errors import UsageError
from archgen.suggest import did_you_mean


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def services_table(catalog: ServiceCatalog) -> str:
    rows = []
    for s in catalog:
        status = s.status if s.is_current else f"{s.status} → {s.successor}"
        rows.append([s.id, s.name, ",".join(s.roles), status, ", ".join(s.aliases[:4])])
    return _table(["id", "name", "roles", "status", "aliases"], rows)


def codes_table() -> str:
    rows = [[c.code, c.severity, c.name, c.summary] for c in load_codes().values()]
    return _table(["code", "severity", "name", "meaning"], rows)


def service_rules(name: str) -> str:
    services = load_services()
    service = services.resolve(name)
    if service is None:
        raise UsageError(f"unknown service `{name}`",
                         hint=did_you_mean(services.suggest(name), shown=True) or "see `archgen services`")
    book = load_rules()
    lines = [f"{service.id}: {service.name}", f"  {service.description}"]
    if not service.is_current:
        lines.append(f"  status: {service.status} since {service.since or '?'}; successor: {service.successor}")
    for title, pairs in (
        ("can be fed by", [(s, service.id) for s in book.feeders(service.id)]),
        ("can feed", [(service.id, t) for t in book.feeds(service.id)]),
    ):
        rows = []
        for a, b in pairs:
            for rule in book.rules_for(a, b):
                other = a if b == service.id else b
                status = "" if rule.effective_status == "current" else f" [{rule.effective_status}]"
                rows.append([other, rule.mechanism.id, rule.kind + status, rule.doc])
        lines.append("")
        lines.append(f"{title}:")
        lines.append(_table(["service", "mechanism", "kind", "doc"], rows) if rows else "  (nothing)")
    return "\n".join(lines)
