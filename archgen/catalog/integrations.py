"""Integration rules: which service can deliver into which, by what mechanism.

The rules are a closed world: a flow is legal only if some rule lists its source service
among ``from`` and its target service among ``to``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from archgen.catalog import read_data
from archgen.errors import CatalogError

KINDS = ("stream", "batch", "event", "query", "control", "custom-code")
STATUS_RANK = {"current": 0, "legacy": 1, "deprecated": 2}
# What a mechanism hands on: only "records" moves the data itself, so only it is proposed in a
# detour; a notification is about the data, metadata and control are not data at all.
CARRIES = ("records", "notification", "metadata", "control", "processing", "people")
NEVER = None  # hop cost of a service that never forwards records (people, sinks)


@dataclass(frozen=True)
class Mechanism:
    id: str
    label: str
    kind: str
    description: str = ""
    doc: str | None = None
    status: str = "current"
    since: str | None = None
    successor: str | None = None
    status_note: str | None = None
    carries: str = "records"
    weight: int | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    mechanism: Mechanism
    doc: str
    hop: str | None = None
    note: str | None = None
    status: str = "current"
    since: str | None = None
    successor: str | None = None
    status_note: str | None = None
    seed: bool = False
    weight: int | None = None
    inherited_from: str | None = None  # the rule of the renamed service this one copies
    carries_override: str | None = None

    @property
    def kind(self) -> str:
        return self.mechanism.kind

    @property
    def label(self) -> str:
        return self.mechanism.label

    @property
    def carries(self) -> str:
        return self.carries_override or self.mechanism.carries

    @property
    def moves_records(self) -> bool:
        return self.carries == "records"

    @property
    def effective_status(self) -> str:
        """The worse of the rule's own status and its mechanism's."""
        return max(self.status, self.mechanism.status, key=STATUS_RANK.__getitem__)

    def preference(self) -> tuple[int, int, str]:
        """Sort key: current before legacy, managed before custom code, control last."""
        kind_rank = {"custom-code": 1, "control": 2}.get(self.kind, 0)
        return (STATUS_RANK[self.effective_status], kind_rank, self.id)


@dataclass(frozen=True)
class Correction:
    id: str
    source: str
    target: str
    seed: str
    truth: str
    instead: tuple[str, ...]
    doc: str | None = None


@dataclass(frozen=True)
class DetourPreferences:
    """How detours are ranked: the cost of each step and of passing through each service.

    A detour's cost is the sum of its steps' weights (the rule's, else its mechanism's, else
    its kind's) and of the hop cost of every service it passes through; the cheapest comes
    first. A service whose hop cost is ``never`` is never passed through.
    """

    kind_weights: dict[str, int]
    hop_weight: int = 1
    hops: dict[str, int | None] = field(default_factory=dict)
    no_records: dict[str, str] = field(default_factory=dict)
    limit: int = 3
    legacy_penalty: int = 5

    def step_weight(self, rule: Rule) -> int:
        if rule.weight is not None:
            return rule.weight
        if rule.mechanism.weight is not None:
            return rule.mechanism.weight
        return self.kind_weights.get(rule.kind, 1)

    def hop_cost(self, service: str) -> int | None:
        return self.hops.get(service, self.hop_weight)


Step = tuple[str, Rule]  # (service reached, rule used to reach it)
PathCheck = Callable[[tuple[str, ...]], bool]


class RuleBook:
    """Indexes the rules by (source, target) pair and searches legal detours.

    ``renames`` maps a renamed (legacy) service to the service it became: every rule of the
    new service applies to the old one too, as a legacy rule, unless a rule of its own covers
    the pair. ``path_ok`` says whether a detour passes the component constraints.
    """

    def __init__(self, mechanisms: dict[str, Mechanism], rules: list[Rule],
                 corrections: list[Correction], preferences: DetourPreferences | None = None,
                 renames: dict[str, tuple[str, str | None, str | None]] | None = None,
                 path_ok: PathCheck | None = None) -> None:
        self.mechanisms = mechanisms
        self.rules = rules
        self.corrections = {(c.source, c.target): c for c in corrections}
        self.preferences = preferences or DetourPreferences(kind_weights={})
        self.path_ok = path_ok
        self._pairs: dict[tuple[str, str], list[Rule]] = {}
        for rule in rules:
            for s in rule.sources:
                for t in rule.targets:
                    self._pairs.setdefault((s, t), []).append(rule)
        self.inherited: list[Rule] = self._inherit(renames or {})
        for lst in self._pairs.values():
            lst.sort(key=Rule.preference)
        self._out: dict[str, list[str]] = {}
        self._in: dict[str, list[str]] = {}
        for s, t in sorted(self._pairs):
            self._out.setdefault(s, []).append(t)
            self._in.setdefault(t, []).append(s)

    def _inherit(self, renames: dict[str, tuple[str, str | None, str | None]]) -> list[Rule]:
        """Copy every rule of a service that was renamed onto its old name, as legacy rules."""
        out: list[Rule] = []
        for old, (new, since, note) in sorted(renames.items()):
            for (s, t), rules in sorted(self._pairs.items()):
                if new not in (s, t):
                    continue
                pair = (old if s == new else s, old if t == new else t)
                if pair in self._pairs:
                    continue  # the old name has a rule of its own for this pair
                copies = []
                for rule in rules:
                    status = rule.status if rule.status != "current" else "legacy"
                    copies.append(replace(
                        rule, id=f"{rule.id}-as-{old}", sources=(pair[0],), targets=(pair[1],),
                        status=status, since=rule.since or since, successor=rule.successor or new,
                        status_note=rule.status_note or note, inherited_from=rule.id))
                self._pairs[pair] = copies
                out.extend(copies)
        return out

    def rules_for(self, source: str, target: str) -> list[Rule]:
        """Every rule allowing ``source -> target``, best first."""
        return self._pairs.get((source, target), [])

    def pick(self, source: str, target: str, via: str | None = None) -> Rule | None:
        """The rule a flow uses: the best one, or the one whose mechanism is ``via``."""
        for rule in self.rules_for(source, target):
            if via is None or rule.mechanism.id == via:
                return rule
        return None

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self._pairs)

    def feeders(self, target: str) -> list[str]:
        """Services that can deliver into ``target``."""
        return self._in.get(target, [])

    def feeds(self, source: str) -> list[str]:
        """Services ``source`` can deliver into."""
        return self._out.get(source, [])

    def correction(self, source: str, target: str) -> Correction | None:
        return self.corrections.get((source, target))

    def no_records(self, service: str) -> str | None:
        """Why ``service`` has no records to move onward (a BI tool, a catalog), or None."""
        return self.preferences.no_records.get(service)

    def record_feeders(self, target: str) -> list[tuple[str, str]]:
        """``(service, status)`` for every service whose records some rule delivers into ``target``."""
        out = []
        for source in self.feeders(target):
            rules = [r for r in self.rules_for(source, target) if r.moves_records]
            if rules:
                out.append((source, min((r.effective_status for r in rules), key=STATUS_RANK.__getitem__)))
        return out

    def _data_step(self, source: str, target: str, final: bool = False) -> Rule | None:
        """The best rule that moves records from ``source`` into ``target`` (current only,
        unless this is the last step into a target that is itself legacy)."""
        for rule in self.rules_for(source, target):
            if not rule.moves_records:
                continue
            if rule.effective_status == "current" or (final and rule.effective_status == "legacy"):
                return rule
        return None

    def path_cost(self, path: tuple[str, ...]) -> int | None:
        """What a detour costs under the preferences, or None when it is not a legal detour."""
        prefs = self.preferences
        cost = 0
        for i, (a, b) in enumerate(zip(path, path[1:])):
            rule = self._data_step(a, b, final=i == len(path) - 2)
            if rule is None:
                return None
            cost += prefs.step_weight(rule) + (prefs.legacy_penalty if rule.effective_status != "current" else 0)
        for mid in path[1:-1]:
            hop = prefs.hop_cost(mid)
            if hop is NEVER:
                return None
            cost += hop
        return cost

    @lru_cache(maxsize=4096)  # noqa: B019 - the rule book lives for the whole process
    def detours(self, source: str, target: str, limit: int | None = None) -> tuple[tuple[str, ...], ...]:
        """Legal paths from source to target through one or two services, best first.

        Only steps that move records count (never a notification, a catalog or a control
        link), never through a service that does not forward records, and every path must
        pass the component constraints. Paths are ranked by the preferences in the data.
        """
        limit = limit or self.preferences.limit
        if self.no_records(source) is not None:
            return ()
        found: list[tuple[int, int, str, tuple[str, ...]]] = []

        def consider(path: tuple[str, ...]) -> None:
            cost = self.path_cost(path)
            if cost is None or (self.path_ok is not None and not self.path_ok(path)):
                return
            found.append((cost, len(path), " ".join(path), path))

        for mid in self.feeds(source):
            if mid in (source, target) or not self._data_step(source, mid):
                continue
            if self._data_step(mid, target, final=True):
                consider((source, mid, target))
            for mid2 in self.feeds(mid):
                if mid2 in (source, target, mid) or not self._data_step(mid, mid2):
                    continue
                if self._data_step(mid2, target, final=True):
                    consider((source, mid, mid2, target))
        found.sort()
        return tuple(path for *_, path in found[:limit])


def _status_fields(entry: dict) -> dict:
    return {
        "status": entry.get("status", "current"),
        "since": str(entry["since"]) if entry.get("since") else None,
        "successor": entry.get("successor"),
        "status_note": entry.get("status_note"),
    }


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _mechanism(mid: str, entry: dict) -> Mechanism:
    return Mechanism(
        id=mid, label=entry["label"], kind=entry["kind"], description=entry.get("description", ""),
        doc=entry.get("doc"), carries=entry.get("carries", "records"), weight=entry.get("weight"),
        **_status_fields(entry))


def _preferences(raw: dict) -> DetourPreferences:
    hops = {sid: (NEVER if cost == "never" else int(cost)) for sid, cost in (raw.get("hops") or {}).items()}
    return DetourPreferences(
        kind_weights={k: int(v) for k, v in (raw.get("kind_weights") or {}).items()},
        hop_weight=int(raw.get("hop_weight", 1)), hops=hops,
        no_records=dict(raw.get("no_records") or {}), limit=int(raw.get("limit", 3)),
        legacy_penalty=int(raw.get("legacy_penalty", 5)))


def _renames() -> dict[str, tuple[str, str | None, str | None]]:
    services = read_data("services.yaml").get("services") or {}
    return {sid: (e["inherits"], str(e["since"]) if e.get("since") else None, e.get("status_note"))
            for sid, e in services.items() if e.get("inherits")}


def build_rules(raw: dict, renames: dict | None = None, path_ok: PathCheck | None = None) -> RuleBook:
    """A rule book from the parsed content of an integrations file."""
    mechanisms = {mid: _mechanism(mid, entry) for mid, entry in (raw.get("mechanisms") or {}).items()}
    rules: list[Rule] = []
    for entry in raw.get("rules") or []:
        try:
            mechanism = mechanisms[entry["via"]]
        except KeyError as exc:
            raise CatalogError(f"integrations.yaml: rule {entry.get('id')} uses unknown mechanism") from exc
        rules.append(Rule(
            id=entry["id"], sources=_as_tuple(entry["from"]), targets=_as_tuple(entry["to"]),
            mechanism=mechanism, doc=entry.get("doc") or mechanism.doc or "", hop=entry.get("hop"),
            note=entry.get("note"), seed=bool(entry.get("seed")), weight=entry.get("weight"),
            carries_override=entry.get("carries"), **_status_fields(entry)))
    corrections = [
        Correction(id=c["id"], source=c["from"], target=c["to"], seed=c.get("seed", ""),
                   truth=c["truth"], instead=_as_tuple(c.get("instead")), doc=c.get("doc"))
        for c in raw.get("corrections") or []
    ]
    return RuleBook(mechanisms, rules, corrections, _preferences(raw.get("detours") or {}),
                    renames, path_ok)


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    """The packaged integration rules, with renamed services and the component constraints."""
    from archgen.catalog.constraints import load_constraints

    book = build_rules(read_data("integrations.yaml"), _renames())
    constraints = load_constraints()
    book.path_ok = lambda path: constraints.path_ok(path, book)
    return book
