"""Icons come from the resources bundled with the `diagrams` package."""

from __future__ import annotations

import base64
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
    """Absolute path of an icon; the generic icon when the file is missing."""
    path = resources_dir() / relative
    return path if path.is_file() else resources_dir() / "generic" / "generic.png"


@lru_cache(maxsize=256)
def data_uri(relative: str) -> str:
    """The icon as a data URI, for self-contained SVG."""
    raw = icon_path(relative).read_bytes()
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
