"""A quick yes/no answer to "does this document satisfy the JSON Schema?".

Most specs are valid, and importing jsonschema and building its validator costs more than
checking a whole valid spec. So the schema is compiled here into plain Python checks for
the draft-07 keywords it uses; only when a document fails them does ``archgen.model.schema``
ask jsonschema, which words the findings. The answer may err only one way: a document
these checks accept is one jsonschema accepts (a test compares the two on every fixture
and on generated documents). A schema keyword not handled here makes ``compile_schema``
raise ``Unsupported``, and then jsonschema decides every document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never reject a document.
_ANNOTATIONS = frozenset({"$id", "$schema", "title", "description", "definitions", "enumDescriptions",
                          "default", "examples", "$comment"})


def _matches(pattern: str, text: str) -> bool:
    """As JSON Schema means ``pattern``: a final ``$`` ends the text (see ``schema.matches``)."""
    match = re.search(pattern, text)
    return match is not None and (not pattern.endswith("$") or match.end() == len(text))


class Unsupported(Exception):
    """The schema uses a keyword these checks do not implement."""


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "integer":  # draft 4 and later: 1.0 is an integer
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise Unsupported(f"type {name}")


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, and containers compare item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    try:
        return bool(a == b)
    except Exception:  # exotic YAML values: let jsonschema decide
        return False


def compile_schema(schema: dict) -> Check:
    """A function telling whether a document is valid against ``schema`` (draft 07)."""
    definitions = schema.get("definitions") or {}
    compiled: dict[str, Check] = {}

    def ref(pointer: str) -> Check:
        if not pointer.startswith("#/definitions/") or pointer.count("/") != 2:
            raise Unsupported(f"$ref {pointer}")
        name = pointer.rsplit("/", 1)[1]
        if name not in definitions:
            raise Unsupported(f"$ref {pointer}")
        if name not in compiled:
            compiled[name] = lambda value: compiled[name](value)  # recursion: resolved below
            compiled[name] = build(definitions[name])
        return lambda value: compiled[name](value)

    def build(node: Any) -> Check:
        if node is True or node == {}:
            return lambda value: True
        if node is False:
            return lambda value: False
        if not isinstance(node, dict):
            raise Unsupported(f"schema {node!r}")
        checks: list[Check] = []
        unknown = set(node) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "$ref" in node:  # draft 07: siblings of $ref are ignored
            return ref(node["$ref"])
        if "type" in node:
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            for n in names:
                _is_type(None, n)  # unknown type names raise Unsupported now, not later
            checks.append(lambda v, names=tuple(names): any(_is_type(v, n) for n in names))
        if "const" in node:
            checks.append(lambda v, c=node["const"]: _equal(v, c))
        if "enum" in node:
            options = list(node["enum"])
            if all(isinstance(o, str) for o in options):
                allowed = frozenset(options)
                checks.append(lambda v: isinstance(v, str) and v in allowed)
            else:
                checks.append(lambda v: any(_equal(v, o) for o in options))
        if "minLength" in node:
            checks.append(lambda v, n=node["minLength"]: not isinstance(v, str) or len(v) >= n)
        if "pattern" in node:
            checks.append(lambda v, p=node["pattern"]: not isinstance(v, str) or _matches(p, v))
        if "minimum" in node:
            checks.append(lambda v, n=node["minimum"]: not _is_type(v, "number") or v >= n)
        if "maximum" in node:
            checks.append(lambda v, n=node["maximum"]: not _is_type(v, "number") or v <= n)
        if "required" in node:
            required = tuple(node["required"])
            checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
        if "properties" in node or "additionalProperties" in node or "propertyNames" in node:
            checks.append(_object(node, build))
        if "items" in node:
            if not isinstance(node["items"], (dict, bool)):
                raise Unsupported("items as a list")
            item = build(node["items"])
            def each(v: Any) -> bool:
                if isinstance(v, list):
                    for x in v:
                        if not item(x):
                            return False
                return True

            checks.append(each)
        if "if" in node:
            test = build(node["if"])
            then = build(node.get("then", True))
            other = build(node.get("else", True))
            checks.append(lambda v: then(v) if test(v) else other(v))
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda value: first(value) and second(value)

        def every(value: Any) -> bool:
            for c in checks:  # noqa: SIM110 - faster than all() over a generator
                if not c(value):
                    return False
            return True

        return every

    return build(schema)


def _object(node: dict, build: Callable[[Any], Check]) -> Check:
    properties = {k: build(v) for k, v in (node.get("properties") or {}).items()}
    extra = node.get("additionalProperties", True)
    extra_check = None if extra is True else build(extra)
    names = build(node["propertyNames"]) if "propertyNames" in node else None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            if names is not None and not names(key):
                return False
            prop = properties.get(key) if isinstance(key, str) else None
            if prop is not None:
                if not prop(item):
                    return False
            elif extra_check is not None and not extra_check(item):
                return False
        return True

    return check


_KEYWORDS = frozenset({"$ref", "type", "const", "enum", "minLength", "pattern", "minimum", "maximum",
                       "required", "properties", "additionalProperties", "propertyNames", "items",
                       "if", "then", "else"})
