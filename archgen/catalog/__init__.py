"""The catalog: services, integration rules and EC2 instance families, loaded from data files.

Each packaged data file is read once per process (``data_files``); the same bytes feed the
parser and the cache keys of rendered outputs. Parsing YAML is the slow part, so the parsed
data is kept as JSON in a cache folder, under the SHA-256 of the file's bytes: an edited
data file simply gets a new entry. When the cache folder cannot be written (or read), the
YAML is parsed as before and nothing fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache, lru_cache
from pathlib import Path

from archgen.errors import CatalogError

CACHE_ENV = "ARCHGEN_CACHE_DIR"
CACHE_FORMAT = "catalog-1"


@lru_cache(maxsize=1)
def data_files() -> dict[str, bytes]:
    """``{file name: bytes}`` of every packaged data file, by name, read once."""
    folder = _data_folder()
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.startswith((".", "__")) and not entry.name.endswith(".py"):
            out[entry.name] = entry.read_bytes()
    return out


def _data_folder():
    """The packaged data folder: on disk beside this package in any normal install (found
    without ``importlib.resources``, whose import costs more than reading every file), else
    through ``importlib.resources`` (a zipped package)."""
    here = Path(__file__).resolve().parent.parent / "data"
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("archgen.data")


def cache_dir() -> Path:
    """Where parsed data files are kept: ``$ARCHGEN_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archgen"


@cache
def read_data(name: str) -> dict:
    """Parse one packaged data file (from the JSON cache when it holds these bytes)."""
    try:
        raw = data_files()[name]
    except KeyError:
        raise CatalogError(f"archgen's data file {name} is missing") from None
    digest = hashlib.sha256(CACHE_FORMAT.encode() + b"\0" + name.encode() + b"\0" + raw).hexdigest()
    cached = cache_dir() / f"{digest}.json"
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(cached.read_bytes())
        if isinstance(data, dict):
            return data
    data = _parse(name, raw)
    _store(cached, data)
    return data


def _parse(name: str, raw: bytes) -> dict:
    import yaml

    try:
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogError(f"archgen's data file {name} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"archgen's data file {name} is not a mapping")
    return _plain(data)


def _plain(value):
    """YAML dates as ISO text, so that parsed and cached data are the same values."""
    import datetime

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _store(path: Path, data: dict) -> None:
    """Write the cache entry atomically; skip data JSON cannot hold exactly, and any OS trouble."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if json.loads(text) != data:  # e.g. non-string keys: parse the YAML every time instead
        return
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".catalog.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
