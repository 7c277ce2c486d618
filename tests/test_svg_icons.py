"""SVG embeds each distinct icon once (a ``<symbol>``) and draws every node's icon as a ``<use>`` of it."""

from __future__ import annotations

import base64
import re
import struct
from xml.etree import ElementTree

from archgen.catalog.services import load_services
from archgen.render.icons import icon_path, themed_icon
from archgen.render.themes import THEMES
from tests.conftest import ROOT

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
SPEC = ROOT / "tests" / "fixtures" / "render" / "repeated-icons.yaml"
SERVICES = {"web": "sdk", "app": "sdk", "clicks": "kinesis-data-streams", "d1": "firehose", "d2": "firehose",
            "raw": "s3", "curated": "s3"}


def _render(cli, tmp_path) -> ElementTree.Element:
    result = cli("render", SPEC, "-o", tmp_path, "-T", "svg")
    assert result.exit_code == 0, result.output
    return ElementTree.parse(tmp_path / "repeated-icons.svg").getroot()


def test_one_symbol_per_distinct_icon_and_one_use_per_node(cli, tmp_path):
    root = _render(cli, tmp_path)
    symbols = {s.get("id"): s for s in root.iter(f"{SVG_NS}symbol")}
    assert len(symbols) == 4  # sdk, kinesis-data-streams, firehose, s3
    payloads = [img.get(XLINK) for s in symbols.values() for img in s.iter(f"{SVG_NS}image")]
    assert len(payloads) == 4 and len(set(payloads)) == 4
    # no other embedded picture anywhere: every other image is gone
    assert len(list(root.iter(f"{SVG_NS}image"))) == 4
    light = THEMES["light"]
    services = load_services()
    uses = {}
    for node in root.iter(f"{SVG_NS}g"):
        if node.get("class") == "node":
            found = list(node.iter(f"{SVG_NS}use"))
            assert len(found) == 1
            uses[node.find(f"{SVG_NS}title").text] = found[0]
    assert sorted(uses) == sorted(SERVICES)
    for name, use in uses.items():
        assert (use.get("width"), use.get("height")) == ("44px", "44px")
        symbol = symbols[use.get(XLINK).removeprefix("#")]
        data = base64.b64decode(symbol.find(f"{SVG_NS}image").get(XLINK).removeprefix("data:image/png;base64,"))
        icon = icon_path(themed_icon(services[SERVICES[name]].icon, light.background, light.plate))
        assert data == icon.read_bytes(), name
        width, height = struct.unpack(">II", data[16:24])
        assert symbol.get("viewBox") == f"0 0 {width} {height}", name
        assert symbol.get("preserveAspectRatio") == "xMinYMin meet"
    # nodes of one service share one symbol
    assert uses["web"].get(XLINK) == uses["app"].get(XLINK)
    assert uses["raw"].get(XLINK) == uses["curated"].get(XLINK)
    assert uses["d1"].get(XLINK) == uses["d2"].get(XLINK)
    assert len({u.get(XLINK) for u in uses.values()}) == 4


def test_hover_titles_and_links_stay_on_the_nodes(cli, tmp_path):
    text = (_render(cli, tmp_path), (tmp_path / "repeated-icons.svg").read_text())[1]
    anchors = re.findall(r'<a xlink:href="(https://[^"]+)" xlink:title="([^"]+)" target="_blank"><title>', text)
    assert len(anchors) >= 7
    # each node's anchor still holds its icon
    for body in re.findall(r'class="node">(.*?)</g>\n</g>', text, re.S):
        assert body.count("<use ") == 1 and "<title>" in body
