"""Project configuration: ``.archgen.yaml`` or ``[tool.archgen]`` in ``pyproject.toml``.

The nearest one wins, searched from a folder upward (in one folder ``.archgen.yaml`` comes
before ``pyproject.toml``; a ``pyproject.toml`` without ``[tool.archgen]`` is passed over).
Keys, all optional::

    ignore: [W201, W4]            # codes or prefixes suppressed everywhere
    strict: true                  # warnings fail too
    formats: [png, svg]           # picture formats for render and build (or "png,svg")
    output: docs/img              # output folder, relative to the configuration file
    theme: dark                   # light | dark
    scale: 2                      # PNG resolution factor
    max-bytes: 1000000            # largest spec accepted
    per-file-ignores:             # glob (relative to the configuration file) -> codes
      "legacy/*.yaml": [W301]

Options given on the command line replace these values. An unknown key is a finding
(W501) at its position, with a did-you-mean; a value of the wrong kind is a usage error
that names the file, line and column.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archgen.errors import UsageError
from archgen.files import file_kind
from archgen.findings import Finding
from archgen.model.loader import MAX_BYTES_CEILING
from archgen.suggest import did_you_mean

CODES = ("W501",)  # what reading a configuration file reports

YAML_NAME = ".archgen.yaml"
PYPROJECT = "pyproject.toml"
KEYS = ("ignore", "strict", "formats", "output", "theme", "scale", "max-bytes", "per-file-ignores")


@dataclass(frozen=True)
class Config:
    """The settings a configuration file gives; ``None`` where it says nothing."""

    path: Path | None = None
    ignore: tuple[str, ...] | None = None
    strict: bool | None = None
    formats: str | None = None  # comma-separated, as the -T option takes it
    output: Path | None = None
    theme: str | None = None
    scale: float | None = None
    max_bytes: int | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    def ignores_for(self, spec: str | os.PathLike) -> tuple[str, ...]:
        """The codes ``per-file-ignores`` suppresses in this spec (patterns match the path
        relative to the configuration file's folder, or any folder above the spec)."""
        if self.path is None or not self.per_file_ignores:
            return ()
        try:
            relative = Path(os.path.abspath(spec)).relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return ()
        parts = relative.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            pattern = pattern.rstrip("/")
            if any(fnmatch.fnmatchcase(p, pattern) for p in prefixes):
                out.extend(codes)
        return tuple(out)


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest configuration file from ``start`` (default: the current folder) upward,
    named relative to the current folder (as findings show it)."""
    folder = Path(start or os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        for path in (candidate / YAML_NAME, candidate / PYPROJECT):
            if path.is_file() and (path.name == YAML_NAME or _has_tool_table(path)):
                return _shown(path)
    return None


def _shown(path: Path) -> Path:
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # pragma: no cover - another drive on Windows
        return path


def discover(start: str | os.PathLike | None = None, explicit: str | os.PathLike | None = None) -> Config:
    """The configuration in force: ``explicit`` (``--config FILE``) or the nearest one."""
    if explicit is not None:
        path = Path(explicit)
        if path.exists() and not path.is_file():  # a FIFO or a device is never opened
            raise UsageError(f"{explicit}: is {file_kind(path.stat().st_mode)}, not a configuration file",
                             hint="name a .archgen.yaml file or a pyproject.toml with [tool.archgen]")
        if not path.is_file():
            raise UsageError(f"{explicit}: no such configuration file",
                             hint="name a .archgen.yaml file or a pyproject.toml with [tool.archgen]")
        return load_config(path)
    path = find_config(start)
    return load_config(path) if path else Config()


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*archgen\s*[\].]", text, re.MULTILINE) is not None


def load_config(path: Path) -> Config:
    """Read one configuration file; its problems are findings or usage errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: the configuration cannot be read ({exc})") from exc
    if path.name.endswith(".toml"):
        data, where = _read_toml(path, text)
    else:
        data, where = _read_yaml(path, text)
    return _settle(path, data, where)


def _read_yaml(path: Path, text: str):
    from archgen.model.loader import load_text

    doc, findings = load_text(text, str(path))
    errors = [f for f in findings if f.is_error]
    if errors:
        f = errors[0]
        raise UsageError(f"{path}:{f.line}:{f.column}: {f.message}", hint=f.hint)
    if doc is None:  # an empty file configures nothing
        return {}, lambda key, on_key=True: (1, 1)

    def where(key: tuple, on_key: bool = True) -> tuple[int, int]:
        return doc.positions.locate(key, on_key=on_key)

    return doc.data, where


def _read_toml(path: Path, text: str):
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or inline table
        raise UsageError(f"{path}: not valid TOML: arrays or tables nest too deep",
                         hint="the [tool.archgen] settings are flat lists and values") from exc
    table = (data.get("tool") or {}).get("archgen") or {}
    lines = text.splitlines()

    def where(key: tuple, on_key: bool = True) -> tuple[int, int]:
        """The line of ``key`` inside ``[tool.archgen]`` (tomllib keeps no positions)."""
        section, name = ("tool.archgen", key[0]) if len(key) == 1 else (f"tool.archgen.{key[0]}", key[1])
        inside = False
        for number, line in enumerate(lines, start=1):
            header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
            if header:
                current = re.sub(r"\s+", "", header.group(1)).replace('"', "")
                inside = current == section
                if len(key) == 1 and current == f"tool.archgen.{name}":
                    return number, line.index("[") + 1
                continue
            match = re.match(r'^(\s*)["\']?' + re.escape(str(name)) + r'["\']?\s*=', line)
            if inside and match:
                return number, len(match.group(1)) + 1
        return 1, 1

    return table, where


def _bad(path: Path, where, key: str, message: str) -> UsageError:
    line, column = where((key,), on_key=False)
    return UsageError(f"{path}:{line}:{column}: `{key}` {message}", hint="see the configuration keys in the README")


def _codes(path, where, key, value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(path, where, key, "must be a list of finding codes, for example [W201, W4]")
    return tuple(value)


def _settle(path: Path, data: Any, where) -> Config:
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1:1: the configuration must be a mapping of keys")
    findings = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            line, column = where((key,))
            import difflib

            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = did_you_mean(close) or f"the keys are {', '.join(KEYS)}"
            findings.append(Finding("W501", f"unknown configuration key `{key}`", (key,), hint=hint,
                                    file=str(path), line=line, column=column))
            continue
        values[key] = value
    out: dict[str, Any] = {}
    if "ignore" in values:
        out["ignore"] = _codes(path, where, "ignore", values["ignore"])
    if "strict" in values:
        if not isinstance(values["strict"], bool):
            raise _bad(path, where, "strict", "must be true or false")
        out["strict"] = values["strict"]
    if "formats" in values:
        value = values["formats"]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise _bad(path, where, "formats", "must be a list of picture formats, for example [png, svg]")
        out["formats"] = value
    if "output" in values:
        if not isinstance(values["output"], str):
            raise _bad(path, where, "output", "must be a folder name")
        out["output"] = path.parent / values["output"]
    if "theme" in values:
        if values["theme"] not in ("light", "dark"):
            raise _bad(path, where, "theme", "must be light or dark")
        out["theme"] = values["theme"]
    if "scale" in values:
        value = values["scale"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.25 <= value <= 8:
            raise _bad(path, where, "scale", "must be a number from 0.25 to 8")
        out["scale"] = float(value)
    if "max-bytes" in values:
        value = values["max-bytes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BYTES_CEILING:
            raise _bad(path, where, "max-bytes", f"must be a whole number of bytes from 1 to {MAX_BYTES_CEILING:,}")
        out["max_bytes"] = value
    if "per-file-ignores" in values:
        table = values["per-file-ignores"]
        if not isinstance(table, dict):
            raise _bad(path, where, "per-file-ignores", "must map file patterns to codes")
        out["per_file_ignores"] = tuple((str(pattern), _codes(path, where, "per-file-ignores", codes))
                                        for pattern, codes in table.items())
    return Config(path=path, findings=tuple(findings), **out)
