"""Suppressions: an ``ignore`` entry on a component or flow must be able to silence something.

A code that does not exist (a typo such as ``W2O1``), or one that ``ignore`` may not silence
(unknown ids, schema errors), would be ignored without a word; W206 says so at the entry.

FAIL (W206)::

    sources:
      web: {service: kpl, ignore: [W299]}    # no finding code starts with W299

PASS::

    sources:
      spare: {service: sdk, ignore: [W201]}  # W201 exists and may be silenced
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding
from archgen.suppress import ignore_problem

CODES = ("W206",)  # every code this family reports


def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    owners = [(f"component `{c.id}`", c.path, c.ignore) for c in spec.components.values()
              if c.path_is_mapping]
    seen: set[int] = set()
    for flow in spec.flows:
        if flow.ignore and flow.index not in seen:  # a chain's flows share one entry
            seen.add(flow.index)
            owners.append((f"flow `{flow.source.id} -> {flow.target.id}`", flow.path, flow.ignore))
    for owner, path, ignore in owners:
        for i, prefix in enumerate(ignore):
            problem = ignore_problem(prefix)
            if problem:
                yield Finding("W206", f"`ignore: [{prefix}]` on {owner} has no effect: {problem}",
                              path + ("ignore", i), hint=_hint(prefix, problem))


def _hint(prefix: str, problem: str) -> str:
    if problem.startswith("no finding code"):
        return "`archgen rules --codes` lists every code; remove the entry or correct it"
    return "these errors make the spec meaningless and must be fixed, not ignored; remove the entry"
