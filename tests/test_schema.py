"""The committed JSON Schema is the generated one, and every example declares it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from archgen.catalog.services import load_services
from archgen.model.schema import build_schema, schema_text
from tests.conftest import ROOT, SPECS


@pytest.mark.generated
def test_committed_schema_is_current():
    committed = (ROOT / "schemas" / "archgen.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `archgen schema > schemas/archgen.schema.json`"


def test_schema_is_valid_draft7_with_descriptions():
    schema = build_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$id"]

    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                assert "description" in sub or "$ref" in sub, f"{where}.{key}"
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema, "$")


def test_service_enum_comes_from_catalog():
    enum = build_schema()["definitions"]["service"]
    ids = [s.id for s in load_services()]
    assert enum["enum"][: len(ids)] == ids
    assert len(enum["enum"]) == len(enum["enumDescriptions"])
    assert "AWS::KinesisFirehose::DeliveryStream" in enum["enum"]


def test_examples_declare_and_satisfy_schema():
    schema = json.loads((ROOT / "schemas" / "archgen.schema.json").read_text())
    for spec in SPECS:
        text = spec.read_text()
        assert text.startswith("# yaml-language-server: $schema=../schemas/archgen.schema.json"), spec
        jsonschema.validate(yaml.safe_load(text), schema)


def test_schema_command_prints_schema(cli):
    result = cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"] == build_schema()["$id"]
