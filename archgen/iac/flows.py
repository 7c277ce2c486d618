"""Components and flows from resources: the type tables and the integration properties.

Flows come from the properties that *are* integrations (an event source mapping's source
and function, a Firehose stream's source and destination, a rule's targets...), listed per
type in ``data/iac.yaml``; a mere reference (an IAM policy naming a bucket) is never a flow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any, Protocol

from archgen.catalog.services import load_services
from archgen.findings import Finding
from archgen.iac.mapping import COMPONENT, REFERENCED, THROUGH, UNMAPPED, FormatTable, table
from archgen.iac.model import Resource
from archgen.iac.resolve import Resolution

_HASH = re.compile(r"(?<=[a-z0-9])[0-9A-F]{8}$")
MAX_THROUGH = 8


class Resolver(Protocol):
    def resolve(self, resource: Resource, path: tuple, value: Any) -> Resolution: ...


def plain(value: Any) -> Any:
    """The literal of a value: Terraform leaves carry their references beside it."""
    if isinstance(value, dict) and "__refs__" in value:
        return value.get("__value__")
    return value


MISSING = object()


def name_property(props: dict, name: str) -> Any:
    """The value of a name property (``BucketName``, or a dotted path such as
    ``DatabaseInput.Name``), or MISSING when the resource does not set it."""
    value: Any = props
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def select(value: Any, spec: str, base: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Values at a path like ``A.B[*].C`` (``*`` iterates, ``**`` takes the whole subtree)."""
    tokens: list[str] = []
    for part in spec.split("."):
        if part.endswith("[*]"):
            if part[:-3]:
                tokens.append(part[:-3])
            tokens.append("[*]")
        elif part:
            tokens.append(part)
    yield from _select(value, tokens, base)


def _select(value: Any, tokens: list[str], path: tuple) -> Iterator[tuple[tuple, Any]]:
    if value is None:
        return
    if not tokens:
        yield path, value
        return
    head, rest = tokens[0], tokens[1:]
    if head == "**":
        yield path, value
    elif head in ("[*]", "*"):
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _select(item, rest, path + (i,))
        elif isinstance(value, dict) and head == "*" and "__refs__" not in value:
            for key, item in value.items():
                yield from _select(item, rest, path + (key,))
    elif isinstance(value, list):  # Terraform blocks are lists of one mapping
        for i, item in enumerate(value):
            yield from _select(item, tokens, path + (i,))
    elif isinstance(value, dict) and head in value and "__refs__" not in value:
        yield from _select(value[head], rest, path + (head,))


@dataclass
class Pending:
    """A component before its id is chosen."""

    key: str
    service: str
    resource: Resource | None
    order: tuple
    owner: Resource | None = None  # for components archgen adds
    attribute: str | None = None  # a component an attribute of ``owner`` stands for (a table's stream)


class Builder:
    """Classifies resources, follows integration properties, and collects findings."""

    def __init__(self, resources: list[Resource], resolvers: dict[str, Resolver]) -> None:
        self.resources = {r.key: r for r in resources}
        self.order = {r.key: i for i, r in enumerate(resources)}
        self.resolvers = resolvers
        self.components: dict[str, Pending] = {}
        self.flows: list[tuple[str, str, str | None, str]] = []
        self.findings: list[Finding] = []
        self.names: dict[str, dict[str, list[str]]] = {}
        for r in resources:
            self._index_names(r)
        self.part_of: dict[str, str] = {}  # resource key -> the key of the whole it is drawn as

    # -- classification ------------------------------------------------------------------
    def classify(self, skip: set[str]) -> None:
        self._find_wholes(skip)
        for key, r in self.resources.items():
            if key in skip or key in self.part_of:
                continue
            kind, service = table(r.fmt).kind(r.type)
            if kind == COMPONENT and service:
                self.components[key] = Pending(key, service, r, (self.order[key], 0))
            elif kind == UNMAPPED:
                word = "resource type" if r.fmt == "cloudformation" else "Terraform resource type"
                self.findings.append(Finding(
                    "W601", f"{word} `{r.type}` ({r.logical_id}) maps to no archgen service; it is left out",
                    file=r.file, line=r.line, column=r.column,
                    hint="if it moves data, add it by hand; `archgen services` lists what a spec can name"))

    def _find_wholes(self, skip: set[str]) -> None:
        """Resources drawn as part of another (a rule on a custom bus is the bus)."""
        for key, r in self.resources.items():
            prop = table(r.fmt).part_of.get(r.type)
            if key in skip or not prop or not isinstance(r.props, dict) or prop not in r.props:
                continue
            res = self.resolvers[r.fmt].resolve(r, (prop,), r.props[prop])
            keys = list(res.keys) or [h for h in (self.match_literal(r.fmt, t, (prop,)) for t in res.literals) if h]
            whole = next((k for k in keys if k in self.resources and k != key and k not in skip), None)
            if whole is not None:
                self.part_of[key] = whole

    def _index_names(self, r: Resource) -> None:
        index = self.names.setdefault(r.fmt, {})
        props = r.props if isinstance(r.props, dict) else {}
        values = [plain(name_property(props, name)) for name in table(r.fmt).names] + list(r.names)
        for value in values:
            if isinstance(value, str) and len(value) >= 3:
                keys = index.setdefault(value, [])
                if r.key not in keys:
                    keys.append(r.key)

    # -- flows ------------------------------------------------------------------------------
    def build_flows(self) -> None:
        for r in self.resources.values():
            spec = table(r.fmt).flows.get(r.type)
            if not spec:
                continue
            for entry in spec.get("flows") or ():
                self._entry(r, entry)

    def _entry(self, r: Resource, entry: dict) -> None:
        props = r.props if isinstance(r.props, dict) else {}
        items = list(select(props, entry["each"])) if entry.get("each") else [((), props)]
        if entry.get("when_key"):  # items whose key says what they are (a job's `--source_path`)
            pattern = re.compile(entry["when_key"])
            items = [(b, i) for b, i in items if b and isinstance(b[-1], str) and pattern.search(b[-1])]
        for base, item in items:
            if "item" not in (entry["from"], entry["to"]) and (not isinstance(item, dict)
                                                              or not self._applies(item, entry)):
                continue
            sources = self._endpoint(r, entry["from"], item, base, entry)
            targets = self._endpoint(r, entry["to"], item, base, entry)
            if entry.get("services"):  # only ends of these services (an argument naming a bucket)
                keep = set(entry["services"])
                sources = [k for k in sources if k == r.key or self.components[k].service in keep]
                targets = [k for k in targets if k == r.key or self.components[k].service in keep]
            for a, b in product(sources, targets):
                if a != b:
                    flow = (a, b, entry.get("via"), r.key)
                    if flow not in self.flows:
                        self.flows.append(flow)

    @staticmethod
    def _applies(item: dict, entry: dict) -> bool:
        for key, allowed in (entry.get("when") or {}).items():
            if str(plain(item.get(key))) not in [str(a) for a in allowed]:
                return False
        if entry.get("when_present") and not any(v not in (None, [], {}) for _, v in
                                                  select(item, entry["when_present"])):
            return False
        if entry.get("when_true"):
            values = [plain(v) for _, v in select(item, entry["when_true"])]
            if not any(v is True or str(v).lower() == "true" for v in values):
                return False
        return True

    def _endpoint(self, r: Resource, end: Any, item: dict, base: tuple, entry: dict) -> list[str]:
        if end == "item":
            return [k for k in self._resolve(r, base, item, entry)]
        if end == "self":
            if r.key in self.part_of:
                return self._component_of(self.part_of[r.key], 0)
            return [r.key] if r.key in self.components else []
        if isinstance(end, dict):
            if "external" in end:
                return [self._external(r, end["external"], bool(end.get("shared")))]
            if "rules_matching" in end:
                return self._rules_matching(r.fmt, end["rules_matching"])
            if "streams_named_in" in end:
                text = plain(item.get(end["streams_named_in"]))
                if not isinstance(text, str) or end.get("when_contains", "").lower() not in text.lower():
                    return []
                return self._streams_in(r.fmt, text)
            return []
        out: list[str] = []
        for path, value in select(item, str(end), base):
            found = self._resolve(r, path, value, entry)
            out += [k for k in found if k not in out]
        return out

    def _resolve(self, r: Resource, path: tuple, value: Any, entry: dict) -> list[str]:
        res = self.resolvers[r.fmt].resolve(r, path, value)
        keys = list(res.keys)
        unmatched = []
        if not keys:
            for literal in res.literals:
                hit = self.match_literal(r.fmt, literal, path)
                if hit:
                    keys.append(hit)
                elif literal.strip():
                    unmatched.append(literal)
        out: list[str] = []
        for key in keys:
            out += [c for c in self._component_of(key, 0) if c not in out]
        if not keys and not entry.get("quiet"):
            reason = res.unresolved[0] if res.unresolved else (
                f"`{unmatched[0]}` names no resource in the inputs" if unmatched else None)
            if reason:
                line, column = r.where(path)
                self.findings.append(Finding(
                    "W602", f"{r.logical_id}: `{'.'.join(map(str, path))}` cannot be followed: {reason}; "
                            "the flow is left out", file=r.file, line=line, column=column,
                    hint="import the stack that defines it too, or add the flow to the spec by hand"))
        return out

    def _component_of(self, key: str, depth: int) -> list[str]:
        if key in self.components:
            return [key]
        if key in self.part_of and depth <= MAX_THROUGH:
            return self._component_of(self.part_of[key], depth + 1)
        r = self.resources.get(key)
        if r is None:
            return self._derived(key, depth)
        tab = table(r.fmt)
        kind, service = tab.kind(r.type)
        if kind == REFERENCED and service:
            self.components[key] = Pending(key, service, r, (self.order[key], 0))
            return [key]
        if kind != THROUGH or depth > MAX_THROUGH:
            return []
        through = tab.through[r.type]
        out: list[str] = []
        props = r.props if isinstance(r.props, dict) else {}
        for prop in through.get("properties") or ():
            for path, value in select(props, prop if prop != "*" else "**"):
                res = self.resolvers[r.fmt].resolve(r, path, value)
                keys = list(res.keys) or [h for h in (self.match_literal(r.fmt, t, path) for t in res.literals) if h]
                for k in keys:
                    if k != key:
                        out += [c for c in self._component_of(k, depth + 1) if c not in out]
        if out:
            return out
        service = through.get("fallback")
        by = through.get("fallback_by")
        if by:
            value = str(plain(props.get(by["property"])) or "").lower()
            service = by["values"].get(value, by.get("default"))
        if service:
            self.components[key] = Pending(key, service, r, (self.order[key], 0))
            return [key]
        return []

    def _derived(self, key: str, depth: int) -> list[str]:
        """The component an attribute reference names (``key@StreamArn``), fed by its resource."""
        base, _, attribute = key.rpartition("@")
        r = self.resources.get(base)
        spec = table(r.fmt).derived.get(r.type, {}).get(attribute) if r is not None else None
        if r is None or spec is None:
            return []
        self.components[key] = Pending(key, spec["service"], None, (self.order[base], 2), owner=r,
                                       attribute=attribute)
        for whole in self._component_of(base, depth + 1):
            flow = (whole, key, spec.get("via"), base)
            if flow not in self.flows:
                self.flows.append(flow)
        return [key]

    def _external(self, r: Resource, service: str, shared: bool) -> str:
        key = f"#{service}" if shared else f"{r.key}#{service}"
        if key not in self.components:
            order = (-1, 0) if shared else (self.order[r.key], 1)
            self.components[key] = Pending(key, service, None, order, owner=None if shared else r)
        return key

    def _rules_matching(self, fmt: str, source: str) -> list[str]:
        out = []
        for key, r in self.resources.items():
            if r.fmt != fmt or key not in self.components or self.components[key].service != "eventbridge":
                continue
            props = r.props if isinstance(r.props, dict) else {}
            pattern = plain(props.get("EventPattern", props.get("event_pattern")))
            if isinstance(pattern, str):
                try:
                    pattern = json.loads(pattern)
                except (ValueError, RecursionError):
                    continue
            bus = plain(props.get("EventBusName", props.get("event_bus_name")))
            if bus not in (None, "default") or not isinstance(pattern, dict):
                continue
            sources = pattern.get("source")
            if source in (sources if isinstance(sources, list) else [sources]):
                out.append(key)
        return out

    def _streams_in(self, fmt: str, text: str) -> list[str]:
        out = []
        for name, keys in self.names.get(fmt, {}).items():
            for key in keys:
                comp = self.components.get(key)
                if comp is None or comp.service != "kinesis-data-streams" or name.startswith("arn:"):
                    continue
                if re.search(r'(?<![\w-])"?' + re.escape(name) + r'"?(?![\w-])', text) and key not in out:
                    out.append(key)
        return out

    def match_literal(self, fmt: str, text: str, path: tuple = ()) -> str | None:
        """The resource a literal ARN, URL, S3 path or name points at, if any.

        A name two resources share goes to the one whose type shares a word with the
        property (`database_name` -> a Glue database, `stream_arn` -> a Kinesis stream)."""
        index = self.names.get(fmt, {})
        prop = next((p for p in reversed(path) if isinstance(p, str)), "")
        for candidate in _candidates(text):
            keys = index.get(candidate)
            if keys:
                if len(keys) == 1:
                    return self._attribute_in(keys[0], text)
                words = _words(prop) | _arn_words(text)
                best = max(keys, key=lambda k: (len(words & _words(self.resources[k].type)), -keys.index(k)))
                return self._attribute_in(best, text)
        return None

    def _attribute_in(self, key: str, text: str) -> str:
        """``key@attribute`` when a literal ARN names an attribute's component (a table's stream)."""
        r = self.resources[key]
        for attribute, spec in table(r.fmt).derived.get(r.type, {}).items():
            if spec.get("arn_contains") and text.startswith("arn:") and spec["arn_contains"] in text:
                return f"{key}@{attribute}"
        return key


def _words(text: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w and w not in ("aws", "arn", "name", "id")}


def _arn_words(text: str) -> set[str]:
    """The service and resource type an ARN names (``arn:aws:kinesis:...:stream/x`` -> kinesis, stream)."""
    if not text.startswith("arn:"):
        return set()
    parts = text.split(":", 5)
    if len(parts) < 6:
        return set()
    kind = re.split(r"[/:]", parts[5], maxsplit=1)[0] if ("/" in parts[5] or ":" in parts[5]) else ""
    return _words(parts[2]) | _words(kind)


def _candidates(text: str) -> list[str]:
    text = text.strip()
    out = [text]
    if text.startswith("s3://"):
        out.append(text[5:].split("/", 1)[0])
    elif text.startswith("arn:"):
        resource = text.split(":", 5)[-1]
        out += [resource, resource.rsplit("/", 1)[-1], resource.rsplit(":", 1)[-1]]
        if "/" in resource:
            out.append(resource.split("/")[1])
    elif "://" in text:
        rest = text.split("://", 1)[1]
        host, _, tail = rest.partition("/")
        out += [host.split(":")[0], host.split(".")[0]]
        if tail:
            out.append(tail.rstrip("/").rsplit("/", 1)[-1])
    return [c for c in out if c]


# -- ids, labels and notes ------------------------------------------------------------------

def kebab(name: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    s = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "-", s)
    s = re.sub(r"[^A-Za-z0-9_.]+", "-", s).strip("-.").lower()
    return s or "resource"


def base_id(r: Resource) -> str:
    if r.fmt == "terraform":
        s = re.sub(r"[^A-Za-z0-9_.-]+", "-", r.logical_id).strip("-.").lower()
        return s or "resource"
    name = _HASH.sub("", r.logical_id) if r.construct_path else r.logical_id
    return kebab(name)


def label_of(r: Resource) -> str:
    if r.label:
        return r.label
    props = r.props if isinstance(r.props, dict) else {}
    for name in table(r.fmt).names:
        if name in ("arn", "id"):
            continue
        value = plain(name_property(props, name))
        if isinstance(value, str) and value and len(value) <= 60:
            return value
    if r.fmt == "terraform":
        return r.logical_id.replace("_", " ")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", r.logical_id)


def service_name(service: str) -> str:
    return load_services()[service].short


def tables() -> dict[str, FormatTable]:
    return {fmt: table(fmt) for fmt in ("cloudformation", "terraform")}
