"""Suppression: which findings `ignore` (command line, configuration, a component or a flow)
silences. Whether a code may be silenced at all is data: `suppressible: false` in codes.yaml
marks the errors that make a spec meaningless (unreadable files, unknown ids)."""

from __future__ import annotations

from archgen.codes import suppressible_codes
from archgen.findings import Finding
from archgen.model.model import ROLE_SECTIONS, Spec


def suppressible(code: str) -> bool:
    """Whether ``ignore`` may silence this code (unknown codes may be: they are someone else's)."""
    return suppressible_codes().get(code, True)


def ignore_problem(prefix: str) -> str | None:
    """Why an ``ignore`` entry has no effect (no such code, or only codes that cannot be
    suppressed), or None when it silences something."""
    matched = [c for c in suppressible_codes() if c.startswith(prefix)]
    if not matched:
        return f"no finding code starts with `{prefix}`"
    if not any(suppressible(c) for c in matched):
        what = f"`{prefix}`" if matched == [prefix] else f"the codes starting with `{prefix}`"
        return f"{what} cannot be suppressed"
    return None


def unsuppressed(findings: list[Finding], spec: Spec | None, ignore: tuple[str, ...]) -> list[Finding]:
    """The findings that no `ignore` entry silences."""
    # indexed once: a spec can have many findings and many flows
    flow_ignores = {f.index: f.ignore for f in spec.flows if f.ignore} if spec else {}
    return [f for f in findings if not _silenced(f, spec, ignore, flow_ignores)]


def _silenced(finding: Finding, spec: Spec | None, ignore: tuple[str, ...],
              flow_ignores: dict[int, tuple[str, ...]]) -> bool:
    if not suppressible(finding.code):
        return False
    if any(finding.code.startswith(p) for p in ignore):
        return True
    if spec is None or len(finding.path) < 2:
        return False
    local: tuple[str, ...] = ()
    head, key = finding.path[0], finding.path[1]
    if head in ROLE_SECTIONS and key in spec.components:
        local = spec.components[key].ignore
    elif head == "flows":
        local = flow_ignores.get(key, ())
    return any(finding.code.startswith(p) for p in local)
