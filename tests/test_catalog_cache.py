"""Parsed data files are cached as JSON under the hash of their bytes, and never needed."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from archgen import catalog
from archgen.catalog import cache_dir, data_files, read_data
from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalog.CACHE_ENV, str(folder))
    read_data.cache_clear()
    yield folder
    read_data.cache_clear()


def _yaml(name):
    text = resources.files("archgen.data").joinpath(name).read_text(encoding="utf-8")
    return catalog._plain(yaml.safe_load(text))


def test_data_files_are_the_packaged_bytes():
    names = list(data_files())
    assert names == sorted(names)
    assert {"services.yaml", "integrations.yaml", "instances.yaml", "codes.yaml"} <= set(names)
    assert data_files()["services.yaml"] == resources.files("archgen.data").joinpath("services.yaml").read_bytes()


def test_first_read_writes_one_entry_per_file_with_the_yaml_values(cache):
    assert cache_dir() == cache
    for name in ("services.yaml", "integrations.yaml", "instances.yaml", "codes.yaml"):
        assert read_data(name) == _yaml(name)
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == 4
    assert [json.loads(p.read_text(encoding="utf-8")) for p in entries].count(_yaml("codes.yaml")) == 1


def test_a_later_process_reads_the_entry_not_the_yaml(cache):
    read_data("codes.yaml")
    (entry,) = cache.glob("*.json")
    entry.write_text(json.dumps({"codes": {}, "marker": "from the cache"}), encoding="utf-8")
    read_data.cache_clear()
    assert read_data("codes.yaml")["marker"] == "from the cache"


def test_a_damaged_entry_falls_back_to_the_yaml(cache):
    read_data("codes.yaml")
    (entry,) = cache.glob("*.json")
    entry.write_bytes(b"{not json")
    read_data.cache_clear()
    assert read_data("codes.yaml") == _yaml("codes.yaml")


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(catalog.CACHE_ENV, str(blocker / "cache"))
    read_data.cache_clear()
    load_services.cache_clear()
    load_rules.cache_clear()
    try:
        assert read_data("services.yaml") == _yaml("services.yaml")
        assert load_services().resolve("AWS::Kinesis::Stream").id == "kinesis-data-streams"
        assert load_rules().pick("kinesis-data-streams", "firehose") is not None
    finally:
        read_data.cache_clear()
        load_services.cache_clear()
        load_rules.cache_clear()
    assert not (blocker / "cache").exists()


def test_the_key_changes_with_the_bytes(cache, monkeypatch):
    read_data("codes.yaml")
    files = dict(data_files())
    files["codes.yaml"] = files["codes.yaml"] + b"\n# edited\n"
    monkeypatch.setattr(catalog, "data_files", lambda: files)
    read_data.cache_clear()
    assert read_data("codes.yaml") == _yaml("codes.yaml")
    assert len(list(cache.glob("*.json"))) == 2


def _packaged():
    folder = resources.files("archgen.data")
    return {e.name: e.read_bytes() for e in sorted(folder.iterdir(), key=lambda e: e.name)
            if e.is_file() and not e.name.startswith((".", "__")) and not e.name.endswith(".py")}


def test_the_data_folder_is_read_from_disk_as_importlib_resources_lists_it():
    assert catalog._data_folder() == Path(catalog.__file__).resolve().parent.parent / "data"
    assert data_files() == _packaged()


def test_without_the_folder_on_disk_the_files_come_through_importlib_resources(monkeypatch, tmp_path):
    monkeypatch.setattr(catalog, "__file__", str(tmp_path / "nowhere" / "catalog" / "__init__.py"))
    data_files.cache_clear()
    try:
        assert not isinstance(catalog._data_folder(), Path)
        assert data_files() == _packaged()
    finally:
        data_files.cache_clear()
