"""Integration: every flow must be an AWS integration some rule allows.

The rules are a closed world (``archgen/data/integrations.yaml``). An illegal flow is an
error that says what the target accepts and proposes the shortest legal detours.

FAIL (E301)::

    flows: [clicks -> lake]    # kinesis-data-streams -> s3: use firehose in between

PASS::

    flows: [clicks -> delivery -> lake]   # kinesis-data-streams -> firehose -> s3

FAIL (E301, drawn backwards: the hint leads with the flow to write)::

    flows: [bi -> sql]         # quicksight -> athena: the data flows the other way, `sql -> bi`

FAIL (E302)::

    flows: [{from: lake, to: catalog, via: copy}]   # s3 -> glue-data-catalog is a crawler
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding

CODES = ("E301", "E302")  # every code this family reports

MAX_LISTED = 8


def check(ctx: Context) -> Iterator[Finding]:
    comps = ctx.spec.components
    for flow in ctx.spec.flows:
        a, b = comps.get(flow.source.id), comps.get(flow.target.id)
        if a is None or b is None or a.service is None or b.service is None or a.id == b.id:
            continue  # unknown ids and self-loops are reported by the structure checks
        rules = ctx.rules.rules_for(a.service, b.service)
        if not rules:
            yield _illegal(ctx, flow, a.service, b.service)
        elif flow.via and ctx.rules.pick(a.service, b.service, flow.via) is None:
            allowed = sorted({r.mechanism.id for r in rules})
            yield Finding(
                "E302", f"`via: {flow.via}` is not how {_name(ctx, a.service)} delivers into "
                        f"{_name(ctx, b.service)}",
                flow.path + ("via",),
                hint=f"use {' or '.join('`via: ' + m + '`' for m in allowed)}, or leave `via` out",
                doc=rules[0].doc)


def _name(ctx: Context, service_id: str) -> str:
    return ctx.services[service_id].short


def _listed(ctx: Context, target: str) -> str | None:
    """What delivers records into ``target``, legacy ones marked, or None when nothing does."""
    feeders = ctx.rules.record_feeders(target)
    if not feeders:
        return None
    names = [s if status == "current" else f"{s} ({status})" for s, status in feeders]
    more = len(names) - MAX_LISTED
    return ", ".join(names[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def _reverse(ctx: Context, source: str, target: str):
    """The rule that carries data from ``target`` into ``source``, when the flow is drawn backwards.

    Control links (orchestration, permissions) are not a direction of data, so they do not count.
    """
    for rule in ctx.rules.rules_for(target, source):
        if rule.carries != "control":
            return rule
    return None


def _illegal(ctx: Context, flow, source: str, target: str) -> Finding:
    rules = ctx.rules
    correction = rules.correction(source, target)
    message = f"{_name(ctx, source)} cannot deliver into {_name(ctx, target)}: no AWS integration " \
              f"connects `{source}` to `{target}`"
    parts: list[str] = []
    reverse = _reverse(ctx, source, target)
    if reverse is not None:
        what = "notifications flow" if reverse.carries == "notification" else "data flows"
        parts.append(f"the {what} the other way: write `{flow.target.id} -> {flow.source.id}` "
                     f"({_name(ctx, target)} delivers into {_name(ctx, source)} by {reverse.label})")
    if correction is not None:
        parts.append(correction.truth.rstrip("."))
    no_records = rules.no_records(source)
    detours: tuple[tuple[str, ...], ...] = ()
    if no_records is not None:
        parts.append(f"{no_records}, so there is nothing to move into {_name(ctx, target)}")
    else:
        detours = rules.detours(source, target)
        if correction is not None and correction.instead:
            detours = (correction.instead, *(d for d in detours if d != correction.instead))
        detours = detours[:3]
    if detours:
        shown = []
        for path in detours:
            via = " and ".join(path[1:-1])
            shown.append(f"use {via}: {' -> '.join(path)}")
        parts.append("; or ".join(shown))
    listed = _listed(ctx, target)
    if listed:
        parts.append(f"{_name(ctx, target)} accepts data from {listed}")
    elif not rules.feeders(target):
        parts.append(f"no AWS integration delivers data into {_name(ctx, target)}")
    doc = (correction.doc if correction else None) or ctx.services[target].doc
    return Finding("E301", message, flow.target.path, hint="; ".join(parts) if parts else None,
                   doc=doc, offset=flow.target.offset,
                   extra={"detours": [list(p) for p in detours]})
