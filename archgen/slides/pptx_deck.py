"""Write a deck as a 16:9 PowerPoint file (opens in PowerPoint, Keynote, Google Slides, Impress)."""

from __future__ import annotations

import io
import struct

from archgen.render.icons import icon_path
from archgen.slides.deck import PNG_SCALE, Deck, Slide
from archgen.slides.layout import (
    MARGIN_IN,
    SLIDE_H_IN,
    SLIDE_W_IN,
    SUBTITLE_PT,
    TITLE_PT,
    TOP,
    TOP_IN,
    Box,
    SlideLayout,
    subtitle_box,
)

WIDTH_IN, HEIGHT_IN = SLIDE_W_IN, SLIDE_H_IN
MAX_LINES = 16

COLOURS = {
    "light": {"bg": "FFFFFF", "text": "1F2937", "muted": "6B7280", "error": "DC2626", "warning": "B45309",
              "info": "1F6FB2"},
    "dark": {"bg": "16191D", "text": "E5E7EB", "muted": "9CA3AF", "error": "F87171", "warning": "FBBF24",
             "info": "5FA8E8"},
}


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def fit(width: float, height: float, box_w: float, box_h: float) -> tuple[float, float]:
    """Scale (width, height) to fit the box without distortion."""
    k = min(box_w / width, box_h / height)
    return width * k, height * k


def write_pptx(deck: Deck) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    blank = prs.slide_layouts[6]
    palette = COLOURS[deck.theme]
    for item in deck.slides:
        slide = prs.slides.add_slide(blank)
        _background(slide, palette["bg"])
        if item.kind == "title":
            _title_slide(slide, item, palette)
        elif item.kind == "diagram":
            layout, box = item.picture.placed()
            _heading(slide, item, layout, palette)
            _diagram(slide, item, box)
        else:
            _heading(slide, item, TOP, palette)
            {"findings": _findings, "legend": _legend}[item.kind](slide, item, palette)
        if item.notes:
            slide.notes_slide.notes_text_frame.text = item.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _background(slide, colour: str) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(colour)


def _text(slide, text: str, x: float, y: float, w: float, h: float, size: int, colour: str,
          bold: bool = False, middle: bool = False):
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = box.text_frame
    frame.word_wrap = True
    if middle:  # beside an icon or a sample: centred on it, one line or two
        from pptx.enum.text import MSO_ANCHOR

        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)
    return frame


def _title_slide(slide, item: Slide, palette) -> None:
    _text(slide, item.title, 0.8, 2.3, WIDTH_IN - 1.6, 1.2, 40, palette["text"], bold=True)
    if item.subtitle:
        _text(slide, item.subtitle, 0.8, 3.6, WIDTH_IN - 1.6, 1.6, 18, palette["muted"])
    for line in item.lines:
        _text(slide, line.text, 0.8, 6.3, WIDTH_IN - 1.6, 0.5, 14, palette["muted"])


def _heading(slide, item: Slide, layout: SlideLayout, palette) -> None:
    t, s = layout.title, subtitle_box(layout, item.title)
    _text(slide, item.title, t.x, t.y, t.w, t.h, TITLE_PT, palette["text"], bold=True)
    if item.subtitle:
        _text(slide, item.subtitle, s.x, s.y, s.w, s.h, SUBTITLE_PT, palette["muted"])


def _diagram(slide, item: Slide, box: Box) -> None:
    from pptx.util import Inches

    slide.shapes.add_picture(io.BytesIO(item.picture.png), Inches(box.x), Inches(box.y), Inches(box.w),
                             Inches(box.h))


def _findings(slide, item: Slide, palette) -> None:
    from pptx.util import Pt

    frame = _text(slide, "", MARGIN_IN, TOP_IN, WIDTH_IN - 2 * MARGIN_IN, HEIGHT_IN - TOP_IN - MARGIN_IN, 12,
                  palette["text"])
    shown = item.lines[:MAX_LINES]
    for i, line in enumerate(shown):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run() if i else para.runs[0]
        run.text = line.text
        run.font.size = Pt(12)
        run.font.color.rgb = _rgb(palette[line.severity] if line.severity in ("error", "warning")
                                  else palette["text"])
    if len(item.lines) > MAX_LINES:
        run = frame.add_paragraph().add_run()
        run.text = f"… and {len(item.lines) - MAX_LINES} more (all of them are in the notes)"
        run.font.size = Pt(12)
        run.font.color.rgb = _rgb(palette["muted"])
        item.notes = "\n".join(line.text for line in item.lines)


LEGEND_ROW_IN = 0.5
SERVICES_X_IN = 5.6


def _legend(slide, item: Slide, palette) -> None:
    """Edge kinds drawn as Graphviz draws them, then every service once with its icon."""
    from pptx.util import Inches

    y = TOP_IN
    _text(slide, "Edges", MARGIN_IN, y, 4.5, 0.4, 16, palette["text"], bold=True)
    for entry in item.kinds:
        y += LEGEND_ROW_IN
        w_px, h_px = png_size(entry.sample.png)
        w, h = w_px / (96 * PNG_SCALE), h_px / (96 * PNG_SCALE)  # its natural size
        slide.shapes.add_picture(io.BytesIO(entry.sample.png), Inches(MARGIN_IN), Inches(y + 0.2 - h / 2),
                                 Inches(w), Inches(h))
        _text(slide, entry.label, MARGIN_IN + 1.3, y, 3.6, 0.4, 13, palette["text"], middle=True)
    _text(slide, "Services", SERVICES_X_IN, TOP_IN, 7.0, 0.4, 16, palette["text"], bold=True)
    rows = 10
    columns = max(1, min(3, -(-len(item.icons) // rows)))
    column_w = (WIDTH_IN - MARGIN_IN - SERVICES_X_IN) / columns
    size = 11 if columns < 3 else 10
    shown = item.icons[: rows * columns]
    for i, entry in enumerate(shown):
        col, row = divmod(i, rows)
        x, y = SERVICES_X_IN + col * column_w, TOP_IN + 0.5 + row * 0.55
        _icon(slide, entry.icon, x, y, 0.42)
        status = "" if entry.status == "current" else f"  ({entry.status})"
        _text(slide, entry.name + status, x + 0.5, y - 0.015, column_w - 0.55, 0.45, size,
              palette["warning"] if status else palette["text"], middle=True)
    if len(item.icons) > len(shown):
        _text(slide, f"… and {len(item.icons) - len(shown)} more", SERVICES_X_IN, TOP_IN + 0.5 + rows * 0.55,
              4.0, 0.4, 11, palette["muted"])


def _icon(slide, relative: str, x: float, y: float, box: float) -> None:
    """An icon fitted into a square box without distortion (plated icons are not square)."""
    from pptx.util import Inches

    path = icon_path(relative)
    w_px, h_px = png_size(path.read_bytes())
    w, h = fit(w_px, h_px, box, box)
    slide.shapes.add_picture(str(path), Inches(x + (box - w) / 2), Inches(y + (box - h) / 2), Inches(w), Inches(h))
