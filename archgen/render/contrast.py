"""How visible an icon is against a background, computed from its pixels (WCAG contrast).

Measuring an icon decodes it and walks its pixels (several milliseconds each, for every
icon of every render), so each share is kept in the cache folder (``contrast/`` in ``archgen.catalog.cache_dir``)
under the SHA-256 of the icon's bytes, the background and Pillow's version: the same pixels
always give the same share. Without a usable cache folder the share is simply computed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

# WCAG 2.x success criterion 1.4.11: graphical objects need a contrast ratio of at least 3:1
# https://www.w3.org/WAI/WCAG21/Understanding/non-text-contrast.html
MIN_CONTRAST = 3.0
# below this share of visible pixels at MIN_CONTRAST an icon gets a plate
MIN_VISIBLE = 0.4
SAMPLE_PX = 64  # icons are measured at about their drawn size


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_linear(i) for i in range(256))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``"#16191D"`` → ``(22, 25, 29)``."""
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    r, g, b = rgb
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


CACHE_FORMAT = "contrast-1"


@lru_cache(maxsize=512)
def visible_share(path: Path, background: str) -> float:
    """Share of the icon's opaque pixels that reach ``MIN_CONTRAST`` against ``background``.

    Each pixel is composited over the background first, so half-transparent artwork counts
    as it is seen. An icon with no opaque pixel scores 0.
    """
    from archgen.catalog import cache_dir

    try:
        raw = Path(path).read_bytes()
    except OSError:
        return _measure(path, background)
    from PIL import __version__ as pillow

    key = "\0".join((CACHE_FORMAT, pillow, background.upper(), str(SAMPLE_PX), str(MIN_CONTRAST), ""))
    cached = cache_dir() / "contrast" / f"{hashlib.sha256(key.encode() + raw).hexdigest()}.json"
    with contextlib.suppress(OSError, ValueError):
        share = json.loads(cached.read_bytes())
        if isinstance(share, float) and 0.0 <= share <= 1.0:
            return share
    share = _measure(path, background)
    _store(cached, share)
    return share


def _store(path: Path, share: float) -> None:
    """Write one cache entry atomically; any OS trouble leaves the cache as it was."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".contrast.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(float(share)))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _measure(path: Path, background: str) -> float:
    """``visible_share`` computed from the pixels."""
    from PIL import Image

    bg = hex_rgb(background)
    bg_lum = luminance(bg)
    with Image.open(path) as img:
        rgba = img.convert("RGBA")
    rgba.thumbnail((SAMPLE_PX, SAMPLE_PX))
    raw = rgba.tobytes()
    seen = visible = 0
    for i in range(0, len(raw), 4):
        r, g, b, a = raw[i:i + 4]
        if a < 128:
            continue
        k = a / 255
        pixel = (round(r * k + bg[0] * (1 - k)), round(g * k + bg[1] * (1 - k)), round(b * k + bg[2] * (1 - k)))
        lum = luminance(pixel)
        seen += 1
        visible += (max(lum, bg_lum) + 0.05) / (min(lum, bg_lum) + 0.05) >= MIN_CONTRAST
    return visible / seen if seen else 0.0


def needs_plate(path: Path, background: str, plate: str) -> bool:
    """Whether the icon is hard to see on ``background`` and easier to see on ``plate``."""
    share = visible_share(path, background)
    return share < MIN_VISIBLE and visible_share(path, plate) > share
