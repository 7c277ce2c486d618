"""How much of its slide box each diagram picture of a PPTX deck covers, read with python-pptx,
and how large its smallest text is at the size the slide shows it.

    python benchmarks/slide_coverage.py [SPEC ...]     # default: every example in specs/

For each spec, the deck `archgen slides` writes (built in-process by the same functions, so
each slide's SVG is at hand); for every diagram slide the table gives the layout it took
(``top``: title band over a full-width box; ``side``: title column beside a full-height box,
see archgen/slides/layout.py), the picture's aspect ratio, its size on the slide, the share of
the layout's picture box it covers and the share of the whole slide, and its smallest text in
px on a 1280-px-wide slide (96 px per inch) at the size it is shown.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

from archgen.check import check_file
from archgen.slides.deck import build_deck
from archgen.slides.layout import SIDE, SLIDE_H_IN, SLIDE_W_IN, TOP
from archgen.slides.pptx_deck import write_pptx
from benchmarks.layout_metrics import parse_svg

ROOT = Path(__file__).resolve().parent.parent
EMU_IN = 914400
PX_IN = 96  # 1280 px across a 13.33-in slide


def rows(spec: Path):
    deck = build_deck([check_file(spec)])
    for slide, item in zip(Presentation(io.BytesIO(write_pptx(deck))).slides, deck.slides):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        texts = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text]
        if item.kind != "diagram" or len(pictures) != 1:
            continue
        pic, title = pictures[0], texts[0]
        layout = SIDE if title.width < Inches(4) else TOP
        w, h = pic.width / EMU_IN, pic.height / EMU_IN
        box = layout.content
        drawing = parse_svg(item.picture.svg)
        smallest = min(t.size for t in drawing.texts) * w * PX_IN / drawing.width
        yield (spec.name, title.text_frame.text, layout.name, w / h, w, h, w * h / (box.w * box.h),
               w * h / (SLIDE_W_IN * SLIDE_H_IN), smallest)


def main(argv: list[str]) -> int:
    specs = [Path(a) for a in argv] or sorted((ROOT / "specs").glob("*.yaml"))
    print("| spec | slide | layout | aspect | size (in) | of the box | of the slide | smallest text as shown |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for spec in specs:
        for name, title, layout, aspect, w, h, box, slide, px in rows(spec):
            print(f"| {name} | {title} | {layout} | {aspect:.2f} | {w:.2f} × {h:.2f} | {box:.0%} | {slide:.0%} "
                  f"| {px:.1f} px |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
