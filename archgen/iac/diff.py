"""``archgen diff``: where a spec and the infrastructure code it describes part ways.

Components are matched in passes, each on what is still unmatched: the same source
resource (an imported spec's `notes` name it), then the same id and service, then a
service that each side has exactly once. Flows are compared on matched ends only: when one
end is missing, the component finding already says so. Findings about the spec point into
the spec; findings about the code point at the resource in the template or plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archgen.findings import Finding, sort_key
from archgen.iac.flows import service_name
from archgen.iac.model import ImportResult
from archgen.model.model import Spec
from archgen.suppress import unsuppressed

CODES = ("E611", "E612", "E613", "E614")  # what `archgen diff` reports
HINT_SPEC = "remove it from the spec, or add it to the infrastructure code"
HINT_CODE = "add it to the spec (`archgen import` writes it), or remove it from the infrastructure code"


@dataclass
class DiffResult:
    """The findings, and which spec component each imported component matched."""

    findings: list[Finding] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # imported id -> spec id

    @property
    def same(self) -> bool:
        return not any(f.is_error for f in self.findings)


def match(spec: Spec, imported: ImportResult) -> dict[str, str]:
    """Imported component id -> spec component id."""
    out: dict[str, str] = {}
    taken: set[str] = set()

    def pair(test) -> None:
        for iid, icomp in imported.components.items():
            if iid in out:
                continue
            for sid, scomp in spec.components.items():
                if sid not in taken and scomp.service == icomp.service and test(iid, icomp, sid, scomp):
                    out[iid] = sid
                    taken.add(sid)
                    break

    pair(lambda iid, icomp, sid, scomp: bool(scomp.notes) and scomp.notes.strip() == icomp.notes)
    pair(lambda iid, icomp, sid, scomp: iid == sid)
    left_i: dict[str, list[str]] = {}
    left_s: dict[str, list[str]] = {}
    for iid, icomp in imported.components.items():
        if iid not in out:
            left_i.setdefault(icomp.service, []).append(iid)
    for sid, scomp in spec.components.items():
        if sid not in taken and scomp.service:
            left_s.setdefault(scomp.service, []).append(sid)
    for service, ids in left_i.items():
        if len(ids) == 1 and len(left_s.get(service, ())) == 1:
            out[ids[0]] = left_s[service][0]
    return out


def diff(spec: Spec, imported: ImportResult, sources: str, ignore: tuple[str, ...] = ()) -> DiffResult:
    """Findings for every component and flow that one side has and the other lacks.

    Spec-side findings carry paths (positioned by the caller against the spec's document);
    code-side findings carry the resource's file, line and column."""
    matched = match(spec, imported)
    back = {sid: iid for iid, sid in matched.items()}
    findings: list[Finding] = []
    for sid, comp in spec.components.items():
        if sid not in back:
            findings.append(Finding(
                "E611", f"component `{sid}` ({comp.service or comp.written_service}) is not in {sources}",
                comp.path, hint=HINT_SPEC, on_key=True))
    for iid, comp in imported.components.items():
        if iid in matched:
            continue
        r = comp.source
        what = f"{r.type} {r.logical_id}" if r is not None else comp.notes
        findings.append(Finding(
            "E612", f"{what} ({service_name(comp.service)}) is not in the spec (it would be `{iid}`)",
            hint=HINT_CODE, **_at(imported, iid)))
    code_pairs: dict[tuple[str, str], object] = {}
    for flow in imported.flows:
        a, b = matched.get(flow.source), matched.get(flow.target)
        if a and b:
            code_pairs.setdefault((a, b), flow)
    spec_pairs = set()
    for flow in spec.flows:
        a, b = flow.source.id, flow.target.id
        spec_pairs.add((a, b))
        if a in back and b in back and (a, b) not in code_pairs:
            findings.append(Finding(
                "E613", f"flow `{a} -> {b}` is not in {sources}: no integration property connects them",
                flow.path, hint=HINT_SPEC, offset=flow.source.offset))
    for (a, b), flow in code_pairs.items():
        if (a, b) in spec_pairs:
            continue
        findings.append(Finding(
            "E614", f"flow `{a} -> {b}`{f' ({flow.via})' if flow.via else ''} is in the code but not in the spec",
            hint=HINT_CODE, **_at(imported, "@" + flow.origin)))
    return DiffResult(sorted(unsuppressed(findings, spec, ignore), key=sort_key), matched)


def _at(imported: ImportResult, key: str) -> dict:
    file, line, column = imported.where.get(key, (imported.sources[0], 1, 1))
    return {"file": file, "line": line, "column": column}
