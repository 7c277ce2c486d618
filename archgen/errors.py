"""The one exception family domain code raises; only the CLI turns it into an exit code."""

from __future__ import annotations


class ArchgenError(Exception):
    """Base class for every error archgen raises on purpose."""

    exit_code = 3

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ArchgenError):
    """The command line asked for something impossible (missing file, bad option)."""

    exit_code = 2


class RenderError(ArchgenError):
    """Rendering or writing output failed (Graphviz, disk, permissions)."""

    exit_code = 3


class CatalogError(ArchgenError):
    """The packaged catalog data is broken; a bug in archgen, not in the spec."""

    exit_code = 3
