"""The console entry point: answers ``--version`` and ``-h``, and runs a plainly written
``archgen check``, without importing typer.

A linter is run often and from editors, hooks and CI; asking it its version or its
options, or checking a spec, should cost little more than starting Python and doing the
work. Importing typer and building its app costs about as much as a small check, so
``archgen check SPEC... [options]`` is parsed here when every word of it is one this
parser reads exactly as typer does (see ``parse_check``); anything else (an unknown or
bad option, a value typer would refuse or word an error for, ``-h``, option clusters such
as ``-qf json``) goes to the typer app in ``archgen.cli``, which runs the same
``archgen.cli_core.run_check``.
"""

from __future__ import annotations

import os
import sys

HELP_FLAGS = ("-h", "--help")
VERSION_FLAGS = ("-V", "--version")

# ``archgen check``'s options: name -> (parameter, kind). Kinds: "flag" (no value),
# "str", "list" (repeatable str), "path", "int" (--max-bytes' range), "format", "color".
# tests/test_entry.py keeps this table equal to the typer command's options.
CHECK_OPTIONS = {
    "--format": ("fmt", "format"), "-f": ("fmt", "format"),
    "--output-file": ("output_file", "path"),
    "--strict": ("strict", "flag"),
    "--ignore": ("ignore", "list"),
    "--max-bytes": ("max_bytes", "int"),
    "--quiet": ("quiet", "flag"), "-q": ("quiet", "flag"),
    "--color": ("color", "color"),
    "--stdin-filename": ("stdin_filename", "str"),
    "--config": ("config_file", "path"),
}
MAX_BYTES_RANGE = (1, 1 << 30)  # archgen.cli's MaxBytes option


def fast_answer(argv: list[str]) -> str | None:
    """The text for ``archgen -V``, ``archgen -h`` or ``archgen COMMAND -h``, else None."""
    if len(argv) == 1 and argv[0] in VERSION_FLAGS:
        from archgen import __version__

        return f"archgen {__version__}\n"
    if len(argv) in (1, 2) and argv[-1] in HELP_FLAGS:
        from archgen.helptext import HELP

        return HELP.get(argv[0] if len(argv) == 2 else "")
    return None


def parse_check(args: list[str]) -> dict | None:
    """``archgen check``'s arguments (the words after ``check``) as ``run_check``'s keyword
    arguments, the same values typer would pass; None when typer should read them.

    click's rules, for the words read here: options and spec arguments may mix; ``--``
    ends the options; ``-`` is an argument; ``--name=value`` or ``--name value``; a value
    is the next word whatever it looks like; an option given twice keeps the last value
    (``--ignore`` keeps all). Short options are read only on their own (``-q``, ``-f json``)."""
    values: dict = {"specs": []}
    only_specs = False
    words = iter(args)
    for word in words:
        if only_specs or word == "-" or not word.startswith("-"):
            values["specs"].append(word)
            continue
        if word == "--":
            only_specs = True
            continue
        name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in CHECK_OPTIONS:
            return None
        param, kind = CHECK_OPTIONS[name]
        if kind == "flag":
            if eq:
                return None  # click refuses a value for a flag
            values[param] = True
            continue
        raw = attached if eq else next(words, None)
        if raw is None:
            return None  # click: the option requires an argument
        value = _value(kind, raw)
        if value is None:
            return None
        if kind == "list":
            values.setdefault(param, []).append(value)
        else:
            values[param] = value
    if not values["specs"]:
        return None  # typer reports the missing argument
    values["typed"] = frozenset(values)
    return values


def _value(kind: str, raw: str):
    """One option value as typer converts it, or None where typer would refuse it or
    convert it another way (its own adapter words those errors)."""
    if kind in ("str", "list"):
        return raw
    if kind == "int":
        import re

        if not re.fullmatch(r"-?[0-9]+", raw):  # what archgen.cli_values reads itself
            return None
        number = int(raw)
        return number if MAX_BYTES_RANGE[0] <= number <= MAX_BYTES_RANGE[1] else None
    if kind == "path":
        if not raw:
            return None
        from pathlib import Path

        # typer's path check: a path that exists must be readable
        if os.path.lexists(raw) and not os.access(raw, os.R_OK):
            return None
        return Path(raw)
    from archgen.cli_core import ColorWhen, ReportFormat

    choices = ReportFormat if kind == "format" else ColorWhen
    return next((c for c in choices if c.value == raw), None)


def _plain_process() -> bool:
    """No shell-completion request (click answers ``_ARCHGEN_COMPLETE``-style variables),
    not Windows (click expands wildcards in arguments there)."""
    if os.name == "nt":
        return False
    return not any(k.startswith("_") and k.endswith("_COMPLETE") and v for k, v in os.environ.items())


class _Pacified:
    """A standard stream whose final flush ignores a closed pipe (click's PacifyFlushWrapper)."""

    def __init__(self, wrapped) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        import errno

        try:
            self.wrapped.flush()
        except OSError as exc:  # pragma: no cover - the reader went away
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, attr: str):
        return getattr(self.wrapped, attr)


def run_fast_check(args: list[str]) -> int | None:
    """Run ``archgen check`` without typer and give its exit code; None: typer should."""
    options = parse_check(args) if _plain_process() else None
    if options is None:
        return None
    import errno

    from archgen.cli_core import guarded, run_check

    try:
        return guarded(lambda: run_check(**options))
    except OSError as exc:  # as click does: a reader that went away (``| head``) ends it quietly
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _Pacified(sys.stdout)
        sys.stderr = _Pacified(sys.stderr)
        return 1


def main() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    text = fast_answer(argv)
    if text is not None:
        sys.stdout.write(text)
        return
    if argv[:1] == ["check"]:
        code = run_fast_check(argv[1:])
        if code is not None:
            sys.exit(code)
    from archgen.cli import main as cli_main

    cli_main()
