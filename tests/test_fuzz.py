"""Property tests: no input, however broken, ends in an exception.

CI runs a small share (ARCHGEN_FUZZ_EXAMPLES, default 60 per property);
`benchmarks/fuzz.sh` runs 10,000 cases.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from archgen.check import check_source
from archgen.render.options import RenderOptions
from archgen.render.pipeline import render_spec
from tests.conftest import SPECS

EXAMPLES = int(os.environ.get("ARCHGEN_FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASES = [yaml.safe_load(p.read_text()) for p in SPECS]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["", "->", "a -> -> b", "<<b>x</b>>", "\\N", "\u202eevil", "💥", "\x00", "'\""]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


@st.composite
def mutated_specs(draw):
    doc = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        targets = [p for p in paths(doc) if p]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        op = draw(st.sampled_from(["delete", "replace", "nest"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "replace":
            parent[path[-1]] = draw(values)
        else:
            deep = draw(values)
            for _ in range(draw(st.integers(1, 80))):
                deep = [deep]
            parent[path[-1]] = deep
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _assert_clean(result):
    for f in result.findings:
        assert f.line >= 1 and f.column >= 1 and f.code[0] in "EWI"


@SETTINGS
@given(mutated_specs())
def test_mutated_examples_never_crash(text):
    result = check_source(text, "fuzz.yaml")
    _assert_clean(result)
    event("valid, rendered" if result.ok() else "refused with findings")
    if result.ok() and result.spec is not None:
        with tempfile.TemporaryDirectory() as tmp:
            written = render_spec(result.spec, "fuzz.yaml", Path(tmp), RenderOptions(("svg",)),
                                  source=text.encode())
            assert written[0].read_bytes().startswith(b"<?xml")


@SETTINGS
@given(st.text(max_size=400))
def test_random_text_never_crashes(text):
    _assert_clean(check_source(text, "fuzz.yaml"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(raw):
    _assert_clean(check_source(raw, "fuzz.yaml"))
