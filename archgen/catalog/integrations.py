"""Integration rules: which service can deliver into which, by what mechanism.

The rules are a closed world: a flow is legal only if some rule lists its source service
among ``from`` and its target service among ``to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archgen.catalog import read_data
from archgen.errors import CatalogError

KINDS = ("stream", "batch", "event", "query", "control", "custom-code")
STATUS_RANK = {"current": 0, "legacy": 1, "deprecated": 2}


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

    @property
    def kind(self) -> str:
        return self.mechanism.kind

    @property
    def label(self) -> str:
        return self.mechanism.label

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


Step = tuple[str, Rule]  # (service reached, rule used to reach it)


class RuleBook:
    """Indexes the rules by (source, target) pair and searches legal detours."""

    def __init__(self, mechanisms: dict[str, Mechanism], rules: list[Rule],
                 corrections: list[Correction]) -> None:
        self.mechanisms = mechanisms
        self.rules = rules
        self.corrections = {(c.source, c.target): c for c in corrections}
        self._pairs: dict[tuple[str, str], list[Rule]] = {}
        for rule in rules:
            for s in rule.sources:
                for t in rule.targets:
                    self._pairs.setdefault((s, t), []).append(rule)
        for lst in self._pairs.values():
            lst.sort(key=Rule.preference)
        self._out: dict[str, list[str]] = {}
        self._in: dict[str, list[str]] = {}
        for s, t in sorted(self._pairs):
            self._out.setdefault(s, []).append(t)
            self._in.setdefault(t, []).append(s)

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

    def _data_step(self, source: str, target: str) -> Rule | None:
        for rule in self.rules_for(source, target):
            if rule.effective_status == "current" and rule.kind != "control":
                return rule
        return None

    @lru_cache(maxsize=4096)  # noqa: B019 - the rule book lives for the whole process
    def detours(self, source: str, target: str, limit: int = 3) -> tuple[tuple[str, ...], ...]:
        """Shortest legal paths from source to target through one or two services, best first.

        Only current, data-moving rules count: legacy paths and control links
        (orchestration, permissions) are never proposed.
        """
        found: list[tuple[tuple[int, int, str], tuple[str, ...]]] = []

        def score(path: tuple[str, ...]) -> tuple[int, int, str]:
            rules = [self._data_step(a, b) for a, b in zip(path, path[1:])]
            custom = sum(1 for r in rules if r is not None and r.kind == "custom-code")
            return (len(path), custom, " ".join(path))

        for mid in self.feeds(source):
            if mid in (source, target) or not self._data_step(source, mid):
                continue
            if self._data_step(mid, target):
                found.append((score((source, mid, target)), (source, mid, target)))
        if not found:
            for mid in self.feeds(source):
                if mid in (source, target) or not self._data_step(source, mid):
                    continue
                for mid2 in self.feeds(mid):
                    if mid2 in (source, target, mid) or not self._data_step(mid, mid2):
                        continue
                    if self._data_step(mid2, target):
                        path = (source, mid, mid2, target)
                        found.append((score(path), path))
        found.sort()
        return tuple(path for _, path in found[:limit])


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


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    """The packaged integration rules."""
    raw = read_data("integrations.yaml")
    mechanisms: dict[str, Mechanism] = {}
    for mid, entry in (raw.get("mechanisms") or {}).items():
        mechanisms[mid] = Mechanism(
            id=mid, label=entry["label"], kind=entry["kind"],
            description=entry.get("description", ""), doc=entry.get("doc"), **_status_fields(entry))
    rules: list[Rule] = []
    for entry in raw.get("rules") or []:
        try:
            mechanism = mechanisms[entry["via"]]
        except KeyError as exc:
            raise CatalogError(f"integrations.yaml: rule {entry.get('id')} uses unknown mechanism") from exc
        rules.append(Rule(
            id=entry["id"], sources=_as_tuple(entry["from"]), targets=_as_tuple(entry["to"]),
            mechanism=mechanism, doc=entry.get("doc") or mechanism.doc or "", hop=entry.get("hop"),
            note=entry.get("note"), seed=bool(entry.get("seed")), **_status_fields(entry)))
    corrections = [
        Correction(id=c["id"], source=c["from"], target=c["to"], seed=c.get("seed", ""),
                   truth=c["truth"], instead=_as_tuple(c.get("instead")), doc=c.get("doc"))
        for c in raw.get("corrections") or []
    ]
    return RuleBook(mechanisms, rules, corrections)
