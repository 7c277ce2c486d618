"""A large spec without views: its deck shows the collapsed overview and a slide per top-level
group (PPTX read with python-pptx, HTML titles, pictures measured at the size they are shown)."""

from __future__ import annotations

import html
import io
import re

import pytest
from pptx import Presentation
from pptx.util import Inches

from archgen.check import check_file
from archgen.model.large import group_views
from archgen.slides.deck import MAX_ZOOM, build_deck
from archgen.slides.html_deck import write_html
from archgen.slides.pptx_deck import write_pptx
from benchmarks.layout_metrics import parse_svg
from tests.conftest import FIXTURES, ROOT

ENTERPRISE = ROOT / "benchmarks" / "specs" / "enterprise.yaml"
EMU_IN = 914400
PX_IN = 96  # a 1280-px-wide slide is 13.33 in

TITLE = "Enterprise analytics platform"
GROUPS = ["Producers", "Databases", "Streaming", "Change capture", "Delivery", "Data lake", "Machine learning",
          "Serving"]
TITLES = [TITLE, f"{TITLE} — overview", *(f"{TITLE} — {g}" for g in GROUPS), "Findings", "Legend"]
# the smallest text of each added picture in px at the size the slide shows it, and the
# share of its layout's picture box it covers
SHOWN = {
    "overview": (15.1, "top", 0.567), "Producers": (14.1, "side", 0.154), "Databases": (20.9, "side", 0.223),
    "Streaming": (21.6, "top", 0.898), "Change capture": (19.4, "side", 0.400),
    "Delivery": (25.4, "side", 0.273), "Data lake": (18.4, "top", 0.877),
    "Machine learning": (34.7, "top", 0.420), "Serving": (20.9, "side", 0.683),
}


@pytest.fixture(scope="module")
def enterprise():
    deck = build_deck([check_file(ENTERPRISE)])
    return deck, Presentation(io.BytesIO(write_pptx(deck)))


def _title(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text)


def test_large_deck_has_the_overview_and_a_slide_per_group(enterprise):
    deck, prs = enterprise
    assert [_title(s) for s in prs.slides] == TITLES
    assert [s.title for s in deck.slides] == TITLES
    # the HTML deck is built from the same slides
    heads = re.findall(r"<h1>(.*?)</h1>", write_html(deck).decode("utf-8"))
    assert [html.unescape(h) for h in heads] == TITLES
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in prs.slides]
    assert texts[1][1] == "enterprise.yaml · 42 components; each of the 8 top-level groups drawn as one node"
    assert texts[2][1] == "enterprise.yaml · group producers, 6 components"


def test_overview_is_the_collapsed_drawing_and_groups_are_cropped_views(enterprise):
    deck, _ = enterprise
    overview, *groups = [s.picture for s in deck.slides if s.kind == "diagram"]
    names = {t.text for t in parse_svg(overview.svg).texts}
    assert {"Producers", "6 components", "Serving", "4 flows"} <= names and "Fleet devices" not in names
    streaming = {t.text for t in parse_svg(groups[2].svg).texts}
    assert {"Streaming", "Telemetry", "Anomaly", "detection"} <= streaming and "Producers" not in streaming


def test_added_pictures_fill_their_box_and_read_at_the_size_shown(enterprise):
    deck, prs = enterprise
    found = {}
    for slide, item in zip(prs.slides, deck.slides):
        if item.kind != "diagram" or " — " not in item.title:
            continue
        pic = next(s for s in slide.shapes if s.shape_type == 13)
        layout, box = item.picture.placed()
        c = layout.content
        assert (pic.left, pic.top, pic.width, pic.height) == tuple(Inches(v) for v in (box.x, box.y, box.w, box.h))
        covered = pic.width * pic.height / (Inches(c.w) * Inches(c.h))
        aspect = pic.width / pic.height
        allowed = min(aspect / c.aspect, c.aspect / aspect)  # what its aspect allows
        natural_w = item.picture.size_in[0]
        if box.w / natural_w < MAX_ZOOM - 1e-6:  # fills the box in one direction
            assert abs(covered - allowed) < 0.002
            if allowed >= 0.8:
                assert covered >= 0.8
        else:  # a small group is magnified at most MAX_ZOOM times
            assert abs(box.w / natural_w - MAX_ZOOM) < 1e-6 and covered < allowed
        drawing = parse_svg(item.picture.svg)
        smallest = min(t.size for t in drawing.texts) * (pic.width / EMU_IN * PX_IN) / drawing.width
        found[item.title.split(" — ")[1]] = (round(smallest, 1), layout.name, round(covered, 3))
    assert found == SHOWN
    assert min(px for px, _, _ in found.values()) >= 10


def test_spec_with_views_or_small_keeps_its_slides():
    small = FIXTURES / "slides" / "tall.yaml"
    assert [s.title for s in build_deck([check_file(small)]).slides] == [
        "A deep pipeline", "A deep pipeline", "Findings", "Legend"]
    big = check_file(FIXTURES / "structure" / "26-components.yaml").spec
    assert [v.name for v in group_views(big)] == ["left", "right"]
    assert [v.title for v in group_views(big)] == ["left", "right"]
    with_views = check_file(FIXTURES / "slides" / "large-with-views.yaml")
    assert group_views(with_views.spec) == ()
    assert [s.title for s in build_deck([with_views]).slides] == [
        "26 components with a view", "26 components with a view", "Left apps", "Findings", "Legend"]


def test_dark_overview_plates_a_group_icon_as_its_members_are():
    from archgen.render.graph import build_graph

    spec = check_file(ENTERPRISE).spec
    whole = {n.component: n.icon for n in build_graph(spec, "e", "dark").nodes}
    overview = {n.component: n.icon for n in build_graph(spec, "e", "dark", collapse=True).nodes}
    # Change capture stands for its Kafka Connect members: the black Kafka logo, plated on dark
    assert overview["cdc"] == whole["orders_cdc"] and overview["cdc"].endswith("plate-e5e7eb/onprem/queue/kafka.png")
    light = {n.component: n.icon for n in build_graph(spec, "e", "light", collapse=True).nodes}
    assert light["cdc"] == "onprem/queue/kafka.png"
