"""Status: retired, legacy and deprecated services and mechanisms, with their successors.

A service past its end of support can no longer be deployed: that is an error (E303).
Dates are compared with today (``$ARCHGEN_TODAY`` fixes it); a date still to come is said
as "support ends on", a past one as "reached end of support on".

FAIL (E303)::

    analytics:
      events: iot-events        # support ended on 2026-05-20: use lambda

WARN (W301)::

    analytics:
      sqlapp: kinesis-data-analytics-sql   # discontinued: use managed-flink

WARN (W302)::

    flows: [{from: logs, to: search, via: some-legacy-mechanism}]
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.services import Service, today
from archgen.checks import Context
from archgen.findings import Finding

CODES = ("E303", "W301", "W302")  # every code this family reports


def _when(since: str | None) -> str:
    return f" since {since}" if since else ""


def _end(service: Service) -> str:
    """The end of support still to come (a retired service is E303, worded on its own)."""
    return f"; support ends on {service.end_of_support}" if service.end_of_support else ""


def check(ctx: Context) -> Iterator[Finding]:
    comps = ctx.spec.components
    on = today()
    for comp in comps.values():
        if comp.service is None:
            continue
        service = ctx.services[comp.service]
        if service.is_current:
            continue
        successor = ctx.services.services.get(service.successor or "")
        hint = f"use `{successor.id}` ({successor.name})" if successor else None
        note = f": {service.status_note.rstrip('.')}" if service.status_note else ""
        if service.is_retired(on):
            yield Finding("E303", f"{service.name} is retired: it reached end of support on "
                                  f"{service.end_of_support} and can no longer be deployed{note}",
                          comp.service_path, hint=hint, doc=service.doc)
            continue
        yield Finding("W301", f"{service.name} is {service.status}{_when(service.since)}{_end(service)}{note}",
                      comp.service_path, hint=hint, doc=service.doc)
    for flow in ctx.spec.flows:
        a, b = comps.get(flow.source.id), comps.get(flow.target.id)
        if a is None or b is None or a.service is None or b.service is None:
            continue
        if not (ctx.services[a.service].is_current and ctx.services[b.service].is_current):
            continue  # the service warning above already says it
        rule = ctx.rules.pick(a.service, b.service, flow.via)
        if rule is None or rule.effective_status == "current":
            continue
        own = rule if rule.status != "current" else rule.mechanism
        note = f": {own.status_note.rstrip('.')}" if own.status_note else ""
        hint = f"use {own.successor} instead" if own.successor else None
        yield Finding("W302", f"`{a.service} -> {b.service}` by {rule.label} is "
                              f"{rule.effective_status}{_when(own.since)}{note}",
                      flow.path, hint=hint, doc=rule.doc, offset=flow.target.offset)
