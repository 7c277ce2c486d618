"""The build manifest: which spec and which key produced each file of an output folder.

``archgen build`` keeps it as ``.archgen-manifest.json`` in the output folder. Spec paths
are stored relative to that folder, so the manifest holds wherever the build is run from.
Only files the manifest records, and that carry archgen's key inside, are ever removed by
pruning: a manifest is a file anyone can commit. A manifest that is not one (not JSON, not
UTF-8, not an object of this version) is read as empty, with a warning. One build at a time
holds the output folder (``locked``), so two builds into one folder lose no update.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archgen.files import file_kind, folder_error, read_limited, write_atomic

MANIFEST_NAME = ".archgen-manifest.json"
FORMAT_VERSION = 1
# A manifest line pair is about 150 bytes: this is some 400,000 outputs, far past any real folder.
MAX_MANIFEST_BYTES = 64 << 20


@dataclass(frozen=True)
class Entry:
    """One output file: the spec it was drawn from (relative to the folder) and its key."""

    spec: str
    key: str


def safe_name(name: str) -> bool:
    """An output name the manifest may point at: a plain file name inside the folder."""
    return (bool(name) and name == Path(name).name and name not in (".", "..")
            and not name.startswith(".") and "\\" not in name and "/" not in name)


@dataclass
class Manifest:
    """The outputs of one folder, by file name."""

    folder: Path
    outputs: dict[str, Entry] = field(default_factory=dict)
    warning: str | None = None  # why a manifest file there was read as empty

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest; an absent one is empty, and so (with ``warning`` saying why)
        is one that cannot be read or is not a manifest: nothing will be pruned."""
        manifest = cls(folder)
        why = None
        try:
            raw = _read(manifest.path)
            if len(raw) > MAX_MANIFEST_BYTES:
                raise _NotAManifest(f"is larger than {MAX_MANIFEST_BYTES:,} bytes")
            data = json.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            return manifest
        except _NotAManifest as exc:
            why = exc.why
        except OSError as exc:
            why = f"cannot be read ({exc.strerror})"
        except UnicodeDecodeError:
            why = "is not UTF-8 text"
        except ValueError:
            why = "is not valid JSON"
        except RecursionError:  # json nests a list per "[": 100,000 of them exhaust the stack
            why = "is not valid JSON (it nests too deep)"
        else:
            outputs = data.get("outputs") if isinstance(data, dict) else None
            if not isinstance(data, dict):
                why = f"holds a JSON {_json_kind(data)}, not an object"
            elif data.get("version") != FORMAT_VERSION or not isinstance(outputs, dict):
                why = f"is not a version {FORMAT_VERSION} archgen manifest"
        if why:
            manifest.warning = (f"{manifest.path} {why}; it is read as empty (nothing is pruned) "
                                "and written anew")
            return manifest
        for name, entry in outputs.items():
            if (safe_name(name) and isinstance(entry, dict) and isinstance(entry.get("spec"), str)
                    and isinstance(entry.get("key"), str)):
                manifest.outputs[name] = Entry(entry["spec"], entry["key"])
        return manifest

    def text(self) -> str:
        """The manifest as written: sorted, one output per line pair, trailing newline."""
        outputs = {name: {"spec": e.spec, "key": e.key} for name, e in sorted(self.outputs.items())}
        return json.dumps({"version": FORMAT_VERSION, "generator": "archgen", "outputs": outputs},
                          indent=1, sort_keys=True) + "\n"

    def save(self) -> bool:
        """Write the manifest if it changed; returns whether it wrote."""
        text = self.text()
        try:
            if _read(self.path) == text.encode("utf-8"):
                return False
        except (OSError, _NotAManifest):  # absent, or not a file: the rename below replaces it
            if not self.outputs:
                return False
        write_atomic(self.path, text.encode("utf-8"))
        return True

    def ref(self, spec_path: str | os.PathLike) -> str:
        """How the manifest names a spec: its path relative to the folder, with ``/``."""
        rel = os.path.relpath(os.path.abspath(spec_path), os.path.abspath(self.folder))
        return rel.replace(os.sep, "/")

    def spec_file(self, entry: Entry) -> Path:
        """The spec file an entry names."""
        return Path(os.path.normpath(os.path.join(os.path.abspath(self.folder), entry.spec)))

    def key(self, name: str) -> str | None:
        entry = self.outputs.get(name)
        return entry.key if entry else None


class _NotAManifest(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _read(path: Path) -> bytes:
    """The manifest's bytes (at most one past the limit), opened without blocking: a FIFO, a
    device or a link to one (``/dev/zero``) is never read, so no build waits or fills memory."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb", buffering=0) as fh:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind != "file":
            raise _NotAManifest(f"is {kind}")
        return read_limited(fh, MAX_MANIFEST_BYTES + 1)


def _json_kind(value) -> str:
    return {str: "string", list: "list", bool: "boolean", type(None): "null"}.get(type(value), "number")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the output folder for one build: an exclusive ``flock`` on the folder itself (no
    lock file is left behind); a second build into it waits until the first has saved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise folder_error(folder, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
