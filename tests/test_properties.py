"""Property tests over generated specs that are well-formed, so they reach the rule checks.

Each generated spec names real catalog services in roles they can play and joins them with
random flows. Whatever the draw, the integration verdict must agree with the catalog,
findings must point at the exact text that caused them, and order must not matter.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services
from archgen.check import check_source

EXAMPLES = int(os.environ.get("ARCHGEN_FUZZ_EXAMPLES", "60"))
# derandomized: CI on a clean clone sees the same examples every run (ARCHGEN_FUZZ_EXAMPLES widens the search)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
SERVICES = [s for s in load_services() if s.is_current]
RULES = load_rules()


@st.composite
def architectures(draw):
    """(spec text, components [(id, service)], flows [(source, target, line, column)])."""
    n = draw(st.integers(2, 9))
    picks = draw(st.lists(st.sampled_from(SERVICES), min_size=n, max_size=n))
    comps = [(f"c{i}-{svc.id}"[:40], svc) for i, svc in enumerate(picks)]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
                          min_size=1, max_size=12, unique=True))
    order = draw(st.permutations(range(n)))
    return build(comps, pairs, order)


def build(comps, pairs, order):
    lines = ["archgen: 1", "title: Generated"]
    by_section: dict[str, list[str]] = {}
    for i in order:
        cid, svc = comps[i]
        by_section.setdefault(svc.roles[0], []).append(f"  {cid}: {svc.id}")
    for section, entries in sorted(by_section.items()):
        lines += [f"{section}:", *entries]
    lines.append("flows:")
    flows = []
    for a, b in pairs:
        src, tgt = comps[a][0], comps[b][0]
        prefix = f"  - {src} -> "
        lines.append(prefix + tgt)
        flows.append((a, b, len(lines), len(prefix) + 1))
    return "\n".join(lines) + "\n", comps, flows


@SETTINGS
@given(architectures())
def test_generated_specs_reach_the_rules_and_agree_with_the_catalog(arch):
    text, comps, flows = arch
    result = check_source(text, "gen.yaml")
    assert result.spec is not None, [f"{f.code} {f.message}" for f in result.findings]
    assert not [f for f in result.findings if f.code[1] in "01"], "a well-formed spec must pass the loader and schema"
    want = sorted((line, col) for a, b, line, col in flows
                  if not RULES.rules_for(comps[a][1].id, comps[b][1].id))
    got = sorted((f.line, f.column) for f in result.findings if f.code == "E301")
    assert got == want
    assert not [f for f in result.findings if f.code == "E302"], "no flow names `via`, so none can be wrong"


@SETTINGS
@given(architectures(), st.randoms())
def test_order_of_components_and_flows_does_not_change_the_verdict(arch, rnd: random.Random):
    text, comps, flows = arch
    order = list(range(len(comps)))
    rnd.shuffle(order)
    pairs = [(a, b) for a, b, _, _ in flows]
    rnd.shuffle(pairs)
    text2, _, _ = build(comps, pairs, order)

    def verdict(t):
        """Each flow's own verdict exactly; for a constraint over a component's flows (E31x),
        how many flows break it, since which of them is "one too many" follows the order."""
        found = check_source(t, "gen.yaml").findings
        spec_lines = t.splitlines()
        return sorted((f.code, "" if f.code.startswith("E31") else spec_lines[f.line - 1].strip())
                      for f in found if f.code.startswith(("E3", "W2")))

    assert verdict(text) == verdict(text2)


@SETTINGS
@given(st.sampled_from(SERVICES), st.sampled_from(SERVICES))
def test_every_suggested_detour_is_legal_hop_by_hop(a, b):
    if a.id == b.id or RULES.rules_for(a.id, b.id):
        return
    for path in RULES.detours(a.id, b.id):
        assert path[0] == a.id and path[-1] == b.id
        assert len(set(path)) == len(path), f"detour repeats a service: {path}"
        for x, y in zip(path, path[1:]):
            assert RULES.rules_for(x, y), f"{x} -> {y} in detour {path} is not an integration"
