"""The console entry point: answers ``--version`` and ``-h`` without importing typer.

A linter is run often and from editors; asking it its version or its options should cost
no more than starting Python. Everything else goes to the typer app in ``archgen.cli``.
"""

from __future__ import annotations

import sys

HELP_FLAGS = ("-h", "--help")
VERSION_FLAGS = ("-V", "--version")


def fast_answer(argv: list[str]) -> str | None:
    """The text for ``archgen -V``, ``archgen -h`` or ``archgen COMMAND -h``, else None."""
    if len(argv) == 1 and argv[0] in VERSION_FLAGS:
        from archgen import __version__

        return f"archgen {__version__}\n"
    if len(argv) in (1, 2) and argv[-1] in HELP_FLAGS:
        from archgen.helptext import HELP

        return HELP.get(argv[0] if len(argv) == 2 else "")
    return None


def main() -> None:
    """Console-script entry point."""
    text = fast_answer(sys.argv[1:])
    if text is not None:
        sys.stdout.write(text)
        return
    from archgen.cli import main as cli_main

    cli_main()
