"""The committed JSON Schema is the generated one, and every example declares it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from archgen.catalog.instances import load_instances
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


COMMITTED = json.loads((ROOT / "schemas" / "archgen.schema.json").read_text(encoding="utf-8"))
DEFS = COMMITTED["definitions"]
NOTHING = {"pattern": "[^\\s\\S]",
           "$comment": "Matches nothing: it carries the error editors show for any other value."}


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for sub in node.values():
            yield from _nodes(sub)
    elif isinstance(node, list):
        for sub in node:
            yield from _nodes(sub)


def test_services_are_one_alternative_each_from_the_catalog():
    service = DEFS["service"]
    assert sorted(service) == ["anyOf", "type"]  # no description of its own: hover shows the value's
    first, second, *choices = service["anyOf"]
    unknown = "Unknown service: `archgen services` lists every service id and alias."
    assert first == {**NOTHING, "errorMessage": unknown, "description": unknown}
    assert second["not"] == {} and second["description"] == unknown
    ids = [s.id for s in load_services()]
    aliases = [a for s in load_services() for a in s.aliases]
    assert [c["const"] for c in choices] == ids + aliases
    assert all(sorted(c) == ["const", "description"] for c in choices)
    by_value = {c["const"]: c["description"] for c in choices}
    assert by_value["s3"] == ("Amazon Simple Storage Service: Object storage for files of any size, "
                              "and the usual home of a data lake.")
    assert by_value["AWS::KinesisFirehose::DeliveryStream"] == "Alias of `firehose` (Amazon Data Firehose)."
    assert max(len(c["description"]) for c in choices) < 400


def test_shorthand_and_mapping_forms_are_alternatives_not_branches():
    assert not [n for n in _nodes(COMMITTED) if "if" in n or "then" in n or "else" in n]
    assert DEFS["component"] == {"anyOf": [{"$ref": "#/definitions/service"},
                                           {"$ref": "#/definitions/componentObject"},
                                           {"$ref": "#/definitions/emrComponent"}]}
    short, mapping = DEFS["flow"]["anyOf"]
    assert short["type"] == "string" and short["pattern"].startswith("^") and mapping["type"] == "object"
    assert list(mapping["properties"]) == ["from", "to", "label", "via", "ignore"]
    assert mapping["properties"]["via"] == {"$ref": "#/definitions/mechanism"}


def test_emr_keys_only_on_emr_components():
    assert list(DEFS["componentObject"]["properties"]) == ["service", "label", "notes", "ignore"]
    emr = DEFS["emrComponent"]
    assert list(emr["properties"]) == ["service", "label", "notes", "ignore", "workload", "lifetime", "nodes"]
    assert emr["properties"]["service"] == {"$ref": "#/definitions/emrService"}
    first, _, *choices = DEFS["emrService"]["anyOf"]
    assert first["errorMessage"] == ("The EMR keys (workload, lifetime, nodes) go only on a component whose "
                                     "service is `emr`.")
    assert [c["const"] for c in choices] == ["emr", "amazon-emr", "elastic-mapreduce", "emr-cluster",
                                             "AWS::EMR::Cluster"]


def test_every_choice_has_a_short_error_message():
    enums = [n for n in _nodes(COMMITTED) if "enum" in n]
    assert sorted(n["errorMessage"] for n in enums) == [
        f"Not an EMR workload: completion lists the {len(load_instances().workloads)}, such as spark.",
        "Use LR, TB, RL or BT.", "Use light or dark.", "Use on-demand or spot.", "Use on-demand or spot.",
        "Use on-demand or spot.", "Use on-demand or spot.", "Use transient or long-running."]
    messages = [n["errorMessage"] for n in _nodes(COMMITTED) if "errorMessage" in n]
    assert len(messages) == len(enums) + 3 and max(map(len, messages)) <= 120
    assert not [n for n in _nodes(COMMITTED) if "enumDescriptions" in n]


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _emr_keys_elsewhere(doc) -> bool:
    """A component with EMR keys and another service: W205 for archgen, invalid for editors."""
    emr = {"emr", *next(s for s in load_services() if s.id == "emr").aliases}
    return any(isinstance(c, dict) and c.get("service") not in emr and {"workload", "lifetime", "nodes"} & set(c)
               for role in ("sources", "streams", "stores", "analytics")
               for c in (doc.get(role) or {}).values() if isinstance(doc.get(role), dict))


def test_editors_and_archgen_agree_on_every_fixture():
    editors = jsonschema.Draft7Validator(COMMITTED)
    plain = jsonschema.Draft7Validator(build_schema(editors=False))
    docs = []
    for path in sorted([*SPECS, *(ROOT / "tests" / "fixtures").rglob("*.yaml")]):
        try:
            doc = _load(path)
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            continue
        if isinstance(doc, dict):
            docs.append((path, doc))
    assert len(docs) > 100
    differ = [p.name for p, d in docs if editors.is_valid(d) != plain.is_valid(d)]
    assert differ == [p.name for p, d in docs if _emr_keys_elsewhere(d) and plain.is_valid(d)]
    assert differ == ["W205.fail.yaml"]


@pytest.mark.parametrize(("doc", "valid"), [
    ({"sources": {"web": "kpl"}}, True),
    ({"sources": {"web": "AWS::Kinesis::Stream"}}, True),
    ({"sources": {"web": "kinesis-data-streamz"}}, False),
    ({"analytics": {"e": {"service": "amazon-emr", "workload": "spark", "nodes": {"core": {"instance": "r5.xlarge"}}}}},
     True),
    ({"stores": {"db": {"service": "dynamodb", "workload": "spark"}}}, False),
    ({"stores": {"db": {"service": "dynamodb", "label": "Table"}}}, True),
    ({"flows": [{"from": "a", "to": "b", "via": "crawler"}]}, True),
    ({"flows": [{"from": "a", "to": "b", "via": "crawlr"}]}, False),
    ({"flows": ["a -> b"]}, True),
    ({"flows": ["a b"]}, False),
])
def test_committed_schema_verdicts(doc, valid):
    assert jsonschema.Draft7Validator(COMMITTED).is_valid({"archgen": 1, "title": "t", **doc}) is valid


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
