"""Output names: ``<stem>[--<view>[-<step>]].<format>``, built here and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path


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
