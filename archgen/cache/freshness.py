"""Are outputs current? Decided by keys (inside the file, and in a build manifest), never pixels."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from archgen.cache.stamp import read_key


def output_problem(path: Path, key: str, recorded: str | None = None) -> str | None:
    """Why the output at ``path`` is not the one ``key`` describes, or None when it is.

    ``recorded`` is the key a build manifest recorded for the file, if it records one.
    """
    if not path.is_file():
        return "missing"
    inside = read_key(path)
    if inside is None:
        return "stale (it carries no archgen key)"
    if inside != key:
        return "stale (drawn from a different spec, options, archgen or Graphviz)"
    if recorded is not None and recorded != key:
        return "stale (the build manifest records a different key)"
    return None


def problems(folder: Path, keys: Mapping[str, str], recorded: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{file name: why}`` for each of ``keys`` (file name → expected key) in ``folder`` that
    is missing or stale; ``recorded`` holds the keys a build manifest recorded, by file name."""
    recorded = recorded or {}
    out = {}
    for file_name, key in keys.items():
        why = output_problem(folder / file_name, key, recorded.get(file_name))
        if why:
            out[file_name] = why
    return out
