"""The JSON Schema of spec format 1, generated from the catalog, and its validation.

The committed ``schemas/archgen.schema.json`` is this module's output; a test keeps the
two equal, so the service enum can never drift from the catalog.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from archgen.catalog.instances import load_instances
from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services
from archgen.findings import Finding, json_path
from archgen.suggest import did_you_mean

CODES = ("E101", "E102", "E103", "E104", "E106", "E110")  # the codes validate() reports

SCHEMA_ID = "https://archgen.dev/schemas/archgen.schema.json"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
CODE_PATTERN = r"^[EWI][0-9]{0,3}$"
# For editors only: an id never contains `->`, so each part of the chain can end in only one
# place and the pattern cannot backtrack. archgen itself checks flows with `flow_problem`.
FLOW_PATTERN = r"^\s*(?:[^\s>-]|-(?!>))+(?:\s*->\s*(?:[^\s>-]|-(?!>))+)+\s*$"

ROLE_HELP = {
    "sources": "Where data is born: applications, devices, agents, databases being migrated.",
    "streams": "Data in motion: streams, queues, topics, buses and delivery streams.",
    "stores": "Data at rest: object stores, databases, warehouses, search indexes, catalogs.",
    "analytics": "Processing, query, machine learning, BI and orchestration.",
}


NOTHING = "[^\\s\\S]"  # a pattern no text matches (ECMA and Python alike)
UNKNOWN_SERVICE = "Unknown service: `archgen services` lists every service id and alias."


def _service_choices() -> list[tuple[str, str, str]]:
    """(value, canonical id, one-line description) for every service id and alias."""
    services = load_services()
    out = []
    for s in services:
        status = "" if s.is_current else f" ({s.status}; use {s.successor})"
        out.append((s.id, s.id, f"{s.name}{status}: {s.description}"))
    for s in services:
        for alias in s.aliases:
            out.append((alias, s.id, f"Alias of `{s.id}` ({s.name})."))
    return out


def _service_ref(editors: bool) -> dict[str, Any]:
    choices = _service_choices()
    if editors:
        return _one_of_each(choices)
    return {
        "type": "string",
        "description": "A service id from the archgen catalog (`archgen services`), or one of its aliases.",
        "enum": [value for value, _, _ in choices],
        "enumDescriptions": [text for _, _, text in choices],
    }


def _one_of_each(choices: list[tuple[str, str, str]], error: str = UNKNOWN_SERVICE) -> dict[str, Any]:
    """For editors: one alternative per value, each with its own description.

    A single ``enum`` would make yaml-language-server hover list every value with its
    description (25,000 characters for the services) and word an error as that list.
    One-value alternatives give completion with a description per value, a hover of the
    value's own description, and ``errorMessage`` (an extension editors read, ignored by
    validators) as the whole error. The first two alternatives match nothing: the first has
    no ``const``, so yaml-language-server reports its message instead of joining the values
    of every failed alternative into one list, and the two share a description, so a hover
    over a wrong value shows that text instead of every value's description joined."""
    return {"type": "string",
            "anyOf": [{"pattern": NOTHING, "errorMessage": error, "description": error,
                       "$comment": "Matches nothing: it carries the error editors show for any other value."},
                      {"not": {}, "description": error,
                       "$comment": "Matches nothing: with the same description as the one above, hover over "
                                   "a wrong value shows that text once, not every value's joined."},
                      *({"const": value, "description": text} for value, _, text in choices)]}


def _node_group(role: str, editors: bool) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"The EMR {role} node group.",
        "required": ["instance"],
        "additionalProperties": False,
        "properties": {
            "instance": {"type": "string", "description": "EC2 instance type, for example `r7g.2xlarge`."},
            "count": {"type": "integer", "minimum": 1, "maximum": 10000,
                      "description": "Number of instances in the group (default 1)."},
            "market": _enum(["on-demand", "spot"], "Purchasing option: `on-demand` (default) or `spot`.",
                            "Use on-demand or spot.", editors),
        },
    }


def build_schema(editors: bool = True) -> dict[str, Any]:
    """The JSON Schema (draft-07) for spec format 1.

    ``editors`` (the committed schema, ``archgen schema``) writes alternatives as ``anyOf``
    so that editors complete both the shorthand and the mapping form of components, with a
    description per service and short errors, and allows the EMR keys only on EMR
    components. Without it, the same language for archgen's own validation: ``if``/``then``
    branches and plain enums, which ``fastschema`` compiles and whose errors become
    findings (EMR keys elsewhere are W205, a warning with a hint, not a schema error)."""
    workloads = sorted(load_instances().workloads)
    rules = load_rules()
    mechanisms = sorted(rules.mechanisms)
    ignore = {
        "type": "array",
        "description": "Finding codes or code prefixes to suppress here, for example `[W201]` or `[W4]`.",
        "items": {"type": "string", "pattern": CODE_PATTERN, "description": "A finding code or prefix."},
    }
    emr_keys = {
        "workload": _enum(workloads, "EMR only: what the cluster mainly runs.",
                          f"Not an EMR workload: completion lists the {len(workloads)}, such as spark.",
                          editors),
        "lifetime": _enum(["transient", "long-running"],
                          "EMR only: a transient (job) cluster or a long-running one.",
                          "Use transient or long-running.", editors),
        "nodes": {
            "type": "object",
            "description": "EMR only: the primary, core and task node groups.",
            "additionalProperties": False,
            "properties": {
                "primary": _node_group("primary", editors),
                "master": {**_node_group("primary", editors),
                           "description": "Old name of `primary`; accepted with a hint."},
                "core": _node_group("core", editors),
                "task": _node_group("task", editors),
            },
        },
    }
    common = {
        "label": {"type": "string", "description": "Text under the icon (defaults to the service name)."},
        "notes": {"type": "string", "description": "Free text kept with the component (slide notes)."},
        "ignore": ignore,
    }
    component_object = {
        "type": "object",
        "description": "A component with a service and optional details.",
        "required": ["service"],
        "additionalProperties": False,
        "properties": {"service": {"$ref": "#/definitions/service"}, **common,
                       **({} if editors else emr_keys)},
    }
    emr_choices = [c for c in _service_choices() if c[1] == "emr"]
    emr_component = {
        "type": "object",
        "description": "An Amazon EMR cluster: its workload, lifetime and node groups.",
        "required": ["service"],
        "additionalProperties": False,
        "properties": {"service": {"$ref": "#/definitions/emrService"},
                       **common, **emr_keys},
    }
    mechanism_choices = [(m, m, _mechanism_text(rules.mechanisms[m])) for m in mechanisms]
    via = ({"$ref": "#/definitions/mechanism"} if editors else
           {"enum": mechanisms, "description": "Mechanism id from the integration rules (`archgen rules`)."})
    # without a description of their own: hover shows the chosen value's
    editor_definitions = {
        "emrComponent": emr_component,
        "emrService": _one_of_each(emr_choices, "The EMR keys (workload, lifetime, nodes) go only on a "
                                                "component whose service is `emr`."),
        "mechanism": _one_of_each(mechanism_choices, "Not a mechanism id: `archgen rules SERVICE` lists the "
                                                     "mechanisms into and out of a service."),
    }
    sections = {
        role: {
            "type": "object",
            "description": ROLE_HELP[role] + " Each entry is `id: service` or `id: {service: ..., ...}`.",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": {"$ref": "#/definitions/component"},
        }
        for role in ("sources", "streams", "stores", "analytics")
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "archgen spec (format 1)",
        "description": "A checked AWS data-analytics architecture: components, groups and the flows between them.",
        "type": "object",
        "required": ["archgen", "title"],
        "additionalProperties": False,
        "properties": {
            "archgen": {"const": 1, "description": "Spec format version; this archgen reads version 1."},
            "title": {"type": "string", "minLength": 1, "description": "Diagram title."},
            "description": {"type": "string", "description": "Caption and slide notes."},
            "direction": _enum(["LR", "TB", "RL", "BT"],
                               "Layout direction: LR, TB, RL or BT. Left out, archgen lays "
                               "out LR and TB and keeps the one that fits a 16:9 slide best "
                               "(LR unless TB is clearly larger).", "Use LR, TB, RL or BT.", editors),
            "theme": _enum(["light", "dark"], "Colour theme: light (default) or dark.",
                           "Use light or dark.", editors),
            **sections,
            "groups": {
                "type": "object",
                "description": "Boxes drawn around components; a group may contain other groups.",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"$ref": "#/definitions/group"},
            },
            "flows": {
                "type": "array",
                "description": "Data movements: `a -> b`, chains `a -> b -> c`, or mappings.",
                "items": {"$ref": "#/definitions/flow"},
            },
            "views": {
                "type": "array",
                "description": "Named views of the diagram for reviews and slides: a part of it, a focus, "
                               "or steps that build it up.",
                "items": {"$ref": "#/definitions/view"},
            },
        },
        "definitions": {
            "service": _service_ref(editors),
            "component": _either("A service id (shorthand) or a component mapping.",
                                 {"$ref": "#/definitions/service"},
                                 [{"$ref": "#/definitions/componentObject"},
                                  *([{"$ref": "#/definitions/emrComponent"}] if editors else [])], editors),
            "componentObject": component_object,
            **(editor_definitions if editors else {}),
            "group": {
                "type": "object",
                "description": "A box around components and groups.",
                "required": ["members"],
                "additionalProperties": False,
                "properties": {
                    "label": {"type": "string", "description": "Text at the top of the box."},
                    "members": {
                        "type": "array",
                        "description": "Ids of the components and groups inside.",
                        "items": {"type": "string", "description": "A component or group id."},
                    },
                },
            },
            "view": {
                "type": "object",
                "description": "A view: drawn with the positions of the full diagram.",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": ID_PATTERN,
                             "description": "View id; outputs are named `<stem>--<name>`."},
                    "title": {"type": "string", "description": "Slide title (defaults to the name)."},
                    "show": {"type": "array", "items": {"type": "string", "description": "A component or group id."},
                             "description": "Draw only these components and groups and the flows among them."},
                    "focus": {"type": "array", "items": {"type": "string", "description": "A component or group id."},
                              "description": "Draw everything, fading all but these."},
                    "steps": {
                        "type": "array",
                        "description": "Build the view up: step N shows the ids of steps 1..N.",
                        "items": {"type": "array", "description": "Ids added at this step.",
                                  "items": {"type": "string", "description": "A component or group id."}},
                    },
                    "notes": {"type": "string", "description": "Speaker notes for the view's slides."},
                },
            },
            "flow": _either("A flow string or mapping.",
                            {"type": "string", "pattern": FLOW_PATTERN,
                             "description": "`a -> b` or a chain `a -> b -> c`."},
                            [{
                                "type": "object",
                                "description": "A flow with details.",
                                "required": ["from", "to"],
                                "additionalProperties": False,
                                "properties": {
                                    "from": {"type": "string", "description": "Id of the component data leaves."},
                                    "to": {"type": "string", "description": "Id of the component data enters."},
                                    "label": {"type": "string",
                                              "description": "Edge label (defaults to the mechanism)."},
                                    "via": via,
                                    "ignore": ignore,
                                },
                            }], editors),
        },
    }


def _either(description: str, short: dict[str, Any], mappings: list[dict[str, Any]],
            editors: bool) -> dict[str, Any]:
    """A string form or a mapping form. For editors ``anyOf`` without a description of its
    own, so that completion offers both forms and hover shows the chosen form's text; for
    validation ``if``/``then``/``else``, which names the one branch that failed."""
    if editors:
        return {"anyOf": [short, *mappings]}
    return {"description": description, "if": {"type": "string"}, "then": short, "else": mappings[0]}


def _enum(values: list[str], description: str, error: str, editors: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"enum": values, "description": description}
    if editors:
        out["errorMessage"] = error
    return out


def _mechanism_text(mechanism) -> str:
    text = mechanism.label
    if mechanism.description:
        text += f": {mechanism.description}"
    if mechanism.status != "current":
        text += f" ({mechanism.status}; use {mechanism.successor})" if mechanism.successor else f" ({mechanism.status})"
    return text


def schema_text() -> str:
    """The schema as committed: stable key order, two-space indent, trailing newline."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


# arrows people write by habit, and what archgen reads instead
_NOT_ARROWS = ("=>", "→", "⟶", "<-", "->>", "-->", "—>", ">")


def flow_problem(text: str) -> tuple[int, str] | None:
    """Why a flow string is not ``a -> b`` or a chain, as (offset in the text, hint), or
    None when it is one. Linear time, no regex."""
    parts = text.split("->")
    if len(parts) < 2:
        for bad in _NOT_ARROWS:
            if bad in text:
                return text.index(bad), f"`{bad}` is not an arrow in a flow; join the ids with `->`"
        return len(text) - len(text.lstrip()), "a flow joins two ids with `->`: `a -> b`"
    pos = 0
    for i, piece in enumerate(parts):
        part = piece.strip()
        lead = pos + len(piece) - len(piece.lstrip())
        if not part:
            if i == 0:
                return lead, "the flow starts with `->`; name the component the data comes from first"
            if i == len(parts) - 1:
                return pos - 2, "the flow ends with `->`; name the component the data goes to"
            return pos - 2, "two arrows with no id between them; remove one or name the component between"
        if ">" in part:
            at = lead + part.index(">")
            return at, "`>` cannot be part of an id; write arrows as `->`"
        gap = next((j for j, ch in enumerate(part) if ch.isspace()), None)
        if gap is not None:
            return lead + gap, (f"`{part}` is not one id (ids have no spaces); join the ids with `->`, "
                                "or write the id with `-` or `_`")
        pos += len(piece) + 2
    return None


def matches(pattern: str, text: str) -> bool:
    """``pattern`` as JSON Schema means it: ``$`` ends the text (Python's ``$`` would also
    match before a final newline, letting an id such as ``"web\\n"`` through)."""
    import re

    match = re.search(pattern, text)
    return match is not None and (not pattern.endswith("$") or match.end() == len(text))


def _whole_pattern(validator, pattern, instance, schema):
    from jsonschema import ValidationError

    if isinstance(instance, str) and not matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def validation_schema() -> dict[str, Any]:
    """The schema, built once per process for validation (not to be modified).

    Flow strings are checked by ``flow_problem`` in linear time rather than by the pattern."""
    schema = build_schema(editors=False)
    del schema["definitions"]["flow"]["then"]["pattern"]
    return schema


@lru_cache(maxsize=1)
def validator():
    import jsonschema

    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _whole_pattern})
    return cls(validation_schema())


@lru_cache(maxsize=1)
def _quick():
    """The compiled yes/no check (``archgen.model.fastschema``), or None: jsonschema decides."""
    from archgen.model.fastschema import Unsupported, compile_schema

    try:
        return compile_schema(validation_schema())
    except Unsupported:
        return None


def _surely_valid(data: dict) -> bool:
    quick = _quick()
    try:
        return quick is not None and quick(data)
    except Exception:  # an unexpected value: let jsonschema decide and word it
        return False


_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false",
               int: "a number", float: "a number", type(None): "empty"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def validate(data: dict) -> list[Finding]:
    """Schema findings for a loaded document, one per problem, worded for people."""
    findings: list[Finding] = []
    flows = data.get("flows")
    for i, item in enumerate(flows if isinstance(flows, list) else []):
        problem = flow_problem(item) if isinstance(item, str) else None
        if problem:
            findings.append(Finding("E106", f"malformed flow `{item}`", ("flows", i), hint=problem[1],
                                    offset=problem[0]))
    if _surely_valid(data):  # the common case, without importing jsonschema
        return findings
    seen: set[tuple] = set()
    for error in sorted(validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for finding in _to_findings(error):
            key = (finding.code, finding.path, finding.on_key)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return findings


def _where(path: tuple) -> str:
    if not path:
        return "the spec"
    return "`" + json_path(path)[2:].lstrip(".") + "`" if len(path) > 1 else f"`{path[0]}`"


def _type_hint(path: tuple, expected: str, instance: Any) -> str:
    if path and path[0] == "flows" and len(path) == 2:
        return "write a flow as `a -> b`, `a -> b -> c` or `{from: a, to: b}`"
    if path and path[0] in ROLE_HELP and len(path) == 2:
        return "write a component as `id: service` or `id: {service: ..., label: ...}`"
    if expected == "string" and not isinstance(instance, (dict, list)):
        return "put quotes around text that YAML reads as a number or true/false"
    if expected == "object":
        return "expected `key: value` pairs here"
    if expected == "array":
        return "expected a list here: `[a, b]` or one `- item` per line"
    return f"expected {expected} here"


def _to_findings(error) -> list[Finding]:
    import difflib

    path = tuple(error.absolute_path)
    where = _where(path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties") or {})
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = did_you_mean(close) or f"allowed keys: {', '.join(allowed)}"
            out.append(Finding("E101", f"unknown key `{key}` in {where}", path + (key,), hint=hint,
                               on_key=True))
        return out
    if error.validator == "pattern" and error.validator_value == ID_PATTERN:
        on_key = "propertyNames" in error.relative_schema_path
        return [Finding("E104", f"{error.instance!r} is not a valid id",
                        path + (error.instance,) if on_key else path, hint=_ID_HINT, on_key=on_key)]
    if error.validator == "propertyNames":
        return [Finding("E104", f"`{error.instance}` is not a valid id", path + (error.instance,),
                        hint=_ID_HINT, on_key=True)]
    if error.validator == "enum" and "enumDescriptions" in error.schema:
        return [unknown_service(error.instance, path)]
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        names = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "a whole number"}
        return [Finding("E102", f"{where} must be {names.get(expected, expected)}, "
                                f"not {_type_name(error.instance)}", path,
                        hint=_type_hint(path, expected, error.instance))]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return [Finding("E103", f"missing required key `{missing}` in {where}", path,
                        hint=_REQUIRED_HINTS.get(missing, f"add `{missing}:`"))]
    if error.validator == "pattern" and path and path[0] == "flows":
        return [Finding("E106", f"malformed flow `{error.instance}`", path,
                        hint="write flows as `a -> b` or `a -> b -> c`")]
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        shown = ", ".join(str(a) for a in allowed[:12]) + (" …" if len(allowed) > 12 else "")
        close = difflib.get_close_matches(str(error.instance), [str(a) for a in allowed], n=1)
        hint = did_you_mean(close) or f"one of: {shown}"
        return [Finding("E104", f"{where} cannot be `{error.instance}`", path, hint=hint)]
    if error.validator in ("minimum", "maximum") and not isinstance(error.instance, bool):
        bound, low = error.validator_value, error.validator == "minimum"
        return [Finding("E104", f"{where} must be {'at least' if low else 'at most'} {bound}, not {error.instance}",
                        path, hint=f"use a value of {bound} or {'more' if low else 'less'}")]
    return [Finding("E104", f"{where}: {error.message}", path, hint="see `archgen schema` for what is allowed")]


_ID_HINT = "ids start with a letter or digit and use letters, digits, `-`, `_`, `.` (at most 64)"

_REQUIRED_HINTS = {
    "title": "add `title: Your architecture`",
    "service": "give the component a `service:` from `archgen services`",
    "members": "list the member ids: `members: [a, b]`",
    "from": "a flow mapping needs `from:` and `to:`",
    "to": "a flow mapping needs `from:` and `to:`",
    "instance": "name the EC2 instance type, for example `instance: r7g.2xlarge`",
}


def unknown_service(name: Any, path: tuple) -> Finding:
    """E110 with did-you-mean suggestions from ids and aliases."""
    suggestions = load_services().suggest(str(name))
    hint = did_you_mean(suggestions, shown=True) or "`archgen services` lists every service id and alias"
    return Finding("E110", f"unknown service `{name}`", path, hint=hint)
