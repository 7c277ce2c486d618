"""The catalog: services, integration rules and EC2 instance families, loaded from data files."""

from __future__ import annotations

from importlib import resources

import yaml

from archgen.errors import CatalogError


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
