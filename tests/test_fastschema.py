"""The compiled schema check agrees with jsonschema: never valid where jsonschema finds errors."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from archgen.model.fastschema import Unsupported, compile_schema
from archgen.model.schema import build_schema, validation_schema, validator
from tests.conftest import FIXTURES, SPECS
from tests.test_fuzz import EXAMPLES, mutated_specs

# archgen validates with the committed schema minus the flow pattern (flows are checked in
# linear time instead) and with whole-text patterns, as JSON Schema means `$`
SCHEMA = validation_schema()
QUICK = compile_schema(SCHEMA)
JSONSCHEMA = validator()


def test_validation_schema_is_the_plain_form_without_the_flow_pattern():
    plain = build_schema(editors=False)
    assert "pattern" in plain["definitions"]["flow"]["then"]
    del plain["definitions"]["flow"]["then"]["pattern"]
    assert plain == SCHEMA
    assert not JSONSCHEMA.is_valid({"archgen": 1, "title": "t", "sources": {"web\n": "kpl"}})
    assert jsonschema.Draft7Validator(SCHEMA).is_valid({"archgen": 1, "title": "t", "sources": {"web\n": "kpl"}})


def _documents():
    for path in sorted([*SPECS, *FIXTURES.rglob("*.yaml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(data, dict):
            yield pytest.param(data, id=str(path.relative_to(FIXTURES.parent.parent)))


DOCUMENTS = list(_documents())


def test_the_fixtures_cover_both_answers():
    verdicts = [JSONSCHEMA.is_valid(p.values[0]) for p in DOCUMENTS]
    assert len(DOCUMENTS) > 50 and verdicts.count(True) > 10 and verdicts.count(False) > 10


@pytest.mark.parametrize("data", DOCUMENTS)
def test_same_verdict_as_jsonschema_on_every_fixture(data):
    assert QUICK(data) == JSONSCHEMA.is_valid(data)


@settings(max_examples=EXAMPLES * 5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_specs())
def test_same_verdict_as_jsonschema_on_mutated_specs(doc):
    if isinstance(doc, dict):
        assert QUICK(doc) == JSONSCHEMA.is_valid(doc)


@pytest.mark.parametrize(("value", "valid"), [
    ({"archgen": True, "title": "t"}, False),      # true is not the version 1
    ({"archgen": 1.0, "title": "t"}, True),        # but 1.0 is
    ({"archgen": 1, "title": ""}, False),          # minLength
    ({"archgen": 1, "title": "t", "stores": {1: "s3"}}, True),  # a number key: propertyNames skips it
    ({"archgen": 1, "title": "t", "flows": ["a -> b", {"from": "a"}]}, False),
    ({"archgen": 1, "title": "t", "analytics": {"e": {"service": "emr", "nodes": {"core": {
        "instance": "r5.xlarge", "count": 0}}}}}, False),  # minimum
])
def test_edge_values(value, valid):
    assert QUICK(value) is valid
    assert JSONSCHEMA.is_valid(value) is valid


def test_unknown_keywords_are_refused_not_ignored():
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "patternProperties": {"^a": {"type": "string"}}})
    with pytest.raises(Unsupported):
        compile_schema({"$ref": "https://example.com/elsewhere.json"})


def test_a_spec_keeps_its_findings_when_invalid():
    from archgen.model.schema import validate

    doc = copy.deepcopy(yaml.safe_load(Path(SPECS[0]).read_text()))
    doc["colour"] = "red"
    assert [f.code for f in validate(doc)] == ["E101"]
