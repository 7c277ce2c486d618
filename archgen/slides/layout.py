"""Where things sit on a 16:9 slide (inches): a compact title band and the box a picture fills.

A diagram slide has one of two layouts, whichever shows its picture larger:

- ``top``: the title band across the top and the picture box under it, the full slide width
  (the picture carries its own 10.8 pt margin, so a wide picture may run to the slide's edges);
- ``side``: the title in a column on the left and the picture box on the right, the full
  slide height, for pictures taller than about 3:2.

Findings and legend slides use the ``top`` band.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archgen.render.quality import text_width

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.3  # left edge of the text; bottom margin of findings and legend
TITLE_Y_IN, TITLE_H_IN, TITLE_PT = 0.12, 0.55, 26
SUBTITLE_Y_IN, SUBTITLE_H_IN, SUBTITLE_PT = 0.6, 0.32, 13
TOP_IN = 0.98  # under the subtitle
BOTTOM_IN = 0.15  # below a picture
SIDE_W_IN = 3.2  # the title column of the side layout
INSET_X_IN, INSET_Y_IN = 0.1, 0.05  # a PPTX text box's default inner margins
BOLD = 1.1  # DejaVu Sans Bold runs about a tenth wider than the regular widths quality.text_width has
LINE = 1.17  # DejaVu Sans line height over its size


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def aspect(self) -> float:
        return self.w / self.h


@dataclass(frozen=True)
class SlideLayout:
    name: str  # top | side
    title: Box
    subtitle: Box
    content: Box  # the box the picture is fitted into


TOP = SlideLayout(
    "top",
    title=Box(MARGIN_IN, TITLE_Y_IN, SLIDE_W_IN - 2 * MARGIN_IN, TITLE_H_IN),
    subtitle=Box(MARGIN_IN, SUBTITLE_Y_IN, SLIDE_W_IN - 2 * MARGIN_IN, SUBTITLE_H_IN),
    content=Box(0.0, TOP_IN, SLIDE_W_IN, SLIDE_H_IN - TOP_IN - BOTTOM_IN),
)
SIDE = SlideLayout(
    "side",
    title=Box(MARGIN_IN, 0.5, SIDE_W_IN - MARGIN_IN, 1.6),
    subtitle=Box(MARGIN_IN, 2.1, SIDE_W_IN - MARGIN_IN, 1.2),
    content=Box(SIDE_W_IN, BOTTOM_IN, SLIDE_W_IN - SIDE_W_IN - BOTTOM_IN, SLIDE_H_IN - 2 * BOTTOM_IN),
)
LAYOUTS = (TOP, SIDE)
# the box a drawing's PNG resolution is computed for: it holds every layout's picture box, so
# the PNG is at least 2x of 96 dpi at the size shown whichever layout the slide takes
ENVELOPE = Box(0.0, 0.0, max(lay.content.w for lay in LAYOUTS), max(lay.content.h for lay in LAYOUTS))


def fit_zoom(size_in: tuple[float, float], box: Box, max_zoom: float) -> float:
    """How much a picture of ``size_in`` inches is scaled to fit ``box``, magnified at most ``max_zoom``."""
    w, h = size_in
    return min(box.w / w, box.h / h, max_zoom)


def choose_layout(size_in: tuple[float, float], max_zoom: float) -> SlideLayout:
    """The layout that shows a picture of ``size_in`` inches largest (``top`` on a tie)."""
    return max(LAYOUTS, key=lambda lay: (fit_zoom(size_in, lay.content, max_zoom), lay is TOP))


def place(size_in: tuple[float, float], max_zoom: float) -> tuple[SlideLayout, Box]:
    """The layout and the picture's box on the slide: fitted without distortion, centred in the
    layout's picture box."""
    layout = choose_layout(size_in, max_zoom)
    k = fit_zoom(size_in, layout.content, max_zoom)
    w, h = size_in[0] * k, size_in[1] * k
    c = layout.content
    return layout, Box(c.x + (c.w - w) / 2, c.y + (c.h - h) / 2, w, h)


def coverage(size_in: tuple[float, float], max_zoom: float) -> float:
    """The share of its layout's picture box that a picture covers once placed."""
    layout, box = place(size_in, max_zoom)
    return box.w * box.h / (layout.content.w * layout.content.h)


def title_lines(text: str, width_in: float, size_pt: float) -> int:
    """How many lines a bold title takes wrapped at words into a text box ``width_in`` wide."""
    room = (width_in - 2 * INSET_X_IN) * 72
    lines, line = 1, ""
    for word in text.split():
        longer = f"{line} {word}" if line else word
        if line and text_width(longer, size_pt) * BOLD > room:
            lines, line = lines + 1, word
        else:
            line = longer
    return lines


def subtitle_box(layout: SlideLayout, title: str) -> Box:
    """Where the subtitle goes under ``title``: the layout's place, or lower when the title
    wraps to more lines than reach it (a long title in the side layout's narrow column)."""
    t = layout.title
    bottom = t.y + INSET_Y_IN + title_lines(title, t.w, TITLE_PT) * TITLE_PT * LINE / 72
    return layout.subtitle if bottom <= layout.subtitle.y else replace(layout.subtitle, y=bottom)
