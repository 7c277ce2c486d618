"""Output names: ``<stem>[--<view>[-<step>]].<format>``, built here and nowhere else."""

from __future__ import annotations

import os
import re
from pathlib import Path

# Names Windows keeps for devices, whatever the case and extension (`con.svg`, `Com1.x.png`):
# a checkout cannot hold such a file. COM0/LPT0 and the superscript digits are in Microsoft's
# list too ("Naming Files, Paths, and Namespaces").
_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|(com|lpt)[0-9\u00b9\u00b2\u00b3])")


def stem(spec_path: str | os.PathLike) -> str:
    """``clickstream.archgen.yaml`` → ``clickstream``."""
    name = Path(spec_path).name
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith(".archgen"):
        name = name[: -len(".archgen")]
    return name or "spec"


def view_suffix(view: str | None, step: int | None = None) -> str:
    """The picture's part of the file name: ``--<view>``, ``--<view>-<step>``, or nothing
    for the whole diagram."""
    if not view:
        return ""
    return f"--{view}-{step}" if step is not None else f"--{view}"


def output_name(name: str, suffix: str, fmt: str) -> str:
    """The file name of one output: ``output_name("clickstream", "--ingest", "svg")`` →
    ``clickstream--ingest.svg``."""
    return f"{name}{suffix}.{fmt}"


def keyed_name(file: str, key: str) -> str:
    """An output's name with the start of its key before the format, for a file that must
    change name when its content changes: ``clickstream.svg`` → ``clickstream-0123456789ab.svg``."""
    base, dot, fmt = file.rpartition(".")
    return f"{base}-{key[:12]}{dot}{fmt}"


def unportable(file: str) -> str | None:
    """Why an output file name cannot exist on Windows, or None.

    Windows reads a name up to its first dot, trailing spaces dropped, as a device when it
    is one of ``_DEVICE``. Only the spec's stem can reach that part: a view or step comes
    after ``--``, and every name ends in ``.<format>`` (so never in the dot or space that
    Windows would also drop).
    """
    base = file.split(".", 1)[0].rstrip(" ")
    if _DEVICE.fullmatch(base):
        return f"`{base}` is a device name on Windows"
    return None
