"""The check pipeline: bytes → YAML → schema → model → rule families → positioned findings.

The pipeline is the table ``STAGES``: each stage declares the codes it may report and
whether an error of its own stops the stages after it. The rule families run as the last
stage (``archgen.checks``). Findings are then positioned, suppressed and sorted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from archgen.errors import UsageError
from archgen.files import file_kind, read_limited
from archgen.findings import Finding, has_errors, sort_key
from archgen.model.loader import Document, Limits, decode, load_text
from archgen.model.model import ROLE_SECTIONS, Spec
from archgen.suppress import unsuppressed

# Bounds on what a spec may ask for, checked on the plain data before anything else runs:
# each check is linear in these, and views multiply the pictures drawn.
MAX_COMPONENTS = 5000
MAX_GROUPS = 5000
MAX_FLOWS = 20000  # edges: a chain `a -> b -> c` counts two
MAX_VIEWS = 100
MAX_STEPS = 50  # per view
MAX_PICTURES = 200  # view pictures in all: a view with steps draws one per step


@dataclass
class CheckResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    spec: Spec | None = None
    document: Document | None = None

    def ok(self, strict: bool = False) -> bool:
        return not has_errors(self.findings, strict)


def read_spec(path: str | os.PathLike, limits: Limits) -> bytes:
    """The first ``max_bytes + 1`` bytes of a spec file.

    A missing or unreadable file, a folder, and anything that is not a regular file (a
    FIFO, a device, a socket) are usage errors, answered at once: the file is opened
    without blocking and looked at before a byte is read.
    """
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file", hint="check the path of the spec")
    if p.is_dir():
        raise UsageError(f"{path}: is a folder, not a spec file", hint="name a .yaml file")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb", buffering=0) as fh:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind != "file":
            raise UsageError(f"{path}: is {kind}, not a spec file",
                             hint="name a regular .yaml file, or pass - to read standard input")
        try:
            return read_limited(fh, limits.max_bytes + 1)
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read ({exc.strerror})") from exc


def check_file(path: str | os.PathLike, limits: Limits | None = None,
               ignore: tuple[str, ...] = ()) -> CheckResult:
    limits = limits or Limits()
    raw = read_spec(path, limits)
    if len(raw) > limits.max_bytes:  # only the first bytes were read: report the file's real size
        try:
            size = os.stat(path).st_size
        except OSError:
            size = len(raw)
        finding = Finding("E005", f"the file is {size:,} bytes; the limit is {limits.max_bytes:,}", (),
                          hint="split the architecture into several specs, or raise the limit with --max-bytes",
                          line=1, column=1)
        return _finish(CheckResult(str(path), [finding]), ignore)
    return check_source(raw, str(path), limits, ignore)


@dataclass
class _Run:
    """What the stages hand on: each fills in what the next one reads."""

    raw: bytes
    file: str
    limits: Limits
    text: str | None = None
    doc: Document | None = None
    spec: Spec | None = None


StopRule = Callable[[_Run, list[Finding]], bool]


def _any_error(state: _Run, findings: list[Finding]) -> bool:
    return has_errors(findings)


def _no_document(state: _Run, findings: list[Finding]) -> bool:
    return state.doc is None or has_errors(findings)


def _error_but_unknown_service(state: _Run, findings: list[Finding]) -> bool:
    return any(f.is_error and f.code != "E110" for f in findings)  # the rules still check the rest


def _never(state: _Run, findings: list[Finding]) -> bool:
    return False


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: the codes it may report (reporting another is an internal
    error, E999) and when it stops the stages after it, given everything reported so far."""

    name: str
    run: Callable[[_Run], list[Finding]]
    codes: tuple[str, ...]
    stop: StopRule
    always: bool = False  # runs even after an earlier stage stopped the others


def _decode(state: _Run) -> list[Finding]:
    state.text, findings = decode(state.raw, state.limits)
    return findings


def _load(state: _Run) -> list[Finding]:
    state.doc, findings = load_text(state.text, state.file, state.limits)
    return findings


def _schema(state: _Run) -> list[Finding]:
    from archgen.model.schema import validate

    return validate(state.doc.data)


def _rules(state: _Run) -> list[Finding]:
    from archgen.checks import Context, run_all
    from archgen.model.parse import build_model

    state.spec, findings = build_model(state.doc)
    return findings + run_all(Context.for_spec(state.spec))


def _rule_codes() -> tuple[str, ...]:
    from archgen.checks import registry
    from archgen.model.parse import CODES

    return (*CODES, *(c for family in registry() for c in family.codes), "E999")


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    """The pipeline, in order (built once per process)."""
    from archgen.model import loader, schema

    return (
        Stage("decode", _decode, loader.DECODE_CODES, _any_error),
        Stage("yaml", _load, loader.CODES, _no_document),
        Stage("version", lambda s: _version(s.doc), ("E105",), _any_error),
        Stage("size", lambda s: size_limits(s.doc.data), ("E005",), _any_error),
        Stage("schema", _schema, schema.CODES, _error_but_unknown_service),
        Stage("rules", _rules, _rule_codes(), _any_error),  # a spec with errors is not drawn: no budget
        Stage("layout", _layout_budget, ("E005",), _never),
        Stage("file names", _file_names, ("E009",), _never, always=True),
    )


def _file_names(state: _Run) -> list[Finding]:
    """E009 when the spec's outputs would have a name Windows cannot hold (``con.svg``): only
    the stem can make one, since view and step names follow ``<stem>--``."""
    from archgen.render.naming import output_name, stem, unportable

    why = unportable(output_name(stem(state.file), "", "svg"))
    if why is None:
        return []
    return [Finding("E009", f"the spec's pictures would be named `{output_name(stem(state.file), '', '<format>')}`, "
                            f"and {why}", (), line=1, column=1,
                    hint="rename the spec file: no Windows checkout can hold such a file, whatever its extension")]


def _layout_budget(state: _Run) -> list[Finding]:
    """E005 for a diagram larger than Graphviz lays out in reasonable time and memory
    (``archgen.render.budget``): every drawing command checks first, so none hands it over."""
    from archgen.render.budget import HINT, finding_path, over_budget, spec_size

    if state.spec is None:
        return []
    over = over_budget(spec_size(state.spec, state.limits.collapse))
    if over is None:
        return []
    return [Finding("E005", over[0], finding_path(over[1], state.doc.data), hint=HINT)]


def check_source(raw: bytes | str, file: str, limits: Limits | None = None,
                 ignore: tuple[str, ...] = ()) -> CheckResult:
    """Check one spec's content; never raises for anything the content holds."""
    state = _Run(raw.encode("utf-8") if isinstance(raw, str) else raw, file, limits or Limits())
    result = CheckResult(file)
    stopped = False
    for stage in stages():
        if stopped and not stage.always:
            continue
        found = stage.run(state)
        result.findings += found + undeclared(stage.name, stage.codes, found)
        result.document, result.spec = state.doc, state.spec
        stopped = stopped or stage.stop(state, result.findings)
    return _finish(result, ignore)


def undeclared(name: str, codes: tuple[str, ...], found: list[Finding]) -> list[Finding]:
    """E999 for each code a stage or family reported without declaring it: the registry is
    what docs/reference/rules.md and SARIF list, so it must not miss a code."""
    return [Finding("E999", f"internal error: the {name} checks reported {code}, which they do not declare",
                    (), hint="please report this with the spec that caused it")
            for code in sorted({f.code for f in found} - set(codes))]


def _version(doc: Document) -> list[Finding]:
    data = doc.data
    if "archgen" not in data:
        return [Finding("E105", "the spec does not say its format version", (),
                        hint="add `archgen: 1` as the first line")]
    version = data["archgen"]
    if isinstance(version, str) and version.strip() == "1":
        return [Finding("E105", f'the format version is the text "{version}", not the number 1', ("archgen",),
                        hint="write `archgen: 1` without quotes")]
    if version != 1 or isinstance(version, bool):
        return [Finding("E105", f"unsupported format version `{version}`", ("archgen",),
                        hint="this archgen reads `archgen: 1`")]
    return []


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value) -> list:
    return value if isinstance(value, list) else []


def edge_count(flows) -> int:
    """Edges the flows draw: ``a -> b -> c`` is two (counting ``->``, so linear time)."""
    return sum(item.count("->") if isinstance(item, str) else 1 for item in _items(flows))


def size_limits(data: dict) -> list[Finding]:
    """E005 for a spec larger than archgen draws; runs before the schema on the plain data."""
    out = []

    def over(count: int, limit: int, what: str, path: tuple, hint: str = "split the architecture "
             "into several specs") -> None:
        if count > limit:
            out.append(Finding("E005", f"the spec has {count:,} {what}; the limit is {limit:,}", path,
                               hint=hint))

    over(sum(len(_mapping(data.get(r))) for r in ROLE_SECTIONS), MAX_COMPONENTS, "components", ())
    over(len(_mapping(data.get("groups"))), MAX_GROUPS, "groups", ("groups",))
    over(edge_count(data.get("flows")), MAX_FLOWS, "flows (edges)", ("flows",))
    views = _items(data.get("views"))
    over(len(views), MAX_VIEWS, "views", ("views",), "keep the views a review needs, or split the spec")
    pictures = 0
    for i, view in enumerate(views):
        steps = len(_items(_mapping(view).get("steps")))
        over(steps, MAX_STEPS, f"steps in view {i + 1}", ("views", i, "steps"),
             "split the steps over several views")
        pictures += max(steps, 1)
    if not any(f.path[:1] == ("views",) for f in out):
        over(pictures, MAX_PICTURES, "view pictures (one per view, or one per step)", ("views",),
             "keep the views a review needs, or split the spec")
    return out


def _finish(result: CheckResult, ignore: tuple[str, ...]) -> CheckResult:
    positioned = []
    for f in unsuppressed(result.findings, result.spec, ignore):
        if result.document is not None and f.line == 0:
            line, column = result.document.positions.locate(f.path, f.on_key, f.offset)
        else:
            line, column = (f.line or 1), (f.column or 1)
        positioned.append(replace(f, file=result.file, line=line, column=column))
    result.findings = sorted(set(positioned), key=sort_key)
    return result
