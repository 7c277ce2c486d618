"""``archgen lsp``: a language server over stdio that gives editors archgen's own findings.

Diagnostics are exactly the findings of ``archgen check`` on the editor's text (same codes,
messages, hints, positions and configuration); each range covers the token the finding
points at. Code actions (quick fixes) rewrite the text for the findings that carry a fix:

- E301: route an illegal flow through a suggested detour (adds the missing components);
- W301, E303: replace a legacy, deprecated or retired service by its successor;
- did-you-mean hints (E101 keys, E104 values, E110 services): use the suggestion.

The edits are computed here as plain data from the text and the check result, so they are
testable without an editor; ``serve`` wires them into pygls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.check import CheckResult
from archgen.findings import Finding
from archgen.model.model import ROLE_SECTIONS

SOURCE = "archgen"
_STOP = set(" \t,{}[]#\"'")


@dataclass(frozen=True)
class Span:
    """A range in the text: 0-based lines, 0-based columns in characters (code points)."""

    line: int
    start: int
    end_line: int
    end: int


@dataclass(frozen=True)
class Edit:
    span: Span
    text: str


@dataclass(frozen=True)
class Fix:
    """One quick fix: a title and the edits that make it."""

    title: str
    code: str
    edits: tuple[Edit, ...]
    preferred: bool = False


def check_text(text: str, path: str) -> CheckResult:
    """The check ``archgen check`` runs on this file, with the project's configuration."""
    from archgen.check import check_source
    from archgen.model.loader import Limits

    settings = _settings(path)
    return check_source(text, path, Limits(max_bytes=settings["max_bytes"]), settings["ignore"])


def _settings(path: str) -> dict[str, Any]:
    from archgen.config import discover
    from archgen.errors import ArchgenError

    try:
        config = discover(Path(path).parent)
    except ArchgenError:  # a broken configuration: the editor still gets the spec's findings
        return {"max_bytes": 2 * 1024 * 1024, "ignore": ()}
    return {"max_bytes": config.max_bytes or 2 * 1024 * 1024,
            "ignore": (config.ignore or ()) + config.ignores_for(path)}


def token_span(lines: list[str], line: int, column: int) -> Span:
    """The token at a finding's 1-based ``line``/``column``: an id, a key, a service, a value.

    A quoted scalar's span is its content; a position at a ``{``, ``[`` or the end of a line
    spans the rest of the line (without a trailing comment).
    """
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row].rstrip("\r\n") if lines else ""
    start = min(max(column - 1, 0), len(text))
    if start < len(text) and text[start] in "\"'":
        quote = text[start]
        close = text.find(quote, start + 1)
        if close > start:
            return Span(row, start + 1, row, close)
    end = start
    while end < len(text):
        ch = text[end]
        if ch in _STOP or text.startswith("->", end) or (ch == ":" and text[end + 1:end + 2] in ("", " ")):
            break
        end += 1
    if end == start:
        rest = text[start:].split(" #")[0].rstrip()
        end = start + max(len(rest), 1 if start < len(text) else 0)
    return Span(row, start, row, end)


def diagnostics(result: CheckResult, text: str) -> list[tuple[Finding, Span]]:
    """Each finding of the checked file with the span it covers."""
    lines = text.splitlines(True) or [""]
    return [(f, token_span(lines, f.line, f.column)) for f in result.findings if f.file == result.file]


def fixes(result: CheckResult, text: str, finding: Finding) -> list[Fix]:
    """The quick fixes for one finding (none when it has no mechanical fix)."""
    lines = text.splitlines(True) or [""]
    span = token_span(lines, finding.line, finding.column)
    if finding.code == "E301":
        return _detour_fixes(result, lines, finding, span)
    if finding.code in ("W301", "E303") and finding.hint:
        match = re.match(r"use `([^`]+)`", finding.hint)
        if match:
            old = lines[span.line][span.start:span.end]
            return [Fix(f"Replace `{old}` by its successor `{match.group(1)}`", finding.code,
                        (Edit(span, match.group(1)),), preferred=True)]
    if finding.hint and "did you mean" in finding.hint:
        asked = finding.hint.split("did you mean", 1)[1].rstrip("?").strip()
        names = [m.group(1) for part in asked.split(" or ") if (m := re.search(r"`([^`]+)`", part))]
        return [Fix(f"Change to `{name}`", finding.code, (Edit(span, name),), preferred=i == 0)
                for i, name in enumerate(names)]
    return []


def _detour_fixes(result: CheckResult, lines: list[str], finding: Finding, span: Span) -> list[Fix]:
    spec = result.spec
    detours = finding.extra.get("detours") or []
    if spec is None or not detours or len(finding.path) < 2 or result.document is None:
        return []
    flow = next((f for f in spec.flows if f.index == finding.path[1] and f.target.path == finding.path
                 and f.target.offset == finding.offset), None)
    if flow is None:
        return []
    from archgen.catalog.services import load_services

    catalog = load_services()
    taken = set(spec.components) | set(spec.groups)
    out = []
    for i, path in enumerate(detours[:3]):
        middle = list(path[1:-1])
        ids, additions = [], []
        used = set(taken)
        for service in middle:
            new_id = _free_id(service, used)
            used.add(new_id)
            ids.append(new_id)
            roles = catalog[service].roles if service in catalog.services else ()
            additions.append((next((r for r in ROLE_SECTIONS if r in roles), "analytics"), new_id, service))
        edits = _add_components(result, lines, additions)
        flow_edits = _reroute(lines, finding, span, flow, ids)
        if edits is None or flow_edits is None:
            continue
        title = f"Route through {' and '.join(middle)}: {' -> '.join(path)}"
        out.append(Fix(title, finding.code, tuple(edits + flow_edits), preferred=i == 0))
    return out


def _free_id(service: str, used: set[str]) -> str:
    if service not in used:
        return service
    n = 2
    while f"{service}-{n}" in used:
        n += 1
    return f"{service}-{n}"


def _eol(lines: list[str], row: int) -> Span:
    """The position just after line ``row`` (its line break), where a new line can be inserted."""
    if row + 1 < len(lines):
        return Span(row + 1, 0, row + 1, 0)
    last = lines[row].rstrip("\r\n")
    return Span(row, len(last), row, len(last))


def _insert_line(lines: list[str], row: int, content: str) -> Edit:
    at = _eol(lines, row)
    if at.line == row:  # the last line of the file: start a new line first
        return Edit(at, "\n" + content + "\n")
    return Edit(at, content + "\n")


def _add_components(result: CheckResult, lines: list[str], additions) -> list[Edit] | None:
    positions = result.document.positions
    data = result.document.data
    edits: list[Edit] = []
    appended: dict[str, list[str]] = {}
    for section, new_id, service in additions:
        value = data.get(section)
        if isinstance(value, dict) and value:
            first_key = next(iter(value))
            first = positions.keys.get((section, first_key))
            head = positions.keys.get((section,))
            if first is None or head is None or first.line == head.line:
                return None  # a flow-style section on one line: left to the user
            edits.append(_insert_line(lines, head.line - 1, " " * (first.column - 1) + f"{new_id}: {service}"))
        elif section in data:  # `streams:` with nothing under it
            head = positions.keys.get((section,))
            if head is None or value is not None:
                return None
            edits.append(_insert_line(lines, head.line - 1, f"  {new_id}: {service}"))
        else:
            appended.setdefault(section, []).append(f"  {new_id}: {service}")
    if appended:
        block = "".join(f"{section}:\n" + "".join(e + "\n" for e in entries) for section, entries in appended.items())
        last = len(lines) - 1
        tail = lines[last]
        end = Span(last, len(tail.rstrip("\r\n")), last, len(tail.rstrip("\r\n")))
        if tail.endswith("\n"):
            end = Span(last + 1, 0, last + 1, 0)
            edits.append(Edit(end, block))
        else:
            edits.append(Edit(end, "\n" + block))
    return edits


def _reroute(lines: list[str], finding: Finding, span: Span, flow, ids: list[str]) -> list[Edit] | None:
    hops = " -> ".join(ids)
    if finding.path == ("flows", flow.index):  # a string flow: put the detour before the target
        return [Edit(Span(span.line, span.start, span.line, span.start), f"{hops} -> ")]
    if finding.path[-1] == "to":  # a mapping flow: it now ends at the detour, which goes on to the target
        text = lines[span.line]
        dash = text.find("- ")
        if dash < 0 or text[:dash].strip():
            return None
        target = text[span.start:span.end]
        return [Edit(span, ids[0]),
                _insert_line(lines, span.line, " " * dash + f"- {hops} -> {target}")]
    return None


# --- the server -----------------------------------------------------------------------------

_SEVERITY = {"error": 1, "warning": 2, "info": 3}


def _lsp_range(types, codec, lines, span: Span):
    rng = types.Range(types.Position(span.line, span.start), types.Position(span.end_line, span.end))
    return codec.range_to_client_units(lines, rng) if codec is not None else rng


def make_server():
    """The pygls server with archgen's features registered."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from archgen import __version__

    server = LanguageServer("archgen", __version__)

    def path_of(uri: str) -> str:
        return to_fs_path(uri) or uri

    def publish(ls, uri: str) -> None:
        doc = ls.workspace.get_text_document(uri)
        result = check_text(doc.source, path_of(uri))
        lines = list(doc.lines) or [""]
        codec = getattr(doc, "position_codec", None)
        out = []
        for finding, span in diagnostics(result, doc.source):
            message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
            out.append(types.Diagnostic(
                range=_lsp_range(types, codec, lines, span), message=message,
                severity=types.DiagnosticSeverity(_SEVERITY[finding.severity]), code=finding.code,
                code_description=types.CodeDescription(href=finding.doc) if finding.doc else None,
                source=SOURCE))
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=out))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls, params: types.CodeActionParams):
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        result = check_text(doc.source, path_of(uri))
        lines = list(doc.lines) or [""]
        codec = getattr(doc, "position_codec", None)
        wanted = codec.range_from_client_units(lines, params.range) if codec is not None else params.range
        actions = []
        for finding, span in diagnostics(result, doc.source):
            if not _overlaps(span, wanted):
                continue
            for fix in fixes(result, doc.source, finding):
                edits = [types.TextEdit(range=_lsp_range(types, codec, lines, e.span), new_text=e.text)
                         for e in fix.edits]
                actions.append(types.CodeAction(
                    title=fix.title, kind=types.CodeActionKind.QuickFix, is_preferred=fix.preferred,
                    edit=types.WorkspaceEdit(changes={uri: edits})))
        return actions

    return server


def _overlaps(span: Span, rng) -> bool:
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    return (span.line, span.start) <= end and start <= (span.end_line, span.end)


def serve() -> None:
    """Run the language server on standard input and output until the client exits.

    The input is read through ``FramedInput``: a malformed or oversized ``Content-Length``
    raises ``UsageError`` (the server stops) before any body is read.
    """
    import sys

    from archgen.lsp_framing import FramedInput

    make_server().start_io(stdin=FramedInput(sys.stdin.buffer))
