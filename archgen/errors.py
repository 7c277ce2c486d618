"""The one exception family domain code raises; only the CLI turns it into an exit code."""

from __future__ import annotations


class ArchgenError(Exception):
    """Base class for every error archgen raises on purpose."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ArchgenError):
    """The command line asked for something impossible (missing file, bad option)."""


class RenderError(ArchgenError):
    """Rendering or writing output failed (Graphviz, disk, permissions)."""


class CatalogError(ArchgenError):
    """The packaged catalog data is broken; a bug in archgen, not in the spec."""


class GraphvizWarning(UserWarning):
    """Trouble Graphviz reported while laying out a picture that was still drawn."""


class Interrupted(BaseException):
    """SIGTERM or SIGINT arrived: unwind (temporary files removed, drawing processes stopped)
    and exit with 128 + the signal's number. A BaseException, so no ``except Exception``
    on the way swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
