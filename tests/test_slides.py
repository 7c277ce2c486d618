"""Decks: PPTX opened with python-pptx, HTML parsed; slide counts, sizes, pictures, notes, findings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pptx import Presentation
from pptx.util import Emu, Inches

from archgen.slides.deck import CONTENT_H_IN, CONTENT_W_IN, TOP_IN
from tests.conftest import FIXTURES, ROOT

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
    assert "archgen" in " ".join(slide_texts(slides[0])) and "clickstream.archgen.yaml" in " ".join(slide_texts(slides[0]))
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
        # the picture fills the box under the title in one direction (nothing here is so small
        # that it stops at the 2x magnification cap)
        box_w, box_h = Inches(CONTENT_W_IN), Inches(CONTENT_H_IN)
        assert max(pic.width / box_w, pic.height / box_h) > 0.99
        assert pic.top >= Inches(TOP_IN) - 1 and pic.top + pic.height <= Inches(TOP_IN) + box_h + 1
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
    samples = re.findall(r'<span class="sample" data-kind="([a-z-]+)">(<svg.*?</svg>)</span><span>([^<]+)</span>',
                         legend, re.S)
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
    # two columns in a grid: every sample beside its label, every service once
    assert "div.legend .kinds{display:grid;grid-template-columns:5.5em auto" in text
    names = re.findall(r'<div><img alt="" src="data:[^"]+"><span>([^<(]+)', legend)
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
    # the view is cropped: narrower than the overview, yet fitted as large on the slide
    assert ingest.size_pt[0] < 0.6 * overview.size_pt[0]
    assert ingest.fitted_in()[0] == overview.fitted_in()[0]
