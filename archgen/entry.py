"""The console entry point: answers ``--version`` and ``-h``, and runs a plainly written
``archgen check`` or ``archgen render``, without importing typer.

A linter is run often and from editors, hooks and CI; asking it its version or its
options, or checking or drawing a spec, should cost little more than starting Python and
doing the work. Importing typer and building its app costs about as much as a small check,
so ``archgen check|render SPEC... [options]`` is parsed here when every word of it is one
this parser reads exactly as typer does (see ``parse_words``); anything else (an unknown
or bad option, a value typer would refuse or word an error for, ``-h``, option clusters
such as ``-qf json``) goes to the typer app in ``archgen.cli``, which runs the same
``archgen.cli_core.run_check`` and ``run_render``.
"""

from __future__ import annotations

import os
import sys

HELP_FLAGS = ("-h", "--help")
VERSION_FLAGS = ("-V", "--version")

# A command's options: name -> (parameter, kind). Kinds: "flag" (no value), "str", "list"
# (repeatable str), "path", "int" (--max-bytes' range), "scale" (--scale's range), and the
# choices "format", "color", "theme". tests/test_entry.py keeps each table equal to the typer
# command's options.
_SHARED = {
    "--strict": ("strict", "flag"),
    "--ignore": ("ignore", "list"),
    "--max-bytes": ("max_bytes", "int"),
    "--quiet": ("quiet", "flag"), "-q": ("quiet", "flag"),
    "--color": ("color", "color"),
    "--stdin-filename": ("stdin_filename", "str"),
    "--config": ("config_file", "path"),
}
CHECK_OPTIONS = {
    "--format": ("fmt", "format"), "-f": ("fmt", "format"),
    "--output-file": ("output_file", "path"),
    **_SHARED,
}
RENDER_OPTIONS = {
    "--output": ("output", "path"), "-o": ("output", "path"),
    "--formats": ("formats", "str"), "-T": ("formats", "str"),
    "--scale": ("scale", "scale"),
    "--theme": ("theme", "theme"),
    "--legend": ("legend", "flag"),
    "--annotate": ("annotate", "flag"),
    "--collapse": ("collapse", "flag"),
    "--view": ("view", "list"),
    "--all-views": ("all_views", "flag"),
    "--check": ("check_only", "flag"),
    **_SHARED,
}
COMMANDS = {"check": CHECK_OPTIONS, "render": RENDER_OPTIONS}
MAX_BYTES_RANGE = (1, 1 << 30)  # archgen.cli's MaxBytes option
SCALE_RANGE = (0.25, 8.0)  # archgen.cli's Scale option


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
    arguments; None when typer should read them."""
    return parse_words(args, CHECK_OPTIONS)


def parse_words(args: list[str], options: dict[str, tuple[str, str]]) -> dict | None:
    """A command's arguments (the words after its name) as its ``run_*`` function's keyword
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
        if name not in options:
            return None
        param, kind = options[name]
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
    if kind == "scale":
        import re

        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw):  # plain decimals; typer words the rest
            return None
        number = float(raw)
        return number if SCALE_RANGE[0] <= number <= SCALE_RANGE[1] else None
    if kind == "path":
        if not raw:
            return None
        from pathlib import Path

        # typer's path check: a path that exists must be readable
        if os.path.lexists(raw) and not os.access(raw, os.R_OK):
            return None
        return Path(raw)
    from archgen.cli_core import ColorWhen, ReportFormat, ThemeName

    choices = {"format": ReportFormat, "color": ColorWhen, "theme": ThemeName}[kind]
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


def run_fast(command: str, args: list[str]) -> int | None:
    """Run ``archgen check`` or ``archgen render`` without typer and give its exit code;
    None: typer should."""
    options = parse_words(args, COMMANDS[command]) if _plain_process() else None
    if options is None:
        return None
    import errno

    from archgen import cli_core

    run = cli_core.run_check if command == "check" else cli_core.run_render
    try:
        return cli_core.guarded(lambda: run(**options))
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
    if argv[:1] and argv[0] in COMMANDS:
        code = run_fast(argv[0], argv[1:])
        if code is not None:
            sys.exit(code)
    from archgen.cli import main as cli_main

    cli_main()
