"""Component constraints: AWS limits that span a component's flows, not a single pair.

A rule says a source *can* deliver into a target; a constraint says what one component may
have at once: a Firehose stream reads one Kinesis stream or one MSK topic and then takes no
other input, it delivers to one destination plus an S3 backup, and an MSK source limits its
destinations. Constraints are data (``archgen/data/constraints.yaml``), each with its AWS doc.

Kinds:
  max-in        at most ``max`` incoming flows (of ``mechanisms``, else every record flow)
  max-out       at most ``max`` outgoing flows, plus one more into a ``spare`` service (a backup)
  exclusive-in  an incoming flow by one of ``mechanisms`` is the only input the component takes
  allowed-out   with an input from a ``when_from`` service, outgoing flows go only to ``targets``
  denied-out    with an input from a ``when_from`` service, outgoing flows never go to ``targets``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from archgen.catalog import read_data
from archgen.errors import CatalogError

if TYPE_CHECKING:
    from archgen.catalog.integrations import Rule, RuleBook

KINDS = ("max-in", "max-out", "exclusive-in", "allowed-out", "denied-out")


@dataclass(frozen=True)
class Constraint:
    id: str
    service: str
    kind: str
    code: str
    rule: str  # the AWS limit, one sentence
    hint: str  # what to do instead; may use {service}, {component}, {source}, {target}, {first}
    doc: str
    max: int = 1
    mechanisms: tuple[str, ...] = ()
    spare: tuple[str, ...] = ()
    when_from: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")

    def counts(self, rule: Rule) -> bool:
        """Whether a flow using ``rule`` is one this constraint counts."""
        if self.mechanisms:
            return rule.mechanism.id in self.mechanisms
        return rule.moves_records


@dataclass(frozen=True)
class Edge:
    """One flow as the constraints see it: the other end's service and the rule it uses."""

    other: str
    rule: Rule
    index: int = 0


@dataclass(frozen=True)
class Violation:
    constraint: Constraint
    edge: Edge  # the offending flow
    first: Edge | None = None  # the flow it conflicts with, where there is one


def violations(constraint: Constraint, incoming: list[Edge], outgoing: list[Edge]) -> Iterable[Violation]:
    """Every flow of one component that breaks ``constraint``, in flow order."""
    kind = constraint.kind
    if kind == "max-in":
        counted = [e for e in incoming if constraint.counts(e.rule)]
        for edge in counted[constraint.max:]:
            yield Violation(constraint, edge, counted[0])
    elif kind == "max-out":
        kept: list[Edge] = []
        for edge in (e for e in outgoing if constraint.counts(e.rule)):
            if _fits(constraint, [*kept, edge]):
                kept.append(edge)
            else:
                yield Violation(constraint, edge, kept[0] if kept else None)
    elif kind == "exclusive-in":
        sources = [e for e in incoming if constraint.counts(e.rule)]
        if sources:
            first = sources[0]
            for edge in incoming:
                if edge is not first and edge.rule.moves_records:
                    yield Violation(constraint, edge, first)
    elif kind in ("allowed-out", "denied-out"):
        trigger = next((e for e in incoming if e.other in constraint.when_from), None)
        if trigger is None:
            return
        for edge in outgoing:
            if not constraint.counts(edge.rule):
                continue
            allowed = edge.other in constraint.targets
            if (kind == "allowed-out" and not allowed) or (kind == "denied-out" and allowed):
                yield Violation(constraint, edge, trigger)


def _fits(constraint: Constraint, edges: list[Edge]) -> bool:
    """``max`` flows, or one more when one of them can be the backup into a spare service."""
    if len(edges) <= constraint.max:
        return True
    return len(edges) == constraint.max + 1 and any(e.other in constraint.spare for e in edges)


class ConstraintBook:
    """The constraints, indexed by service."""

    def __init__(self, constraints: list[Constraint]) -> None:
        self.constraints = constraints
        self._by_service: dict[str, list[Constraint]] = {}
        for c in constraints:
            self._by_service.setdefault(c.service, []).append(c)

    def for_service(self, service: str) -> list[Constraint]:
        return self._by_service.get(service, [])

    def path_ok(self, path: tuple[str, ...], book: RuleBook) -> bool:
        """True when no service a detour passes through breaks an error constraint."""
        for i in range(1, len(path) - 1):
            service = path[i]
            rules = self.for_service(service)
            if not rules:
                continue
            into = book._data_step(path[i - 1], service)
            out = book._data_step(service, path[i + 1], final=i == len(path) - 2)
            if into is None or out is None:
                return False
            incoming, outgoing = [Edge(path[i - 1], into)], [Edge(path[i + 1], out)]
            for c in rules:
                if c.is_error and next(iter(violations(c, incoming, outgoing)), None) is not None:
                    return False
        return True


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def build_constraints(raw: dict) -> ConstraintBook:
    """A constraint book from the parsed content of a constraints file."""
    out = []
    for entry in raw.get("constraints") or []:
        if entry.get("kind") not in KINDS:
            raise CatalogError(f"constraints.yaml: {entry.get('id')} has unknown kind {entry.get('kind')!r}")
        out.append(Constraint(
            id=entry["id"], service=entry["service"], kind=entry["kind"], code=entry["code"],
            rule=entry["rule"], hint=entry["hint"], doc=entry["doc"], max=int(entry.get("max", 1)),
            mechanisms=_tuple(entry.get("mechanisms")), spare=_tuple(entry.get("spare")),
            when_from=_tuple(entry.get("when_from")), targets=_tuple(entry.get("targets"))))
    return ConstraintBook(out)


@lru_cache(maxsize=1)
def load_constraints() -> ConstraintBook:
    """The packaged component constraints."""
    return build_constraints(read_data("constraints.yaml"))
