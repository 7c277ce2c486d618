"""The command line's part that needs no typer: the whole ``archgen check`` once its options
are known, and the steps the other commands share with it.

``archgen.cli`` (the typer app) calls these, and so does ``archgen.entry``, which runs a
plainly written ``archgen check`` without importing typer at all: a linter is run on
every save and every commit, and importing typer and building its app is about half of
a small check. Like ``archgen.cli``, this module prints and chooses exit codes; it never
exits itself, it returns the code.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from archgen.errors import ArchgenError, GraphvizWarning, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_RENDER = 0, 1, 2, 3
STDIN = "-"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class ColorWhen(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class ThemeName(str, Enum):
    light = "light"
    dark = "dark"


# click's own pattern (``click._compat._ansi_re``): what echo strips when not colouring
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def _plain_stream(stream) -> bool:
    """A text stream click's echo writes to as it is (a non-ASCII encoding, not Windows)."""
    encoding = getattr(stream, "encoding", None)
    if stream is None or not encoding or sys.platform.startswith("win"):
        return False
    import codecs

    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def echo(message: str, err: bool = False, color: bool | None = None) -> None:
    """``typer.echo`` for text on the standard streams, without importing typer.

    The same bytes as click's echo: a newline added, ANSI codes removed unless colouring
    (``color`` None: only on a terminal), flushed. A stream click would rewrap (an ASCII
    encoding, a Windows console) goes to typer's own echo."""
    stream = sys.stderr if err else sys.stdout
    if not _plain_stream(stream):
        import typer

        typer.echo(message, err=err, color=color)
        return
    if not color and (color is not None or not _isatty(stream)):
        message = _ANSI.sub("", message)
    stream.write(message + "\n")
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:  # pragma: no cover - click's isatty does the same
        return False


def warn(message: str) -> None:
    echo(f"archgen: warning: {message}", err=True)


def exit_code_for(exc: ArchgenError) -> int:
    """The exit code of an error: 2 for a usage error, 3 for anything that failed while working."""
    return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_RENDER


def fail(exc: ArchgenError) -> int:
    """Print an error (and its hint) and give its exit code."""
    echo(f"archgen: error: {exc.message}", err=True)
    if exc.hint:
        echo(f"    hint: {exc.hint}", err=True)
    return exit_code_for(exc)


def about(file: str, message: str) -> str:
    """``file: message``, without naming the file twice when the message already starts with it."""
    return message if message.startswith(f"{file}:") else f"{file}: {message}"


def settle(typed: Collection[str], config_file: Path | None, **given):
    """The configuration in force and each setting: the command line's value when it was
    given there (its name is in ``typed``), else the configuration's, else the option's default."""
    from archgen.config import discover

    config = discover(None, config_file)
    out = {}
    for name, value in given.items():
        configured = getattr(config, name)
        out[name] = value if name in typed or configured is None else configured
    theme = out.get("theme")
    if isinstance(theme, Enum):
        out["theme"] = theme.value
    return config, out


def use_color(when: ColorWhen, stream) -> bool:
    """``always``/``never`` as said; ``auto``: a terminal, NO_COLOR unset or empty, TERM not dumb."""
    if when is ColorWhen.always:
        return True
    if when is ColorWhen.never:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass(frozen=True)
class SpecInput:
    """One spec to check: a file, or standard input under a name."""

    name: str
    data: bytes | None = None  # standard input's bytes; None: read the file ``name``


def inputs(args: list[str], stdin_filename: str | None, max_bytes: int) -> list[SpecInput]:
    from archgen.specfiles import expand_spec_args

    if not args:
        raise UsageError("no spec given", hint="name spec files or folders, or - for standard input")
    out = []
    found, empty = expand_spec_args(args)
    for folder in empty:
        warn(f"no archgen spec found under {folder} (looked for *.yaml and *.yml files with `archgen:`)")
    for arg in found:
        if arg == STDIN:
            from archgen.files import read_limited

            data = read_limited(sys.stdin.buffer, max_bytes + 1)
            out.append(SpecInput(stdin_filename or "<stdin>", data))
        else:
            out.append(SpecInput(arg))
    if stdin_filename and STDIN not in args:
        warn("--stdin-filename is used only with - (standard input)")
    return out


def check_ignores(ignore: list[str] | None) -> None:
    from archgen.suppress import ignore_problem

    for prefix in ignore or ():
        problem = ignore_problem(prefix)
        if problem:
            warn(f"--ignore {prefix}: {problem}")


def check_all(specs: list[SpecInput], ignore, max_bytes: int, config=None, collapse: bool = False):
    from archgen.check import check_file, check_source
    from archgen.model.loader import Limits

    limits = Limits(max_bytes=max_bytes, collapse=collapse)
    results = []
    for spec in specs:
        codes = tuple(ignore or ()) + (config.ignores_for(spec.name) if config is not None else ())
        if spec.data is None:
            results.append(check_file(spec.name, limits, codes))
        else:
            results.append(check_source(spec.data, spec.name, limits, codes))
    return results


def shown(findings, quiet: bool):
    return [f for f in findings if f.is_error] if quiet else findings


def run_check(specs: list[str], fmt: ReportFormat = ReportFormat.text, output_file: Path | None = None,
              strict: bool = False, ignore: list[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              quiet: bool = False, color: ColorWhen = ColorWhen.auto, stdin_filename: str | None = None,
              config_file: Path | None = None, typed: Collection[str] = ()) -> int:
    """``archgen check``: print the findings report and the summary, give the exit code.

    ``typed`` names the options given on the command line (they win over the configuration)."""
    from archgen.report import format_findings

    try:
        config, s = settle(typed, config_file, strict=strict, ignore=ignore, max_bytes=max_bytes)
        check_ignores(s["ignore"])
        results = check_all(inputs(specs, stdin_filename, s["max_bytes"]), s["ignore"], s["max_bytes"], config)
    except ArchgenError as exc:
        return fail(exc)
    findings = list(config.findings) + [f for r in results for f in r.findings]
    chosen = shown(findings, quiet)
    if output_file is not None:
        from archgen.files import write_atomic

        out = format_findings(chosen, fmt.value)
        try:
            write_atomic(output_file, (out + "\n").encode("utf-8") if out else b"")
        except ArchgenError as exc:
            return fail(exc)
    else:
        painted = use_color(color, sys.stdout)
        out = format_findings(chosen, fmt.value, color=painted)
        if out:
            echo(out, color=painted)
    if fmt is ReportFormat.text and not quiet:
        n_err = sum(f.is_error for f in findings)
        n_warn = sum(f.severity == "warning" for f in findings)
        echo(f"{len(results)} spec(s) checked: {n_err} error(s), {n_warn} warning(s)", err=True)
    failed = any(not r.ok(s["strict"]) for r in results) or (s["strict"] and bool(config.findings))
    return EXIT_FINDINGS if failed else EXIT_OK


def config_findings(config, quiet: bool, color: ColorWhen) -> None:
    """Print what reading the configuration file found (on standard error)."""
    from archgen.report import format_findings

    chosen = shown(list(config.findings), quiet)
    if chosen:
        painted = use_color(color, sys.stderr)
        echo(format_findings(chosen, "text", color=painted), err=True, color=painted)


def refuse_shared_outputs(specs: list[SpecInput], output: Path) -> None:
    """Two specs with the same stem would write the same files: a usage error, not a silent overwrite."""
    from archgen.render.naming import stem

    first: dict[str, str] = {}
    for spec in specs:
        name = stem(spec.name)
        if name in first:
            raise UsageError(f"{first[name]} and {spec.name} would both be drawn into {output / name}.*",
                             hint="render them into different folders (-o), or rename one of the specs")
        first[name] = spec.name


def refuse_shared_files(results, output: Path, options, views, full: bool, strict: bool) -> None:
    """Specs with different stems may still write one file (``x.yaml``'s view ``v`` and
    ``x--v.yaml``): refused like a shared stem, before anything is drawn."""
    from archgen.render.naming import stem
    from archgen.render.plan import SHARED_HINT, planned_outputs, shared_output

    files: dict[str, list[str]] = {}
    for result in results:
        if result.spec is None or not result.ok(strict):
            continue  # not drawn
        try:
            files[result.file] = [o.file for o in planned_outputs(result.spec, stem(result.file), options,
                                                                  views, full)]
        except ArchgenError:  # an unknown view: reported for this spec when it is drawn
            continue
    found = shared_output(files)
    if found:
        file, first, second = found
        raise UsageError(f"{first} and {second} would both be drawn into {output / file}", hint=SHARED_HINT)


def run_render(specs: list[str], output: Path = Path("output"), formats: str = "png,svg", scale: float = 1.0,
               theme: ThemeName | None = None, legend: bool = False, annotate: bool = False,
               collapse: bool = False, view: list[str] | None = None, all_views: bool = False,
               check_only: bool = False, strict: bool = False, ignore: list[str] | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, quiet: bool = False, color: ColorWhen = ColorWhen.auto,
               stdin_filename: str | None = None, config_file: Path | None = None,
               typed: Collection[str] = ()) -> int:
    """``archgen render``: check the specs, draw the valid ones (or, with ``check_only``, list
    the outputs that are missing or stale), print what was written, give the exit code."""
    from archgen.report import format_findings

    try:
        from archgen.render.options import RenderOptions, parse_formats
        from archgen.render.pipeline import check_rendered, render_spec

        config, s = settle(typed, config_file, output=output, formats=formats, scale=scale, theme=theme,
                           strict=strict, ignore=ignore, max_bytes=max_bytes)
        output, strict = s["output"], s["strict"]
        options = RenderOptions(parse_formats(s["formats"]), s["scale"], s["theme"], legend,
                                annotate=annotate, collapse=collapse)
        check_ignores(s["ignore"])
        given = inputs(specs, stdin_filename or ("stdin.yaml" if STDIN in specs else None), s["max_bytes"])
        refuse_shared_outputs(given, output)
        results = check_all(given, s["ignore"], s["max_bytes"], config, collapse=collapse)
        views = ["*"] if all_views else view
        full = all_views or not view
        refuse_shared_files(results, output, options, views, full, strict)
    except ArchgenError as exc:
        return fail(exc)
    config_findings(config, quiet, color)
    painted = use_color(color, sys.stderr)
    code = EXIT_OK
    for spec, result in zip(given, results):
        chosen = shown(result.findings, quiet)
        if chosen:
            echo(format_findings(chosen, "text", color=painted), err=True, color=painted)
        if not result.ok(strict) or result.spec is None:
            echo(f"{result.file}: not rendered (fix the errors above)", err=True)
            code = max(code, EXIT_FINDINGS)
            continue
        if check_only:
            try:
                problems = check_rendered(result.spec, result.file, output, options, views=views, full=full,
                                          source=spec.data)
            except ArchgenError as exc:
                return fail(exc)
            for problem in problems:
                echo(problem)
            code = max(code, EXIT_FINDINGS if problems else EXIT_OK)
            continue
        try:
            written = render_spec(result.spec, result.file, output, options, views=views, full=full,
                                  source=spec.data)
        except ArchgenError as exc:
            echo(about(result.file, exc.message), err=True)
            if exc.hint:
                echo(f"    hint: {exc.hint}", err=True)
            code = max(code, exit_code_for(exc))
            continue
        if not quiet:
            for path in written:
                echo(f"wrote {path}")
    return code


def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings that domain code raises (Graphviz trouble) are printed like archgen's own."""
    if issubclass(category, GraphvizWarning):
        warn(f"graphviz: {message}")
    else:  # pragma: no cover - a library's warning keeps Python's format
        _python_show_warning(message, category, filename, lineno, file, line)


def _interrupt(signum, frame) -> None:
    from archgen.errors import Interrupted

    raise Interrupted(signum)


_python_show_warning = warnings.showwarning


def guarded(command: Callable[[], int | None]) -> int:
    """Run a command as the console script does, and give the process's exit code.

    Graphviz warnings print as archgen's own; SIGTERM and SIGINT unwind the command
    (temporary files are removed, drawing processes are stopped and reaped) and give
    128 + the signal's number (143, 130); an error no command handled is printed."""
    import signal

    from archgen.errors import Interrupted

    warnings.showwarning = show_warning
    warnings.simplefilter("always", GraphvizWarning)  # every picture's trouble, not only the first
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _interrupt)
    try:
        return command() or EXIT_OK
    except ArchgenError as exc:  # pragma: no cover - commands handle their own
        echo(f"archgen: error: {exc.message}", err=True)
        return exit_code_for(exc)
    except Interrupted as exc:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        echo(f"archgen: stopped by {signal.Signals(exc.signum).name}", err=True)
        return 128 + exc.signum
    except KeyboardInterrupt:  # pragma: no cover - a SIGINT before the handler was set
        return 130
