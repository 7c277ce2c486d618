"""The build manifest: which spec and which key produced each file of an output folder.

``archgen build`` keeps it as ``.archgen-manifest.json`` in the output folder. Spec paths
are stored relative to that folder, so the manifest holds wherever the build is run from.
Only files the manifest records are ever removed by pruning.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from archgen.files import write_atomic

MANIFEST_NAME = ".archgen-manifest.json"
FORMAT_VERSION = 1


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

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest; an absent or unreadable one is empty (nothing will be pruned)."""
        manifest = cls(folder)
        try:
            data = json.loads(manifest.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return manifest
        outputs = data.get("outputs") if isinstance(data, dict) else None
        if data.get("version") != FORMAT_VERSION or not isinstance(outputs, dict):
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
            if self.path.read_text(encoding="utf-8") == text:
                return False
        except OSError:
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
