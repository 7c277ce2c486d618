"""Load YAML into plain data plus a table of source positions.

PyYAML's composer gives every node a mark; we build Python values ourselves so that we
can record the line/column of every key and value, refuse duplicate keys (PyYAML keeps
the last one silently), and bound the work an alias bomb can cause.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from archgen.findings import Finding, Path

# The codes each step may report (see archgen.check.stages).
DECODE_CODES = ("E005", "E006", "W006")
CODES = ("E001", "E002", "E003", "E004", "E005", "E007", "E101", "E102")

try:  # libyaml is much faster on big specs; the pure loader gives the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader


# The largest --max-bytes accepted: a spec is read whole into memory, and YAML parsing
# beyond this size takes minutes; larger values are usage errors, not allocations.
MAX_BYTES_CEILING = 1 << 30


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile spec from using unbounded time or memory."""

    max_bytes: int = 2 * 1024 * 1024
    max_nodes: int = 200_000
    max_depth: int = 64
    collapse: bool = False  # the layout budget counts the --collapse overview, not the whole diagram


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


class LineIndex:
    """Line and column of a character offset, counting only CR LF, LF and lone CR as breaks.

    PyYAML also breaks lines at U+0085, U+2028 and U+2029, which editors do not; its marks'
    lines would then drift. Marks carry a character index, so positions come from here.
    """

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in self._BREAK.finditer(text)]

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of the character at ``index``."""
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def _bad_characters() -> re.Pattern[str]:
    """Control characters (but tab and line feed), surrogates and Unicode non-characters."""
    ranges = ["\x00-\x08", "\x0b-\x1f", "\x7f-\x9f", "\ud800-\udfff", "\ufdd0-\ufdef"]
    ranges += [f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)]
    return re.compile("[" + "".join(ranges) + "]")


BAD_CHARACTER = _bad_characters()

# Bidirectional embeddings, overrides and isolates: they make text display in another order
# than it is read ("Trojan Source", CVE-2021-42574), in a label as in a comment. The marks
# U+200E, U+200F and U+061C are allowed: they reorder no strong text, right-to-left labels
# need them, and ids cannot hold them (the id pattern is ASCII).
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_hint(char: str, escaped: bool = False) -> str:
    """The hint of an E007 for a bidirectional control, naming it as U+XXXX."""
    how = " (a YAML escape such as `\\u202E` writes it)" if escaped else ""
    return (f"remove U+{ord(char):04X}{how}: it makes the spec display in another order than it "
            "reads (\"Trojan Source\"); right-to-left text needs no control characters")


def bidi_findings(text: str, lines: LineIndex) -> list[Finding]:
    """E007 at each line that holds a bidirectional control as written (comments included)."""
    out: list[Finding] = []
    last_line = 0
    for match in BIDI_CONTROL.finditer(text):
        line, column = lines.position(match.start())
        if line == last_line:
            continue
        last_line = line
        out.append(_finding_at("E007", "the spec holds the bidirectional control character "
                                       f"{describe_character(match.group())}", line, column,
                               bidi_hint(match.group())))
    return out


def describe_character(char: str) -> str:
    """``U+0000 (NULL)``: a character named for a message, printable whatever it is."""
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = {0: "NULL", 0x1B: "ESCAPE", 0x7F: "DELETE"}.get(ord(char), "control character")
    return f"U+{ord(char):04X} ({name or 'non-character'})"


class _Budget:
    def __init__(self, limits: Limits, lines: LineIndex, text: str = "") -> None:
        self.limits = limits
        self.lines = lines
        self.text = text
        self.nodes = 0
        self.marks: dict[int, Mark] = {}  # by node: aliases repeat the same nodes
        self.open: set[int] = set()  # the lists and mappings being built, outermost first

    def mark(self, node: yaml.Node) -> Mark:
        mark = self.marks.get(id(node))
        if mark is None:
            mark = self.marks[id(node)] = _mark(node, self.lines)
        return mark


class _Abort(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_Y = "tag:yaml.org,2002:"
_TIMESTAMP = _Y + "timestamp"
_STR = _Y + "str"
_PLAIN_TAGS = frozenset(_Y + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))


def _mark(node: yaml.Node, lines: LineIndex) -> Mark:
    line, column = lines.position(node.start_mark.index)
    end_line = lines.position(node.end_mark.index)[0]
    return Mark(line, column, getattr(node, "style", None), line == end_line)


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
        line, column = _byte_position(raw, nul)
        return None, findings + [
            _finding_at("E006", "the file contains a NUL byte; it looks binary, not YAML",
                        line, column, "a spec is a UTF-8 text file")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        return None, findings + [
            _finding_at("E006", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                        line, column, "save the spec as UTF-8")
        ]
    return text, findings


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of a byte offset; CR LF, LF and lone CR end lines."""
    head = raw[:offset]
    line = len(re.findall(rb"\r\n|\r|\n", head)) + 1
    start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    return line, len(head[start:].decode("utf-8", "replace")) + 1


def load_text(text: str, file: str, limits: Limits | None = None) -> tuple[Document | None, list[Finding]]:
    """Parse YAML text; return the document or findings saying why it could not be read."""
    limits = limits or Limits()
    lines = LineIndex(text)
    bidi = bidi_findings(text, lines)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, bidi + [_syntax_finding(exc, text, lines)]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        line, column = lines.position(getattr(exc, "position", 0) or 0)
        reason = str(exc).split("\n", 1)[0]  # the rest names PyYAML's "<unicode string>", not the file
        return None, bidi + [_finding_at("E001", f"YAML cannot be read: {reason}", line, column,
                                  "remove control characters from the file")]
    except RecursionError:
        return None, bidi + [_finding_at("E005", "the YAML nests too deeply", 1, 1,
                                  f"keep nesting under {limits.max_depth} levels")]
    if node is None:
        return None, bidi + [_finding_at("E002", "the spec is empty", 1, 1,
                                  "start with `archgen: 1` and a `title:`; `archgen init` writes a starter spec")]
    positions = Positions()
    findings: list[Finding] = bidi
    budget = _Budget(limits, lines, text)
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


def _syntax_finding(exc: yaml.MarkedYAMLError, text: str, index: LineIndex) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = index.position(mark.index) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    starts = index.starts + [len(text)]
    source_line = text[starts[line - 1] : starts[line]] if line < len(starts) else ""
    if "\t" in source_line[: column] or "'\\t'" in problem:
        tab = source_line.find("\t")
        column = tab + 1 if tab >= 0 else column
        return _finding_at("E004", "a tab character is used for indentation", line, column,
                           "YAML forbids tabs in indentation; indent with spaces")
    context = f" ({exc.context})" if exc.context else ""
    hint = "check the indentation and quoting around this position"
    ctx = exc.context_mark
    if ctx is not None and exc.problem_mark is not None and ctx.line != exc.problem_mark.line:
        ctx_line, ctx_column = index.position(ctx.index)
        hint = f"the construct that is not closed starts at line {ctx_line}, column {ctx_column}"
    if "expected a single document" in str(exc):
        problem, context = "the file holds more than one YAML document", ""
        hint = "keep one spec per file; remove the `---` separator"
    return _finding_at("E001", f"YAML syntax error: {problem}{context}", line, column, hint)


def _check_characters(text: str, path: Path, on_key: bool, findings: list[Finding],
                      mark: Mark | None = None, written: str = "") -> None:
    """E007 for a control character, a non-character or a bidirectional control in a decoded
    string (escapes included). ``written`` is the string's source text: a bidirectional
    control written as itself was reported where it stands (``bidi_findings``)."""
    bad = BAD_CHARACTER.search(text)
    where = "a key" if on_key else "a text value"
    if bad is None:
        bidi = BIDI_CONTROL.search(text)
        if bidi is not None and bidi.group() not in written:
            findings.append(Finding(
                "E007", f"{where} holds the bidirectional control character {describe_character(bidi.group())}",
                path, hint=bidi_hint(bidi.group(), escaped=True), on_key=on_key,
                line=mark.line if mark else 0, column=mark.column if mark else 0))
        return
    findings.append(Finding(
        "E007", f"{where} holds the unprintable character {describe_character(bad.group())}", path,
        hint="remove it (YAML escapes such as `\\0`, `\\e` or `\\x01` write such characters); "
             "text in a spec is printable Unicode",
        on_key=on_key, line=mark.line if mark else 0, column=mark.column if mark else 0))


def _written(node: yaml.Node, budget: _Budget) -> str:
    """A scalar's text as it stands in the file (quotes and escapes included)."""
    return budget.text[node.start_mark.index:node.end_mark.index]


def _build(node, path, positions, findings, budget, constructor, depth):
    budget.nodes += 1
    if budget.nodes > budget.limits.max_nodes:
        m = budget.mark(node)
        raise _Abort(_finding_at(
            "E005", f"the spec expands to more than {budget.limits.max_nodes:,} YAML nodes",
            m.line, m.column, "anchors and aliases multiply content; write the spec out plainly"))
    if depth > budget.limits.max_depth:
        m = budget.mark(node)
        raise _Abort(_finding_at("E005", f"the spec nests deeper than {budget.limits.max_depth} levels",
                                 m.line, m.column, "flatten the structure"))
    positions.values.setdefault(path, budget.mark(node))
    if node.tag not in _PLAIN_TAGS:
        m = budget.mark(node)
        raise _Abort(_finding_at("E001", f"YAML tag `{node.tag}` is not allowed in a spec", m.line,
                                 m.column, "remove the tag; a spec holds only plain text, numbers, "
                                           "lists and mappings"))
    if node.tag == _TIMESTAMP:
        return node.value  # a date-like label stays the text that was written
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:  # what SafeConstructor returns for text, without its machinery
            value = node.value
        else:
            try:
                value = constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError):
                value = node.value
        if isinstance(value, str):
            _check_characters(value, path, False, findings, written=_written(node, budget))
        return value
    if id(node) in budget.open:  # an alias inside the value of its own anchor: endless
        m = positions.keys.get(path) or budget.mark(node)  # the key that holds the alias
        raise _Abort(_finding_at("E005", "a YAML alias is used inside the value of its own anchor, "
                                         "which makes the spec endless", m.line, m.column,
                                 "an anchor (`&name`) cannot be used (`*name`) within its own value; "
                                 "write the value out"))
    budget.open.add(id(node))
    try:
        return _build_collection(node, path, positions, findings, budget, constructor, depth)
    finally:
        budget.open.discard(id(node))


def _build_collection(node, path, positions, findings, budget, constructor, depth):
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, path + (i,), positions, findings, budget, constructor, depth + 1)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            km = budget.mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                findings.append(_finding_at("E102", "a mapping key must be a plain string", km.line,
                                            km.column, "use a simple word as the key"))
                continue
            key = key_node.value  # raw text: `on:`/`yes:` stay strings, not booleans
            _check_characters(key, path + (key,), True, findings, km, _written(key_node, budget))
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
