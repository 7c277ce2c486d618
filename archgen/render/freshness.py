"""Are the outputs of a spec current? Decided by keys (inside the file, in the manifest), never pixels."""

from __future__ import annotations

import os
from pathlib import Path

from archgen.errors import UsageError
from archgen.manifest import Manifest
from archgen.render.keys import output_keys
from archgen.render.output import stem
from archgen.render.pipeline import RenderOptions
from archgen.render.stamp import read_key


def output_problem(path: Path, key: str, manifest_key: str | None = None) -> str | None:
    """Why the output at ``path`` is not the one ``key`` describes, or None when it is.

    ``manifest_key`` is what a build manifest recorded for the file, if it records it.
    """
    if not path.is_file():
        return "missing"
    inside = read_key(path)
    if inside is None:
        return "stale (it carries no archgen key)"
    if inside != key:
        return "stale (drawn from a different spec, options, archgen or Graphviz)"
    if manifest_key is not None and manifest_key != key:
        return "stale (the build manifest records a different key)"
    return None


def check_outputs(spec_path: str | os.PathLike, out_dir: str | os.PathLike, options: RenderOptions,
                  suffixes: tuple[str, ...] = ("",), source: bytes | None = None,
                  use_manifest: bool = True) -> list[str]:
    """``["<out>/<name>.<fmt>: missing", "...: stale (...)"]`` for the outputs of one spec.

    ``suffixes`` are the pictures expected (``""``: the whole diagram; ``"--ingest"``: a
    view). ``source`` is the spec's bytes when the caller has read them already. With
    ``use_manifest`` a build manifest in ``out_dir`` that records another key for a file
    makes it stale too. Writes nothing; an empty list means every expected output is current.
    """
    if source is None:
        try:
            source = Path(spec_path).read_bytes()
        except OSError as exc:
            raise UsageError(f"{spec_path}: cannot be read ({exc.strerror})") from exc
    folder = Path(out_dir)
    manifest = Manifest.load(folder) if use_manifest else Manifest(folder)
    name = stem(spec_path)
    problems = []
    for suffix in suffixes:
        for file_name, key in output_keys(source, name, options, suffix).items():
            path = folder / file_name
            why = output_problem(path, key, manifest.key(file_name))
            if why:
                problems.append(f"{path}: {why}")
    return problems
