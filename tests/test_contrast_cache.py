"""Icon contrast shares are kept in the cache folder under the hash of the icon's bytes."""

from __future__ import annotations

import json

import pytest

from archgen import catalog
from archgen.catalog.services import load_services
from archgen.render import contrast
from archgen.render.contrast import _measure, visible_share
from archgen.render.icons import icon_path
from archgen.render.themes import THEMES
from tests.conftest import FIXTURES

DARK = THEMES["dark"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalog.CACHE_ENV, str(folder))
    visible_share.cache_clear()
    yield folder / "contrast"
    visible_share.cache_clear()


def test_first_measure_writes_the_share_computed_from_the_pixels(cache):
    splunk = icon_path(load_services()["splunk"].icon)
    share = visible_share(splunk, DARK.background)
    assert share == _measure(splunk, DARK.background) and 0.0 < share < contrast.MIN_VISIBLE
    (entry,) = cache.glob("*.json")
    assert json.loads(entry.read_text(encoding="utf-8")) == share
    visible_share(splunk, DARK.plate)  # another background: another entry
    assert len(list(cache.glob("*.json"))) == 2


def test_a_later_process_reads_the_entry_and_a_copy_of_the_icon_shares_it(cache, tmp_path):
    black = FIXTURES / "icons" / "black-square.png"
    assert visible_share(black, DARK.background) == 0.0
    (entry,) = cache.glob("*.json")
    entry.write_text("0.25", encoding="utf-8")
    visible_share.cache_clear()
    assert visible_share(black, DARK.background) == 0.25
    copy = tmp_path / "elsewhere.png"
    copy.write_bytes(black.read_bytes())  # the key is the bytes, not the path
    assert visible_share(copy, DARK.background) == 0.25


@pytest.mark.parametrize("damage", [b"{not json", b"7.5", b'"0.5"'])
def test_a_damaged_entry_is_measured_again(cache, damage):
    white = FIXTURES / "icons" / "white-square.png"
    visible_share(white, DARK.background)
    (entry,) = cache.glob("*.json")
    entry.write_bytes(damage)
    visible_share.cache_clear()
    assert visible_share(white, DARK.background) == 1.0
    assert json.loads(entry.read_text(encoding="utf-8")) == 1.0


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(catalog.CACHE_ENV, str(blocker / "cache"))
    visible_share.cache_clear()
    try:
        assert visible_share(FIXTURES / "icons" / "white-square.png", DARK.background) == 1.0
    finally:
        visible_share.cache_clear()
