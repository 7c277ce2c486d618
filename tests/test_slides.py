"""Decks: PPTX opened with python-pptx, HTML parsed; slide counts, sizes, pictures, notes, findings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pptx import Presentation
from pptx.util import Emu

from tests.conftest import FIXTURES, ROOT

SPEC = ROOT / "specs" / "clickstream.yaml"
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
    assert "archgen" in " ".join(slide_texts(slides[0])) and "clickstream.yaml" in " ".join(slide_texts(slides[0]))
    for slide in slides[1:7]:  # diagram slides: one picture, inside the slide, 2x PNG
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
        assert abs((pic.left + pic.width / 2) - prs.slide_width / 2) < Emu(20000)
        w_px, h_px = pic.image.size
        assert abs(w_px / h_px - pic.width / pic.height) < 0.01  # no distortion
        assert w_px / (pic.width / 914400) >= 150  # at least 2x of 96 dpi... rendered at 192 dpi
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
    assert parser.svgs == 6  # overview, two views, three steps
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
