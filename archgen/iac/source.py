"""Read a YAML or JSON file into plain data and a table of positions.

CloudFormation's short-form tags (``!Ref``, ``!GetAtt``, ``!Sub``...) become the long
form (``{"Ref": ...}``, ``{"Fn::GetAtt": [...]}``), so every reader works on one shape. JSON
goes through the same composer (JSON is YAML) so its resources have line and column too;
``json`` parses it first to report syntax errors exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from archgen.findings import Finding

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader

Positions = dict[tuple, tuple[int, int]]

_Y = "tag:yaml.org,2002:"
_SHORT = {"!Ref": "Ref", "!Condition": "Condition"}
MAX_NODES = 2_000_000
MAX_DEPTH = 200


@dataclass
class Loaded:
    data: Any
    positions: Positions  # path -> (line, column) of the key (mappings) or item (sequences)


class SourceError(Exception):
    """The file cannot be read as YAML or JSON; carries the finding to report."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _fail(file: str, message: str, line: int, column: int, hint: str) -> SourceError:
    return SourceError(Finding("E601", message, hint=hint, file=file, line=line, column=column))


def load_file(text: str, file: str, is_json: bool) -> Loaded:
    """Parse text; raise SourceError (E601) with the position of a syntax error."""
    deep = False  # JSON nested past Python's recursion limit: the YAML parser says where
    if is_json:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(file, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno,
                        "check the commas, brackets and quotes around this position") from None
        except RecursionError:
            deep = True
        text = text.replace("\t", " ")  # same length: positions stay; YAML dislikes tabs
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if deep:
            raise _fail(file, "the file is too large or nests too deeply to import", line, column,
                        "split it into several templates") from None
        if is_json:  # valid JSON that YAML cannot compose: keep the data, lose the positions
            return Loaded(json.loads(text), {})
        raise _fail(file, f"YAML syntax error: {exc.problem or exc}", line, column,
                    "check the indentation and quoting around this position") from None
    except yaml.YAMLError as exc:
        raise _fail(file, f"the file cannot be read: {exc}", 1, 1, "save it as UTF-8 text") from None
    if node is None:
        raise _fail(file, "the file is empty", 1, 1, "give a CloudFormation template or Terraform JSON")
    positions: Positions = {}
    counter = [0]
    data = _build(node, (), positions, counter, 0, file)
    return Loaded(data, positions)


def subtrees(positions: Positions, prefixes: list[tuple]) -> dict[tuple, Positions]:
    """The positions below each prefix, relative to it, in one pass over the table.

    Filtering the whole table once per resource is quadratic in the size of the file; this
    looks up each key's heads of the few prefix lengths asked for instead."""
    out: dict[tuple, Positions] = {p: {} for p in prefixes}
    lengths = sorted({len(p) for p in prefixes})
    for key, value in positions.items():
        for n in lengths:
            if n > len(key):
                break
            below = out.get(key[:n])
            if below is not None:
                below[key[n:]] = value
    return out


_STR = _Y + "str"
_CONSTRUCT = yaml.constructor.SafeConstructor.yaml_constructors
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR or node.style:  # quoted or block: always text
        return node.value
    if tag.startswith(_Y):
        make = _CONSTRUCT.get(tag)
        if make is None:
            return node.value
        try:
            value = make(_CONSTRUCTOR, node)  # one shared constructor: scalars hold no state
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            return node.value  # dates and the like stay as written
        return value
    return node.value


def _build(node: yaml.Node, path: tuple, positions: Positions, counter: list[int], depth: int, file: str) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES or depth > MAX_DEPTH:
        m = node.start_mark
        raise _fail(file, "the file is too large or nests too deeply to import", m.line + 1, m.column + 1,
                    "split it into several templates")
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        value: Any = _scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = []
        for i, child in enumerate(node.value):
            positions[path + (i,)] = (child.start_mark.line + 1, child.start_mark.column + 1)
            value.append(_build(child, path + (i,), positions, counter, depth + 1, file))
    else:
        value = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(id(key_node))
            positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            value[key] = _build(value_node, path + (key,), positions, counter, depth + 1, file)
    if tag.startswith("!"):
        return _intrinsic(tag, value)
    return value


def _intrinsic(tag: str, value: Any) -> dict[str, Any]:
    """The long form of a CloudFormation short-form tag."""
    if tag in _SHORT:
        return {_SHORT[tag]: value}
    name = "Fn::" + tag[1:]
    if name == "Fn::GetAtt" and isinstance(value, str):
        head, _, rest = value.partition(".")
        return {name: [head, rest]}
    return {name: value}
