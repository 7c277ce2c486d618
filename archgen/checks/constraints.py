"""Constraints: AWS limits over a component's flows (``archgen/data/constraints.yaml``).

Each flow is matched to the rule it uses; the constraints of the component's service then
count its incoming and outgoing flows. A violation is reported on the offending flow, the
later one in the file, at the id of its other end.

FAIL (E310)::

    flows:
      - delivery -> search     # firehose -> opensearch
      - delivery -> splunk     # a second destination: use a second Firehose stream

PASS::

    flows:
      - delivery -> search
      - delivery -> backup     # firehose -> s3: the S3 backup

FAIL (E311)::

    flows:
      - clicks -> delivery     # kinesis-data-streams -> firehose: the stream is the source
      - app -> delivery        # Direct PUT is disabled for it
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog.constraints import Edge, Violation, load_constraints, violations
from archgen.checks import Context
from archgen.findings import Finding

CODES = ("E310", "E311", "E312", "W310", "I310")  # every code this family reports


class _Hints(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check(ctx: Context) -> Iterator[Finding]:
    book = load_constraints()
    comps = ctx.spec.components
    incoming: dict[str, list[tuple[Edge, object]]] = {}
    outgoing: dict[str, list[tuple[Edge, object]]] = {}
    for i, flow in enumerate(ctx.spec.flows):
        a, b = comps.get(flow.source.id), comps.get(flow.target.id)
        if a is None or b is None or a.service is None or b.service is None or a.id == b.id:
            continue
        rule = ctx.rules.pick(a.service, b.service, flow.via)
        if rule is None:
            continue  # an illegal flow is the integration checks' finding
        outgoing.setdefault(a.id, []).append((Edge(b.service, rule, i), flow))
        incoming.setdefault(b.id, []).append((Edge(a.service, rule, i), flow))
    for comp in comps.values():
        if comp.service is None:
            continue
        ins = incoming.get(comp.id, [])
        outs = outgoing.get(comp.id, [])
        flows = {id(e): f for e, f in (*ins, *outs)}
        for constraint in book.for_service(comp.service):
            found = violations(constraint, [e for e, _ in ins], [e for e, _ in outs])
            for v in found:
                yield _finding(ctx, comp, v, flows, incoming_side=any(v.edge is e for e, _ in ins))


def _lower_first(text: str) -> str:
    """"A Firehose stream" -> "a Firehose stream"; names such as "CloudWatch" keep their case."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def _finding(ctx: Context, comp, v: Violation, flows: dict, incoming_side: bool) -> Finding:
    flow = flows[id(v.edge)]
    first = flows.get(id(v.first)) if v.first is not None else None
    other_ref = flow.source if incoming_side else flow.target
    if first is None:
        first_id = ""
    else:
        first_ref = first.source if first.target.id == comp.id else first.target
        first_id = first_ref.id
    service = ctx.services[comp.service]
    other_service = ctx.services[v.edge.other]
    values = _Hints(component=comp.id, service=service.short, other=other_ref.id,
                    other_service=other_service.short, first=first_id)
    c = v.constraint
    where = "from" if incoming_side else "into"
    verb = {"E": "cannot take", "W": "should not take"}.get(c.code[0], "needs a setting for")
    message = (f"{service.short} `{comp.id}` {verb} this flow {where} `{other_ref.id}`: "
               f"{_lower_first(c.rule).rstrip('.')}")
    if first_id:
        relation = "its source is" if c.kind in ("allowed-out", "denied-out") else "it already has"
        message += f" ({relation} `{first_id}`)"
    return Finding(c.code, message, other_ref.path, hint=c.hint.format_map(values), doc=c.doc,
                   offset=other_ref.offset, extra={"constraint": c.id})
