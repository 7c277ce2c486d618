"""Reading specs within a size bound, and writing outputs atomically: every output of a
command, or none of them."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from archgen.errors import RenderError

_CHUNK = 1 << 20
_KINDS = ((stat.S_ISREG, "file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """``"file"`` for a regular file, else what it is (``"a FIFO (named pipe)"``...)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_limited(fh: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fh``, read in chunks: memory grows with what is read,
    never with the limit asked for."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        chunk = fh.read(min(_CHUNK, limit - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def folder_error(folder: Path, exc: OSError) -> RenderError:
    """Why an output folder cannot be made or written: a file standing where a folder must
    be is named as such; anything else with the system's reason."""
    for part in (folder, *folder.parents):
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                return RenderError(f"cannot write into {folder}: {part} is a file, not a folder",
                                   hint="give -o a folder, or move the file away")
            break
    return RenderError(f"cannot write into {folder}: {exc.strerror}",
                       hint="check that the output folder exists and is writable")


def _temp_copy(path: Path, data: bytes) -> str:
    """Write data to a new temporary file beside ``path``; returns its name."""
    import tempfile

    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise folder_error(folder, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise RenderError(f"cannot write {path}: {exc.strerror}",
                          hint="check free disk space and permissions") from exc
    return tmp


# `.<name>.<pid>.<random>.tmp`: the temporary files _temp_copy makes (mkstemp's 8 characters)
_TEMP_NAME = re.compile(r"\..+\.([0-9]+)\.[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove archgen's temporary files in ``folder`` whose process is gone (killed before it
    could clean up); returns them. Another live process's temporaries are left alone."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TEMP_NAME.fullmatch(name)
        if m is None or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
            removed.append(folder / name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process (or no such number): not ours to judge
        return True
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    write_all({path: data})


def write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every output, or none: all temporary files first, then one rename each.

    A failure while writing (full disk, permissions, a kill) leaves every earlier output
    as it was; the renames at the end are atomic one by one.
    """
    temps: list[tuple[str, Path]] = []
    for folder in {path.parent for path in outputs}:
        remove_stale_temporaries(folder)
    try:
        for path, data in outputs.items():
            temps.append((_temp_copy(path, data), path))
        for tmp, path in temps:
            os.replace(tmp, path)
    except OSError as exc:
        # a rename names the temporary file first: the user knows the output's name
        target = exc.filename2 or next((str(path) for tmp, path in temps if tmp == exc.filename), exc.filename)
        raise RenderError(f"cannot write {target or 'the output'}: {exc.strerror}",
                          hint="check free disk space and permissions") from exc
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return list(outputs)
