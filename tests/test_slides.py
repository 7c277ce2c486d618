"""Decks: PPTX opened with python-pptx, HTML parsed; slide counts, sizes, pictures, notes, findings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

from archgen.slides.layout import SIDE, TOP
from tests.conftest import FIXTURES, ROOT, SPECS

SPEC = ROOT / "specs" / "clickstream.archgen.yaml"
# title, overview, ingest, query, walkthrough x3, findings, legend
TITLES = ["Clickstream analytics", "Clickstream analytics", "How clicks arrive", "Who reads the lake",
          "End to end (1/3)", "End to end (2/3)", "End to end (3/3)", "Findings", "Legend"]


def slide_texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]


def test_pptx_deck(cli, tmp_path):
    deck = tmp_path / "review.pptx"
    result = cli("slides", SPEC, "-o", deck)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(deck))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)
    assert len(slides) == len(TITLES)
    for slide, title in zip(slides, TITLES):
        assert slide_texts(slide)[0] == title
    first = " ".join(slide_texts(slides[0]))
    assert "archgen" in first and "clickstream.archgen.yaml" in first
    for slide in slides[1:7]:  # diagram slides: one picture, inside the slide, 2x PNG
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
        assert abs((pic.left + pic.width / 2) - prs.slide_width / 2) < Emu(20000)
        w_px, h_px = pic.image.size
        assert abs(w_px / h_px - pic.width / pic.height) < 0.01  # no distortion
        assert w_px / (pic.width / 914400) >= 191  # 2x of 96 dpi as shown, a cropped view too
        # every picture here is wider than tall: the title band on top, the picture as high as
        # the band leaves, centred, and filling at least 77% of the box (the wrapped layout)
        box = TOP.content
        assert (pic.top, pic.height) == (Inches(box.y), Inches(box.h))
        assert pic.left > 0 and pic.width >= 0.77 * Inches(box.w)
    assert "Athena reads the lake" in slides[3].notes_slide.notes_text_frame.text
    assert "No findings" in " ".join(slide_texts(slides[7]))


def test_findings_slide_and_errors(cli, tmp_path):
    warn = FIXTURES / "codes" / "W403.fail.yaml"
    result = cli("slides", warn, "-o", tmp_path / "w.pptx")
    assert result.exit_code == 0
    texts = " ".join(t for s in Presentation(str(tmp_path / "w.pptx")).slides for t in slide_texts(s))
    assert "W403" in texts and "W403.fail.yaml:" in texts
    bad = FIXTURES / "codes" / "E301.fail.yaml"
    stopped = cli("slides", bad, "-o", tmp_path / "e.pptx")
    assert stopped.exit_code == 1 and not (tmp_path / "e.pptx").exists()
    allowed = cli("slides", bad, "-o", tmp_path / "e.pptx", "--allow-errors")
    assert allowed.exit_code == 0
    prs = Presentation(str(tmp_path / "e.pptx"))
    findings = next(s for s in prs.slides if slide_texts(s)[0] == "Findings")
    runs = [r for sh in findings.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    e301 = next(r for r in runs if "E301" in r.text)
    assert str(e301.font.color.rgb) == "DC2626"


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.urls, self.svgs, self.notes = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("class"))
        if tag == "svg":
            self.svgs += 1
        if tag == "aside":
            self.notes += 1
        for key in ("src", "href", "xlink:href"):
            if key in a:
                self.urls.append(a[key])


def test_html_deck_is_self_contained(cli, tmp_path):
    deck = tmp_path / "review.html"
    assert cli("slides", SPEC, "-o", deck, "--theme", "dark").exit_code == 0
    text = deck.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(text)
    assert len(parser.sections) == len(TITLES)
    assert text.count('<div class="figure"><svg') == 6  # overview, two views, three steps
    assert parser.svgs == 6 + 4  # and a sample of each of the four edge kinds in the legend
    assert parser.notes >= 4
    assert all(u.startswith("data:") or u.startswith("#") for u in parser.urls), parser.urls[:5]
    assert not re.search(r"""(src|href)=["']https?:""", text)
    assert "url(http" not in text and "@import" not in text
    assert "ArrowRight" in text and "page-break-after" in text and "'n'" in text
    assert "#16191d" in text  # dark slides
    # a bare `.legend{...}` rule would also match `<section class="slide legend">` and show it
    css = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    assert not re.search(r"(^|[}\s,])\.(title|diagram|findings|legend)\s*[{,]", css)


def test_bad_deck_name_is_usage_error(cli, tmp_path):
    assert cli("slides", SPEC, "-o", tmp_path / "deck.key").exit_code == 2


DASHES = {"batch": "5,2", "control": "1,5"}  # Graphviz's dashed and dotted; the others are solid
HOLLOW = {"query", "control", "custom-code"}


def test_legend_draws_each_edge_kind_in_its_style(cli, tmp_path):
    import xml.etree.ElementTree as ET

    from archgen.render.themes import THEMES

    specs = [ROOT / "specs" / f"{n}.archgen.yaml" for n in ("clickstream", "cdc-lake", "log-analytics")]
    assert cli("slides", *specs, "-o", tmp_path / "deck.html").exit_code == 0
    text = (tmp_path / "deck.html").read_text(encoding="utf-8")
    legend = text[text.index('<section class="slide legend"'):]
    samples = re.findall(r'<tr data-kind="([a-z-]+)"><td class="sample">(<svg.*?</svg>)</td>'
                         r'<td class="label">([^<]+)</td></tr>', legend, re.S)
    assert [k for k, _, _ in samples] == ["stream", "batch", "query", "control", "custom-code"]
    ns = "{http://www.w3.org/2000/svg}"
    for kind, svg, _label in samples:
        root = ET.fromstring(svg)
        path = next(root.iter(f"{ns}path"))
        colour = THEMES["light"].edges[kind].color.lower()
        assert path.get("stroke") == colour
        assert path.get("stroke-dasharray") == DASHES.get(kind), kind
        head = next(e for e in root.iter() if e.tag in (f"{ns}polygon", f"{ns}ellipse") and e.get("stroke") == colour)
        assert head.tag == (f"{ns}ellipse" if kind == "control" else f"{ns}polygon"), kind
        assert (head.get("fill") == "none") == (kind in HOLLOW), kind
    names = re.findall(r'<td class="name">([^<(]+?)\s*(?:<|</td>)', legend)
    assert len(names) == len(set(names)) and "Amazon Data Firehose" in names


def test_pptx_legend_samples_and_services(cli, tmp_path):
    from archgen.slides.legend import edge_sample

    specs = [ROOT / "specs" / n for n in ("clickstream.archgen.yaml", "log-analytics.archgen.yaml")]
    assert cli("slides", *specs, "-o", tmp_path / "deck.pptx", "--theme", "dark").exit_code == 0
    legend = list(Presentation(str(tmp_path / "deck.pptx")).slides)[-1]
    assert slide_texts(legend)[0] == "Legend"
    pictures = [s for s in legend.shapes if s.shape_type == 13]
    kinds = ["stream", "query", "control", "custom-code"]
    samples = pictures[: len(kinds)]
    assert [p.image.blob for p in samples] == [edge_sample(k, "dark", 2.0).png for k in kinds]
    assert len({p.left for p in samples}) == 1  # one column
    labels = [s for s in legend.shapes if s.has_text_frame and s.text_frame.text in
              ("stream (records in motion)", "query (read in place)")]
    assert len(labels) == 2 and len({s.left for s in labels}) == 1
    names = [s.text_frame.text for s in legend.shapes if s.has_text_frame and s.left > labels[0].left + Emu(914400 * 2)
             and s.text_frame.text != "Services"]
    assert len(names) == 11 and len(set(names)) == 11 and "Splunk" in names
    assert names.count("Amazon Data Firehose") == 1
    assert len(pictures) == len(kinds) + len(names)


def test_slide_pictures_leave_the_title_to_the_slide():
    from archgen.check import check_file
    from archgen.slides.deck import build_deck
    from benchmarks.layout_metrics import parse_svg

    deck = build_deck([check_file(SPEC)])
    diagrams = [s for s in deck.slides if s.kind == "diagram"]
    assert len(diagrams) == 6
    for slide in diagrams:
        texts = [t.text for t in parse_svg(slide.picture.svg).texts]
        assert "Clickstream analytics" not in texts and "Web servers" in texts, slide.title
    overview, ingest = diagrams[0].picture, diagrams[1].picture
    # the view is cropped: half the overview's area, yet fitted as large on the slide
    assert ingest.size_pt[0] * ingest.size_pt[1] < 0.55 * overview.size_pt[0] * overview.size_pt[1]
    assert abs(ingest.placed()[1].h - overview.placed()[1].h) < 1e-9


EMU_IN = 914400


def _diagram_pictures(prs):
    """(title text box, picture) of every diagram slide."""
    for slide in prs.slides:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        if len(pictures) == 1 and slide_texts(slide)[0] not in ("Legend",):
            yield next(s for s in slide.shapes if s.has_text_frame), pictures[0]


def _coverage(pic, box) -> float:
    return (pic.width * pic.height) / (Inches(box.w) * Inches(box.h))


@pytest.mark.parametrize("spec", [*SPECS, FIXTURES / "slides" / "tall.yaml"], ids=lambda p: p.stem)
def test_pictures_fill_the_slide_box_as_far_as_their_aspect_allows(cli, tmp_path, spec):
    assert cli("slides", spec, "-o", tmp_path / "deck.pptx").exit_code == 0
    prs = Presentation(str(tmp_path / "deck.pptx"))
    found = 0
    for title, pic in _diagram_pictures(prs):
        found += 1
        # the title says which layout the slide took: a band on top, or a column on the left
        layout = SIDE if title.width < Inches(4) else TOP
        box = layout.content
        assert title.left == Inches(layout.title.x) and title.top == Inches(layout.title.y)
        x0, y0, x1, y1 = (Inches(v) for v in (box.x, box.y, box.x + box.w, box.y + box.h))
        assert x0 - 1 <= pic.left and pic.left + pic.width <= x1 + 1
        assert y0 - 1 <= pic.top and pic.top + pic.height <= y1 + 1
        # centred in the box, and filling it in one direction
        assert abs((pic.left + pic.width / 2) - (x0 + x1) / 2) <= 2
        assert abs((pic.top + pic.height / 2) - (y0 + y1) / 2) <= 2
        assert max(pic.width / (x1 - x0), pic.height / (y1 - y0)) > 0.999
        # what it covers is what its aspect allows: at least 80 % when within 0.8-1.25x the box's
        aspect, allowed = pic.width / pic.height, box.w / box.h
        share = min(aspect / allowed, allowed / aspect)
        assert abs(_coverage(pic, box) - share) < 0.002
        if share >= 0.8:
            assert _coverage(pic, box) >= 0.8
        # and the other layout would have shown it smaller
        other = TOP if layout is SIDE else SIDE
        w_in, h_in = pic.width / EMU_IN, pic.height / EMU_IN
        assert min(other.content.w / w_in, other.content.h / h_in) <= 1.0 + 1e-6
    assert found >= 1
    if spec.stem == "tall":
        assert layout is SIDE  # a deep TB pipeline gets the full slide height


VOID = {"meta", "img", "br", "hr", "link", "input"}


class _Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def iter(self, tag=None):
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def cls(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def find_class(self, name):
        return [n for n in self.iter() if name in n.cls()]

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


class _Tree(HTMLParser):
    """The HTML deck as a tree of elements (inline SVG included), to check its structure."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.at = _Node("#root", [])

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(_Node(tag, attrs, self.at))

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.text += data


def _html_tree(path) -> _Node:
    tree = _Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree.root


def test_html_legend_is_two_aligned_tables(cli, tmp_path):
    specs = [ROOT / "specs" / f"{n}.archgen.yaml" for n in ("clickstream", "cdc-lake", "log-analytics")]
    assert cli("slides", *specs, "-o", tmp_path / "deck.html").exit_code == 0
    legend = next(s for s in _html_tree(tmp_path / "deck.html").iter("section") if "legend" in s.cls())
    block = next(n for n in legend.find_class("legend") if n.tag == "div")
    assert [c.cls() for c in block.children] == [["edges"], ["services"]]
    edges, services = block.children
    assert [c.tag for c in edges.children] == ["h3", "table"] and edges.children[0].text == "Edges"
    assert [c.tag for c in services.children] == ["h3", "table"] and services.children[0].text == "Services"
    # edges: one row per kind, a sample cell (its SVG) then a label cell
    rows = list(edges.children[1].iter("tr"))
    assert [r.attrs["data-kind"] for r in rows] == ["stream", "batch", "query", "control", "custom-code"]
    for row in rows:
        cells = [c for c in row.children if c.tag == "td"]
        assert [c.cls() for c in cells] == [["sample"], ["label"]]
        assert [c.tag for c in cells[0].children] == ["svg"] and not cells[1].children
    assert [r.children[1].text for r in rows][:2] == ["stream (records in motion)", "batch (files, loads, exports)"]
    # services: 16 in two columns of 8 (at most 10 to a column), each an icon cell and a name cell,
    # down the first column, then the second
    rows = list(services.children[1].iter("tr"))
    assert len(rows) == 8
    for row in rows:
        cells = [c for c in row.children if c.tag == "td"]
        assert [c.cls() for c in cells] == [["icon"], ["name"]] * 2
        assert all([i.tag for i in c.children] == ["img"] for c in cells[0::2])
    names = [c.all_text().strip() for r in rows for c in r.children if "name" in c.cls()]
    columns = names[0::2] + names[1::2]
    assert columns[:3] == ["Amazon Kinesis Producer Library (KPL)", "Amazon Kinesis Data Streams",
                           "Amazon Data Firehose"]
    assert len(columns) == len(set(columns)) == 16
    text = (tmp_path / "deck.html").read_text(encoding="utf-8")
    assert "div.legend td.sample{width:5.5em}" in text and "div.legend td.icon{width:2.2em}" in text


def test_html_deck_keeps_the_hover_texts_without_links(cli, tmp_path):
    from tests.test_pictures import links

    assert cli("slides", SPEC, "-o", tmp_path / "deck.html").exit_code == 0
    assert cli("render", SPEC, "-o", tmp_path, "-T", "svg").exit_code == 0
    expected = {name: tip for name, (tip, _href) in links(tmp_path / "clickstream.svg").items()}
    sections = [s for s in _html_tree(tmp_path / "deck.html").iter("section") if "diagram" in s.cls()]
    assert len(sections) == 6
    for section in sections:
        found = {}
        for g in section.iter("g"):
            if {"node", "edge"} & set(g.cls()):
                anchor = next(g.iter("a"))
                assert "xlink:href" not in anchor.attrs and "href" not in anchor.attrs  # a click moves on
                title = next(c for c in anchor.children if c.tag == "title")
                assert anchor.attrs["xlink:title"] == title.text
                name = re.sub(r":[a-z]+(?=->|$)", "", next(c for c in g.children if c.tag == "title").text)
                found[name] = title.text
        shown = 7 if "How clicks arrive" in section.all_text() else 17
        assert len(found) == shown
        assert all(found[k] == expected[k] for k in found)
    overview = sections[0]
    assert "Data lake → Glue Data Catalog\ncrawler (control)" in next(
        a.attrs["xlink:title"] for a in overview.iter("a") if a.attrs["xlink:title"].startswith("Data lake → Glue"))


def test_first_step_of_a_walkthrough_is_not_a_blank_slide():
    import io

    from PIL import Image, ImageChops

    from archgen.check import check_file
    from archgen.slides.deck import build_deck

    deck = build_deck([check_file(SPEC)])
    steps = [s.picture.png for s in deck.slides if s.title.startswith("End to end")]
    assert len(steps) == 3

    def ink(png: bytes, threshold: int):
        image = Image.open(io.BytesIO(png)).convert("RGB")
        diff = ImageChops.difference(image, Image.new("RGB", image.size, (255, 255, 255))).convert("L")
        mask = diff.point(lambda v: 255 if v > threshold else 0)
        return mask.getbbox(), sum(mask.histogram()[255:])

    drawn = [ink(png, 24) for png in steps]  # anything drawn, the faded parts to come included
    bright = [ink(png, 120)[1] for png in steps]  # what the step shows at full strength
    # every step draws the whole view in the same place: the first is no nearly blank slide
    (x0, y0, x1, y1), (a0, b0, a1, b1) = drawn[0][0], drawn[2][0]
    assert max(abs(x0 - a0), abs(y0 - b0), abs(x1 - a1), abs(y1 - b1)) <= 2
    assert drawn[0][1] >= 0.85 * drawn[2][1]
    # and the parts shown at full strength build up
    assert bright[0] < bright[1] < bright[2] and bright[0] >= 0.15 * bright[2]
