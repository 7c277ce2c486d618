"""Finding spec files: ``*.archgen.yaml`` / ``*.archgen.yml`` under folders, plus files named."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from archgen.errors import UsageError
from archgen.files import file_kind, read_limited

CODES = ("E008",)  # what looking for spec files reports (archgen build)

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


def spec_file_problem(path: Path, root: Path | None = None) -> str | None:
    """Why ``path`` is not a spec file archgen may read, or None when it is one.

    A spec is a regular file. A symbolic link is followed only to a regular file inside
    ``root`` (the folder searched), so a link to ``/etc/passwd``, to ``/dev/stdin`` or to a
    FIFO is never opened; a dangling link or a link loop is named as such.
    """
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        try:
            real = os.path.realpath(path, strict=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "is a symbolic link loop"
            if exc.errno == errno.ENOENT:
                return "is a dangling symbolic link (its target does not exist)"
            return f"is a symbolic link that cannot be followed ({exc.strerror})"
        if root is not None and not Path(real).is_relative_to(os.path.realpath(root)):
            return f"is a symbolic link to a file outside {root}"
        try:
            info = os.stat(real)
        except OSError as exc:
            return f"cannot be looked at ({exc.strerror})"
    kind = file_kind(info.st_mode)
    return None if kind == "file" else f"is {kind}"


def find_specs(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every spec under the given paths, each once, in a stable order, and the entries
    that look like specs but are not files archgen reads, each with the reason.

    A folder is searched recursively for ``*.archgen.yaml`` and ``*.archgen.yml`` (hidden
    folders, virtual environments and ``node_modules`` are skipped); only regular files
    inside it, or links to them, are specs (``spec_file_problem``). A file named
    explicitly is a spec whatever its name, if it is a regular file (or a link to one). A
    path that does not exist is a usage error.
    """
    out: list[Path] = []
    refused: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates, root = _walk(path), path
        elif os.path.lexists(path):
            candidates, root = [path], None
        else:
            raise UsageError(f"{raw}: no such file or folder", hint="name spec files or folders that hold them")
        for candidate in candidates:
            problem = spec_file_problem(candidate, root)
            if problem:
                refused.append((candidate, problem))
                continue
            real = os.path.realpath(candidate)
            if real not in seen:
                seen.add(real)
                out.append(candidate)
    return out, refused


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
            if (name.endswith(YAML_SUFFIXES) and not name.startswith(".")
                    and spec_file_problem(path, root) is None and is_archgen_yaml(path)):
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
        elif os.path.lexists(path):  # a link that leads nowhere: say so, not "no such file"
            raise UsageError(f"{text}: {spec_file_problem(path)}", hint="name the spec file the link should lead to")
        else:
            raise UsageError(f"{text}: no such file or folder", hint="check the path of the spec")
        for candidate in candidates:
            real = candidate.resolve()
            if real not in seen:
                seen.add(real)
                out.append(str(candidate))
    return out, empty
