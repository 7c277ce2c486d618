"""Draw a deck's slides as one contact sheet, as LibreOffice Impress draws the PPTX.

    python -m tests.contact_sheet                      # docs/deck-clickstream.png
    python -m tests.contact_sheet SPEC... -o sheet.png [--theme dark] [--columns 3] [--width 816]

Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler) on PATH: the deck is written with
``archgen slides``, converted with ``soffice --headless --convert-to pdf``, each page drawn with
``pdftoppm`` and the pages put in a grid with Pillow.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
GAP = 12
PAGE = (128, 128, 128)


def slide_images(deck: Path, width: int, work: Path) -> list[Image.Image]:
    """Each slide of ``deck`` (PPTX or PDF) drawn ``width`` pixels wide."""
    pdf = deck
    if deck.suffix == ".pptx":
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(deck)],
                       check=True, capture_output=True)
        pdf = work / (deck.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-scale-to-x", str(width), "-scale-to-y", "-1", str(pdf),
                    str(work / "slide")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(work.glob("slide-*.png"), key=_page)]


def _page(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def sheet(images: list[Image.Image], columns: int) -> Image.Image:
    w, h = images[0].size
    rows = -(-len(images) // columns)
    out = Image.new("RGB", (columns * w + (columns + 1) * GAP, rows * h + (rows + 1) * GAP), PAGE)
    for i, img in enumerate(images):
        row, col = divmod(i, columns)
        out.paste(img, (GAP + col * (w + GAP), GAP + row * (h + GAP)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", default=[str(ROOT / "specs" / "clickstream.archgen.yaml")])
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "deck-clickstream.png"))
    parser.add_argument("--theme", default="light")
    parser.add_argument("--columns", type=int, default=3)
    parser.add_argument("--width", type=int, default=816, help="pixels per slide")
    parser.add_argument("--deck", help="draw this PPTX or PDF instead of making one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        deck = Path(args.deck) if args.deck else work / "review.pptx"
        if not args.deck:
            subprocess.run([sys.executable, "-m", "archgen", "slides", *args.specs, "-o", str(deck),
                            "--theme", args.theme], check=True, capture_output=True)
        sheet(slide_images(deck, args.width, work), args.columns).save(args.output, optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
