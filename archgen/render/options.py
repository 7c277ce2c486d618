"""How to draw: the output formats and the render options every drawing command shares."""

from __future__ import annotations

from dataclasses import dataclass, replace

from archgen.errors import UsageError

FORMATS = ("png", "svg", "pdf", "dot")
DEFAULT_FORMATS = ("png", "svg")


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    scale: float = 1.0
    theme: str | None = None
    legend: bool = False
    annotate: bool = False  # mark the components and flows that have warnings
    collapse: bool = False  # draw each top-level group as one node with counted edges

    def with_formats(self, formats: tuple[str, ...]) -> RenderOptions:
        """The same options for other formats."""
        return replace(self, formats=formats)


def parse_formats(text: str) -> tuple[str, ...]:
    """``"png,svg"`` → ``("png", "svg")``; unknown formats are a usage error."""
    formats = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown output format {', '.join(bad) or '(none)'}",
                         hint=f"choose from {', '.join(FORMATS)}")
    return formats
