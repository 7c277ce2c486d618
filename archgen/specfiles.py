"""Finding spec files: ``*.archgen.yaml`` / ``*.archgen.yml`` under folders, plus files named."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from archgen.errors import UsageError
from archgen.files import read_limited

SPEC_SUFFIXES = (".archgen.yaml", ".archgen.yml")
# never searched: dependencies and tool caches hold other projects' files
SKIP_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages"})


def is_spec_name(name: str) -> bool:
    """Whether a file name marks an archgen spec (``*.archgen.yaml`` or ``*.archgen.yml``)."""
    return name.endswith(SPEC_SUFFIXES) and not name.startswith(".")


def _skip(folder: str, name: str) -> bool:
    return (name.startswith(".") or name in SKIP_FOLDERS
            or os.path.exists(os.path.join(folder, name, "pyvenv.cfg")))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skip(folder, d))
        found.extend(Path(folder) / f for f in sorted(files) if is_spec_name(f))
    return found


def find_specs(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Every spec under the given paths, each once, in a stable order.

    A folder is searched recursively for ``*.archgen.yaml`` and ``*.archgen.yml`` (hidden
    folders, virtual environments and ``node_modules`` are skipped); a file named
    explicitly is a spec whatever its name. A path that does not exist is a usage error.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = _walk(path)
        elif path.is_file():
            candidates = [path]
        else:
            raise UsageError(f"{raw}: no such file or folder", hint="name spec files or folders that hold them")
        for candidate in candidates:
            real = candidate.resolve()
            if real not in seen:
                seen.add(real)
                out.append(candidate)
    return out


YAML_SUFFIXES = (".yaml", ".yml")
# a spec says its format version at the top level: `archgen: 1` at the start of a line
_ARCHGEN_KEY = re.compile(rb"^archgen[ \t]*:", re.MULTILINE)


def is_archgen_yaml(path: Path, max_bytes: int = 2 * 1024 * 1024) -> bool:
    """Whether a YAML file is an archgen spec: a regular file with the top-level ``archgen:``
    key. A FIFO or device is never opened for reading (it could block or never end)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the first look
                return False
            head = read_limited(fh, max_bytes)
    except OSError:
        return False
    return _ARCHGEN_KEY.search(head) is not None


def _walk_yaml(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skip(folder, d))
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".") and is_archgen_yaml(path):
                found.append(path)
    return found


def expand_spec_args(args: Iterable[str | os.PathLike]) -> tuple[list[str], list[str]]:
    """``check``/``render`` arguments: files as given, ``-`` (standard input) as is, and for
    each folder every ``*.yaml``/``*.yml`` under it that is an archgen spec. Each file once.

    Returns the specs and the folders in which none was found. A path that does not exist
    is a usage error.
    """
    out: list[str] = []
    empty: list[str] = []
    seen: set[Path] = set()
    for raw in args:
        text = os.fspath(raw)
        if text == "-":
            out.append(text)
            continue
        path = Path(text)
        if path.is_dir():
            candidates = _walk_yaml(path)
            if not candidates:
                empty.append(text)
        elif path.exists():
            candidates = [path]
        else:
            raise UsageError(f"{text}: no such file or folder", hint="check the path of the spec")
        for candidate in candidates:
            real = candidate.resolve()
            if real not in seen:
                seen.add(real)
                out.append(str(candidate))
    return out, empty
