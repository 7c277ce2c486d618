"""The catalog: services, integration rules and EC2 instance families, loaded from data files."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

import yaml

from archgen.errors import CatalogError

DATA_FILES = ("services.yaml", "integrations.yaml", "instances.yaml", "codes.yaml")


def read_data(name: str) -> dict:
    """Parse one packaged data file."""
    try:
        text = resources.files("archgen.data").joinpath(name).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"archgen's data file {name} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"archgen's data file {name} is not a mapping")
    return data


@lru_cache(maxsize=1)
def data_digest() -> str:
    """A digest of every packaged data file: part of any cache key for rendered output."""
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(resources.files("archgen.data").joinpath(name).read_bytes())
    return h.hexdigest()
