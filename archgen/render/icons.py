"""Icons come from the resources bundled with the `diagrams` package."""

from __future__ import annotations

import atexit
import base64
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from archgen.errors import RenderError


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The folder of the `diagrams` package's icon resources."""
    import importlib.util

    spec = importlib.util.find_spec("diagrams")
    if spec is None or not spec.origin:
        raise RenderError("the `diagrams` package is not installed", hint="pip install archgen")
    folder = Path(spec.origin).resolve().parent.parent / "resources"
    if not folder.is_dir():
        raise RenderError(f"the `diagrams` icon folder is missing: {folder}")
    return folder


def icon_path(relative: str) -> Path:
    """Absolute path of an icon; the generic icon when the file is missing.

    ``plate-RRGGBB/...`` names a copy of the icon drawn on a plate of that colour.
    """
    if relative.startswith(PLATE_PREFIX):
        colour, _, rest = relative[len(PLATE_PREFIX):].partition("/")
        return plated_icon_path(rest, "#" + colour)
    path = resources_dir() / relative
    return path if path.is_file() else resources_dir() / "generic" / "generic.png"


PLATE_PREFIX = "plate-"
PLATE_PAD = 0.12  # of the artwork's longer side, around it
PLATE_RADIUS = 0.18


def themed_icon(relative: str, background: str, plate: str) -> str:
    """The icon to draw on ``background``: itself, or ``plate-RRGGBB/<icon>`` when its
    artwork has too little contrast there (computed from its pixels, see ``contrast``)."""
    from archgen.render.contrast import needs_plate

    if needs_plate(icon_path(relative), background, plate):
        return f"{PLATE_PREFIX}{plate.lstrip('#').lower()}/{relative}"
    return relative


@lru_cache(maxsize=1)
def _plates_dir() -> Path:
    """A private folder for plated icon copies, made once per process and removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="archgen-plates-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@lru_cache(maxsize=256)
def plated_icon_path(relative: str, plate: str) -> Path:
    """A copy of the icon on a rounded plate of colour ``plate`` that hugs its artwork."""
    from PIL import Image

    target = _plates_dir() / f"{PLATE_PREFIX}{plate.lstrip('#').lower()}" / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(icon_path(relative)) as img:
            on_plate(img, plate).save(target, format="PNG", optimize=False)
    return target


def on_plate(image, plate: str):
    """The image's artwork (its opaque bounding box) on a rounded plate of colour ``plate``,
    PLATE_PAD of the artwork's longer side around it: a plate that hugs a wide logo."""
    from PIL import Image, ImageDraw

    from archgen.render.contrast import hex_rgb

    rgba = image.convert("RGBA")
    art = rgba.crop(rgba.getbbox() or (0, 0, *rgba.size))
    pad = round(max(art.size) * PLATE_PAD)
    size = (art.width + 2 * pad, art.height + 2 * pad)
    out = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(out).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1),
                                          radius=round(min(size) * PLATE_RADIUS),
                                          fill=(*hex_rgb(plate), 255))
    out.alpha_composite(art, (pad, pad))
    return out


FADED_PREFIX = "faded/"
FADED_ALPHA = 0.28


@lru_cache(maxsize=1)
def _faded_dir() -> Path:
    """A private folder for faded icon copies, made once per process and removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="archgen-icons-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@lru_cache(maxsize=256)
def faded_icon_path(relative: str) -> Path:
    """A copy of the icon with its opacity lowered, for faded parts of a view."""
    from PIL import Image

    target = _faded_dir() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(icon_path(relative)) as img:
            rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A").point(lambda a: int(a * FADED_ALPHA))
        rgba.putalpha(alpha)
        rgba.save(target, format="PNG", optimize=False)
    return target


def embedded_roots() -> list[tuple[Path, str]]:
    """Folders whose icons are embedded in SVG, with the prefix naming them in data_uri()."""
    roots = [(resources_dir(), "")]
    if _plates_dir.cache_info().currsize:
        roots.append((_plates_dir(), ""))
    if _faded_dir.cache_info().currsize:
        roots.append((_faded_dir(), FADED_PREFIX))
    return roots


def _icon_bytes(relative: str) -> bytes:
    if relative.startswith(FADED_PREFIX):
        return faded_icon_path(relative[len(FADED_PREFIX):]).read_bytes()
    return icon_path(relative).read_bytes()


@lru_cache(maxsize=512)
def data_uri(relative: str) -> str:
    """The icon as a data URI, for self-contained SVG (``faded/...`` names a faded copy)."""
    return "data:image/png;base64," + base64.b64encode(_icon_bytes(relative)).decode("ascii")


@lru_cache(maxsize=512)
def icon_pixels(relative: str) -> tuple[int, int] | None:
    """Width and height in pixels of the icon named as in ``data_uri``; None if it is no PNG."""
    head = _icon_bytes(relative)[:24]
    if not head.startswith(b"\x89PNG\r\n\x1a\n") or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
