"""Load YAML into plain data plus a table of source positions.

PyYAML's composer gives every node a mark; we build Python values ourselves so that we
can record the line/column of every key and value, refuse duplicate keys (PyYAML keeps
the last one silently), and bound the work an alias bomb can cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from archgen.findings import Finding, Path

try:  # libyaml is much faster on big specs; the pure loader gives the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile spec from using unbounded time or memory."""

    max_bytes: int = 2 * 1024 * 1024
    max_nodes: int = 200_000
    max_depth: int = 64


@dataclass(slots=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based
    style: str | None = None  # None or "" plain, '"' or "'" quoted, '|'/'>' block
    single_line: bool = True


@dataclass
class Positions:
    """Where each value and key of the document sits in the file."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def locate(self, path: Path, on_key: bool = False, offset: int = 0) -> tuple[int, int]:
        """Line and column for a path; falls back to the nearest enclosing node."""
        path = tuple(path)
        if on_key and path in self.keys:
            mark = self.keys[path]
            return mark.line, mark.column
        probe = path
        while True:
            mark = self.values.get(probe)
            if mark is not None:
                if probe == path and offset and mark.single_line and mark.style in (None, "", '"', "'"):
                    quote = 1 if mark.style in ('"', "'") else 0
                    return mark.line, mark.column + quote + offset
                return mark.line, mark.column
            if probe in self.keys:
                mark = self.keys[probe]
                return mark.line, mark.column
            if not probe:
                return 1, 1
            probe = probe[:-1]


@dataclass
class Document:
    """A loaded spec: plain data and the positions of its parts."""

    file: str
    data: Any
    positions: Positions


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.nodes = 0


class _Abort(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_Y = "tag:yaml.org,2002:"
_TIMESTAMP = _Y + "timestamp"
_STR = _Y + "str"
_PLAIN_TAGS = frozenset(_Y + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))


def _mark(node: yaml.Node) -> Mark:
    start, end = node.start_mark, node.end_mark
    style = getattr(node, "style", None)
    return Mark(start.line + 1, start.column + 1, style, start.line == end.line)


def _finding_at(code: str, message: str, line: int, column: int, hint: str | None) -> Finding:
    return Finding(code=code, message=message, hint=hint, line=line, column=column)


def decode(raw: bytes, limits: Limits) -> tuple[str | None, list[Finding]]:
    """Bytes to text, or findings for oversized, binary or non-UTF-8 input."""
    findings: list[Finding] = []
    if len(raw) > limits.max_bytes:
        return None, [
            _finding_at(
                "E005",
                f"the file is {len(raw):,} bytes; the limit is {limits.max_bytes:,}",
                1,
                1,
                "split the architecture into several specs, or raise the limit with --max-bytes",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(
            _finding_at("W006", "the file starts with a UTF-8 byte-order mark", 1, 1,
                        "save the file as UTF-8 without a BOM")
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        column = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        return None, findings + [
            _finding_at("E006", "the file contains a NUL byte; it looks binary, not YAML",
                        line, column, "a spec is a UTF-8 text file")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        return None, findings + [
            _finding_at("E006", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                        line, column, "save the spec as UTF-8")
        ]
    return text, findings


def load_text(text: str, file: str, limits: Limits | None = None) -> tuple[Document | None, list[Finding]]:
    """Parse YAML text; return the document or findings saying why it could not be read."""
    limits = limits or Limits()
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_finding(exc, text)]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        pos = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return None, [_finding_at("E001", f"YAML cannot be read: {exc}", line, column,
                                  "remove control characters from the file")]
    except RecursionError:
        return None, [_finding_at("E005", "the YAML nests too deeply", 1, 1,
                                  f"keep nesting under {limits.max_depth} levels")]
    if node is None:
        return None, [_finding_at("E002", "the spec is empty", 1, 1,
                                  "start with `archgen: 1` and a `title:`; `archgen init` writes a starter spec")]
    positions = Positions()
    findings: list[Finding] = []
    budget = _Budget(limits)
    constructor = yaml.constructor.SafeConstructor()
    try:
        data = _build(node, (), positions, findings, budget, constructor, 0)
    except _Abort as abort:
        return None, findings + [abort.finding]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        m = positions.values[()]
        findings.append(_finding_at("E002", f"the spec is {kind}; it must be a mapping of keys",
                                    m.line, m.column, "start with `archgen: 1` and a `title:`"))
        return None, findings
    return Document(file, data, positions), findings


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: column] or "'\\t'" in problem:
        tab = source_line.find("\t")
        column = tab + 1 if tab >= 0 else column
        return _finding_at("E004", "a tab character is used for indentation", line, column,
                           "YAML forbids tabs in indentation; indent with spaces")
    context = f" ({exc.context})" if exc.context else ""
    hint = "check the indentation and quoting around this position"
    ctx = exc.context_mark
    if ctx is not None and exc.problem_mark is not None and ctx.line != exc.problem_mark.line:
        hint = f"the construct that is not closed starts at line {ctx.line + 1}, column {ctx.column + 1}"
    if "expected a single document" in str(exc):
        problem, context = "the file holds more than one YAML document", ""
        hint = "keep one spec per file; remove the `---` separator"
    return _finding_at("E001", f"YAML syntax error: {problem}{context}", line, column, hint)


def _build(node, path, positions, findings, budget, constructor, depth):
    budget.nodes += 1
    if budget.nodes > budget.limits.max_nodes:
        m = _mark(node)
        raise _Abort(_finding_at(
            "E005", f"the spec expands to more than {budget.limits.max_nodes:,} YAML nodes",
            m.line, m.column, "anchors and aliases multiply content; write the spec out plainly"))
    if depth > budget.limits.max_depth:
        m = _mark(node)
        raise _Abort(_finding_at("E005", f"the spec nests deeper than {budget.limits.max_depth} levels",
                                 m.line, m.column, "flatten the structure"))
    positions.values.setdefault(path, _mark(node))
    if node.tag not in _PLAIN_TAGS:
        m = _mark(node)
        raise _Abort(_finding_at("E001", f"YAML tag `{node.tag}` is not allowed in a spec", m.line,
                                 m.column, "remove the tag; a spec holds only plain text, numbers, "
                                           "lists and mappings"))
    if node.tag == _TIMESTAMP:
        return node.value  # a date-like label stays the text that was written
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:  # what SafeConstructor returns for text, without its machinery
            return node.value
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value
        except (ValueError, OverflowError):
            return node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, path + (i,), positions, findings, budget, constructor, depth + 1)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            km = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                findings.append(_finding_at("E102", "a mapping key must be a plain string", km.line,
                                            km.column, "use a simple word as the key"))
                continue
            key = key_node.value  # raw text: `on:`/`yes:` stay strings, not booleans
            if key == "<<":
                findings.append(_finding_at("E101", "YAML merge keys (`<<`) are not supported",
                                            km.line, km.column, "write the keys out"))
                continue
            child = path + (key,)
            if key in out:
                first = positions.keys[child]
                findings.append(Finding(
                    code="E003", message=f"duplicate key `{key}`", path=child,
                    hint=f"the first `{key}` is at line {first.line}; YAML would keep only the last",
                    line=km.line, column=km.column))
                continue
            positions.keys[child] = km
            out[key] = _build(value_node, child, positions, findings, budget, constructor, depth + 1)
        return out
    return None  # pragma: no cover - the composer yields only the three node kinds
