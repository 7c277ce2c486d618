"""How much of its slide box each diagram picture of a PPTX deck covers, read with python-pptx.

    python benchmarks/slide_coverage.py [SPEC ...]     # default: every example in specs/

For each spec, `archgen slides` writes a deck; for every diagram slide the table gives the
layout it took (``top``: title band over a full-width box; ``side``: title column beside a
full-height box, see archgen/slides/layout.py), the picture's aspect ratio, its size on the
slide, the share of the layout's picture box it covers and the share of the whole slide.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

from archgen.slides.layout import SIDE, SLIDE_H_IN, SLIDE_W_IN, TOP

ROOT = Path(__file__).resolve().parent.parent
EMU_IN = 914400


def rows(spec: Path, work: Path):
    deck = work / f"{spec.name}.pptx"
    subprocess.run([sys.executable, "-m", "archgen", "slides", str(spec), "-o", str(deck)], check=True,
                   capture_output=True)
    for slide in Presentation(str(deck)).slides:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        texts = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text]
        if len(pictures) != 1 or texts[0].text_frame.text == "Legend":
            continue
        pic, title = pictures[0], texts[0]
        layout = SIDE if title.width < Inches(4) else TOP
        w, h = pic.width / EMU_IN, pic.height / EMU_IN
        box = layout.content
        yield (spec.name, title.text_frame.text, layout.name, w / h, w, h, w * h / (box.w * box.h),
               w * h / (SLIDE_W_IN * SLIDE_H_IN))


def main(argv: list[str]) -> int:
    specs = [Path(a) for a in argv] or sorted((ROOT / "specs").glob("*.yaml"))
    print("| spec | slide | layout | aspect | size (in) | of the box | of the slide |")
    print("|---|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            for name, title, layout, aspect, w, h, box, slide in rows(spec, Path(tmp)):
                print(f"| {name} | {title} | {layout} | {aspect:.2f} | {w:.2f} × {h:.2f} | {box:.0%} | {slide:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
