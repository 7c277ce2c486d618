"""The command line: the only place that prints and chooses exit codes.

Exit codes: 0 no errors; 1 a spec has errors (or warnings with --strict);
2 usage error; 3 rendering or environment failure.

Option scheme: ``-f/--format`` is always the format of what a command prints (check's
findings report, services' listing); ``-T/--formats`` names the picture formats render and
build write, as Graphviz's ``dot -T`` does. ``archgen -V``, ``archgen -h`` and a plainly
written ``archgen check`` are run by ``archgen.entry`` without importing this module (the
check itself is ``archgen.cli_core.run_check``, which this app's ``check`` runs too);
``archgen.helptext`` holds the help text, generated from this app (``python -m
archgen.helptext --write``, a test keeps it current).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from archgen import __version__
from archgen.cli_core import (
    DEFAULT_MAX_BYTES,
    EXIT_FINDINGS,
    EXIT_OK,
    ColorWhen,
    ReportFormat,
    ThemeName,
    exit_code_for,
    fail,
    guarded,
    run_check,
    run_render,
    settle,
    show_warning,
)
from archgen.cli_core import about as _about
from archgen.cli_core import check_all as _check_all
from archgen.cli_core import check_ignores as _check_ignores
from archgen.cli_core import config_findings as _config_findings
from archgen.cli_core import inputs as _inputs
from archgen.cli_core import shown as _shown
from archgen.cli_core import use_color as _use_color
from archgen.cli_core import warn as _warn
from archgen.cli_values import lighten
from archgen.errors import ArchgenError, UsageError

HELP_WIDTH = 80


def _tidy(command) -> None:
    """Help without type placeholders: an argument shows its metavar alone (``SPEC...``)."""
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "argument" and param.metavar:
            metavar = param.metavar
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda metavar=metavar: metavar
            param.make_metavar = lambda *args, metavar=metavar, **kwargs: metavar


class _Group(TyperGroup):
    """The app's command group: tidies each command's help as it is looked up."""

    def parse_args(self, ctx, args):
        lighten(self, ctx)  # the app's own options (--version, -h)
        return super().parse_args(ctx, args)

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _tidy(command)
            lighten(command, ctx)  # plain option values are converted without importing pydantic
        return command


app = typer.Typer(
    name="archgen",
    cls=_Group,
    help="Checked AWS data-analytics architecture diagrams from YAML specs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH,
                      "terminal_width": HELP_WIDTH},
)


class TableFormat(str, Enum):
    table = "table"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[Optional[bool], typer.Option(  # noqa: UP045 - typer needs Optional
        "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """Checked AWS data-analytics architecture diagrams from YAML specs."""


Specs = Annotated[list[str], typer.Argument(
    metavar="SPEC...", show_default=False,
    help="Spec files, folders (every *.yaml/*.yml archgen spec under them) or - for standard input.")]
Strict = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
Ignore = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--ignore", metavar="CODE", help="Suppress finding codes starting with CODE (repeatable).")]
MaxBytes = Annotated[int, typer.Option("--max-bytes", metavar="N", min=1, max=1 << 30,
                                        help="Largest spec file accepted.")]
OutputDir = Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="Output folder.")]
Formats = Annotated[str, typer.Option("--formats", "-T", metavar="FORMATS",
                                      help="Picture formats, comma-separated: png, svg, pdf, dot.")]
Scale = Annotated[float, typer.Option("--scale", metavar="N", min=0.25, max=8.0,
                                      help="PNG resolution factor (2 = 192 dpi).")]
CheckOnly = Annotated[bool, typer.Option(
    "--check", help="Write nothing; list each output that is missing or stale, and exit 1 if any.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
Color = Annotated[ColorWhen, typer.Option(
    "--color", metavar="WHEN", help="Colour findings: auto (on a terminal, unless NO_COLOR is set), always, never.")]
StdinFilename = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--stdin-filename", metavar="NAME", help="The name of the spec read from - (standard input).")]
Theme = Annotated[Optional[ThemeName], typer.Option(  # noqa: UP045
    "--theme", metavar="THEME", help="Override the spec's theme: light or dark.")]
Legend = Annotated[bool, typer.Option("--legend", help="Add a legend of edge kinds.")]
Annotate = Annotated[bool, typer.Option("--annotate", help="Mark the components and flows that have warnings.")]
Collapse = Annotated[bool, typer.Option(
    "--collapse", help="Draw each top-level group as one node, with counted edges between groups.")]

ConfigFile = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--config", metavar="FILE", help="Configuration file (default: the nearest .archgen.yaml, or pyproject.toml "
                                     "with [tool.archgen], from here upward).")]


def _typed(ctx: typer.Context) -> set[str]:
    """The names of the options given on the command line (not defaults)."""
    out = set()
    for name in ctx.params:
        source = ctx.get_parameter_source(name)
        if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP"):
            out.add(name)
    return out


def _settle(ctx: typer.Context, config_file: Path | None, **given):
    """The configuration in force and each setting: the command line's value when it was
    given there, else the configuration's, else the option's default."""
    return settle(_typed(ctx), config_file, **given)


def _fail(exc: ArchgenError) -> typer.Exit:
    return typer.Exit(fail(exc))


@app.command()
def check(
    ctx: typer.Context,
    specs: Specs,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", "-f", metavar="FORMAT", help="Findings report: text, json, sarif or github.")] = ReportFormat.text,
    output_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output-file", metavar="FILE", help="Write the report to FILE instead of standard output.")] = None,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    stdin_filename: StdinFilename = None,
    config_file: ConfigFile = None,
) -> None:
    """Check specs against the schema, the AWS integration rules and the EMR/EC2 guidance."""
    raise typer.Exit(run_check(specs, fmt, output_file, strict, ignore, max_bytes, quiet, color, stdin_filename,
                               config_file, typed=_typed(ctx)))


@app.command()
def render(
    ctx: typer.Context,
    specs: Specs,
    output: OutputDir = Path("output"),
    formats: Formats = "png,svg",
    scale: Scale = 1.0,
    theme: Theme = None,
    legend: Legend = False,
    annotate: Annotate = False,
    collapse: Collapse = False,
    view: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--view", metavar="NAME", help="Render this view (repeatable) instead of the whole diagram.")] = None,
    all_views: Annotated[bool, typer.Option("--all-views",
                                            help="Render the whole diagram and every view.")] = False,
    check_only: CheckOnly = False,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    stdin_filename: StdinFilename = None,
    config_file: ConfigFile = None,
) -> None:
    """Check specs and render the valid ones into DIR/<stem>[--<view>[-<step>]].<format>."""
    raise typer.Exit(run_render(specs, output, formats, scale, theme, legend, annotate, collapse, view, all_views,
                                check_only, strict, ignore, max_bytes, quiet, color, stdin_filename, config_file,
                                typed=_typed(ctx)))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the spec format."""
    from archgen.model.schema import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
def services(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", metavar="FORMAT",
                                             help="Listing format: table or json.")] = TableFormat.table,
) -> None:
    """List the service catalog: ids, names, roles, status and aliases."""
    from archgen.catalog.services import load_services

    catalog = load_services()
    if fmt is TableFormat.json:
        rows = [{"id": s.id, "name": s.name, "roles": list(s.roles), "status": s.status,
                 "successor": s.successor, "since": s.since, "aliases": list(s.aliases),
                 "icon": s.icon, "doc": s.doc} for s in catalog]
        typer.echo(json.dumps({"services": rows}, indent=2, ensure_ascii=False))
        return
    from archgen.explain import services_table

    typer.echo(services_table(catalog))


@app.command()
def rules(
    service: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[SERVICE]", help="Service id or alias to explain.", show_default=False)] = None,
    codes: Annotated[bool, typer.Option("--codes", help="List every finding code.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the whole rules reference "
                                                            "as Markdown (docs/reference/rules.md).")] = False,
) -> None:
    """Explain what can feed a service and what it can feed, or list finding codes."""
    from archgen import explain

    try:
        if markdown:
            from archgen.docs import rules_markdown

            typer.echo(rules_markdown())
            return
        if codes or service is None:
            typer.echo(explain.codes_table())
            return
        typer.echo(explain.service_rules(service))
    except ArchgenError as exc:
        raise _fail(exc) from None


@app.command()
def slides(
    ctx: typer.Context,
    specs: Specs,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The deck: a .pptx or .html file.")],
    theme: Annotated[ThemeName, typer.Option("--theme", metavar="THEME",
                                             help="Slide and diagram theme: light or dark.")] = ThemeName.light,
    allow_errors: Annotated[bool, typer.Option(
        "--allow-errors", help="Make the deck even if a spec has errors; they are listed in red.")] = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    config_file: ConfigFile = None,
) -> None:
    """Build a 16:9 design-review deck (PPTX or one self-contained HTML file) from specs."""
    from archgen.files import write_atomic

    suffix = output.suffix.lower()
    try:
        if suffix not in (".pptx", ".html", ".htm"):
            raise UsageError(f"{output}: the deck must end in .pptx or .html")
        config, s = _settle(ctx, config_file, ignore=ignore, max_bytes=max_bytes)
        _check_ignores(s["ignore"])
        results = _check_all(_inputs(specs, None, s["max_bytes"]), s["ignore"], s["max_bytes"], config)
        _config_findings(config, quiet, color)
    except ArchgenError as exc:
        raise _fail(exc) from None
    from archgen.report import format_findings

    findings = _shown([f for r in results for f in r.findings], quiet)
    if findings:
        painted = _use_color(color, sys.stderr)
        typer.echo(format_findings(findings, "text", color=painted), err=True, color=painted)
    if any(not r.ok() for r in results) and not allow_errors:
        typer.echo("no deck was made: fix the errors above, or pass --allow-errors", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    try:
        from archgen.slides.deck import build_deck

        deck = build_deck(results, theme.value, allow_errors)
        if suffix == ".pptx":
            from archgen.slides.pptx_deck import write_pptx

            data = write_pptx(deck)
        else:
            from archgen.slides.html_deck import write_html

            data = write_html(deck)
        write_atomic(output, data)
    except ArchgenError as exc:
        raise _fail(exc) from None
    if not quiet:
        typer.echo(f"wrote {output} ({len(deck.slides)} slides)")


class _ProgressBar:
    """A rich progress bar on stderr when it is a terminal; ``with`` gives the build's callback."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None
        self.task = None

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, done: int, total: int, spec: str) -> None:
        if self.bar is None:
            if total == 0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, completed=done, description=Path(spec).name if spec else "")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def build(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045
        metavar="[PATH]...", help="Spec files, or folders searched for *.archgen.yaml and *.archgen.yml "
                                  "(default: .).", show_default=False)] = None,
    output: OutputDir = Path("output"),
    jobs: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--jobs", "-j", metavar="N", min=1, help="Processes drawing at once (default: one per CPU).")] = None,
    formats: Formats = "png,svg",
    scale: Scale = 1.0,
    theme: Theme = None,
    legend: Legend = False,
    check_only: CheckOnly = False,
    no_prune: Annotated[bool, typer.Option(
        "--no-prune", help="Keep outputs whose spec no longer exists.")] = False,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    config_file: ConfigFile = None,
) -> None:
    """Check every spec under PATHS and draw the valid ones into DIR: only what changed, in parallel."""
    from archgen.report import format_findings

    try:
        from archgen.build import BuildOptions
        from archgen.build import build as run_build
        from archgen.model.loader import Limits
        from archgen.render.options import RenderOptions, parse_formats

        config, s = _settle(ctx, config_file, output=output, formats=formats, scale=scale, theme=theme,
                            strict=strict, ignore=ignore, max_bytes=max_bytes)
        output, strict = s["output"], s["strict"]
        _check_ignores(s["ignore"])
        options = BuildOptions(
            RenderOptions(parse_formats(s["formats"]), s["scale"], s["theme"], legend),
            jobs=jobs, prune=not no_prune, strict=strict, ignore=tuple(s["ignore"] or ()),
            limits=Limits(max_bytes=s["max_bytes"]), ignore_for=config.ignores_for)
        _config_findings(config, quiet, color)
        with _ProgressBar(enabled=not check_only and not quiet) as progress:
            report = run_build(paths or [Path(".")], output, options, progress, check_only)
    except ArchgenError as exc:
        raise _fail(exc) from None
    if not report.specs:
        _no_spec_found(paths or [Path(".")])
    for warning in report.warnings:
        _warn(warning)
    shown = _shown(report.findings, quiet)
    if shown:
        painted = _use_color(color, sys.stderr)
        typer.echo(format_findings(shown, "text", color=painted), err=True, color=painted)
    for spec in report.specs:
        if spec.error is not None:
            typer.echo(_about(str(spec.path), spec.error.message), err=True)
            if spec.error.hint:
                typer.echo(f"    hint: {spec.error.hint}", err=True)
        elif spec.status == "failed":
            typer.echo(f"{spec.path}: not rendered (fix the errors above)", err=True)
    failed = report.count("failed")
    if check_only:
        for problem in report.problems:
            typer.echo(problem)
        if not quiet:
            typer.echo(f"checked {len(report.specs)}, missing or stale {len(report.problems)}, "
                       f"failed {failed} in {report.seconds:.2f}s", err=True)
    elif not quiet:
        typer.echo(f"built {report.count('built')}, unchanged {report.count('unchanged')}, failed {failed}, "
                   f"removed {len(report.removed)} in {report.seconds:.2f}s", err=True)
    code = EXIT_FINDINGS if report.rejected(strict) else EXIT_OK
    raise typer.Exit(max([code, *(exit_code_for(e) for e in report.failures())]))


def _no_spec_found(paths: list[Path]) -> None:
    """The warning for a build that found nothing, naming archgen specs it skipped for their name."""
    from archgen.specfiles import expand_spec_args

    where = ", ".join(str(p) for p in paths)
    _warn(f"no spec found under {where} (archgen build looks for *.archgen.yaml and *.archgen.yml)")
    try:
        other = expand_spec_args([p for p in paths if p.is_dir()])[0]
    except ArchgenError:
        other = []
    if other:
        shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
        typer.echo(f"    hint: {shown} {'is an archgen spec' if len(other) == 1 else 'are archgen specs'}: "
                   "name them *.archgen.yaml, or pass them as files", err=True)


@app.command()
def init(
    name: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        metavar="[NAME]", help="Name or path of the spec, without .archgen.yaml (default: architecture).",
        show_default=False)] = None,
) -> None:
    """Write a commented starter spec NAME.archgen.yaml (never overwrites) and archgen.schema.json beside it."""
    from archgen.starter import write_starter

    try:
        written = write_starter(name)
    except ArchgenError as exc:
        raise _fail(exc) from None
    for path in written:
        typer.echo(f"wrote {path}")


IacSources = Annotated[list[str], typer.Argument(
    metavar="SOURCE...", show_default=False,
    help="CloudFormation or SAM templates (YAML or JSON), cdk.out folders, or Terraform `show -json` files.")]


def _print_findings(findings, quiet: bool, color: ColorWhen) -> None:
    """Findings of an import or diff, as text on standard error."""
    from archgen.report import format_findings

    shown = _shown(findings, quiet)
    if shown:
        painted = _use_color(color, sys.stderr)
        typer.echo(format_findings(shown, "text", color=painted), err=True, color=painted)


class _NoCycleCollection:
    """Pause Python's cyclic garbage collector while a large template is read and checked.

    Reading builds hundreds of thousands of small containers that live until the spec is
    written; each pass of the collector walks all of them, which made import time grow
    faster than the template. They hold no reference cycles, so reference counting frees
    them as before; the collector is switched back on afterwards."""

    def __enter__(self) -> None:
        import gc

        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        import gc

        if self.was_enabled:
            gc.enable()


def _silence(findings, codes: tuple[str, ...], config) -> list:
    """The findings that neither ``codes`` nor the configuration's ``per-file-ignores`` for
    the file each one points into silences."""
    from archgen.suppress import unsuppressed

    by_file: dict[str, tuple[str, ...]] = {}
    out = []
    for f in findings:
        if f.file not in by_file:
            by_file[f.file] = codes + (config.ignores_for(f.file) if f.file else ())
        out += unsuppressed([f], None, by_file[f.file])
    return out


def _import(sources: list[str], quiet: bool, color: ColorWhen, codes: tuple[str, ...] = (), config=None):
    """Import the sources and print what could not be followed (less what ``ignore`` silences);
    exit 1 when nothing could be read."""
    from archgen.config import Config
    from archgen.iac import import_sources

    try:
        with _NoCycleCollection():
            result = import_sources(sources)
    except ArchgenError as exc:
        raise _fail(exc) from None
    result.findings = _silence(result.findings, codes, config or Config())
    _print_findings(result.findings, quiet, color)
    if not result.ok:
        typer.echo("nothing imported (fix the errors above)", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    return result


@app.command("import")
def import_(
    ctx: typer.Context,
    sources: IacSources,
    output_file: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", metavar="SPEC", help="Write the spec to SPEC instead of standard output.")] = None,
    draw: Annotated[bool, typer.Option("--render", help="Also render the imported spec into --render-dir.")] = False,
    render_dir: Annotated[Path, typer.Option("--render-dir", metavar="DIR",
                                             help="Folder of the pictures --render writes (default: the "
                                                  "configuration's output, else output).")] = Path("output"),
    formats: Formats = "png,svg",
    strict: Strict = False,
    ignore: Ignore = None,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    config_file: ConfigFile = None,
) -> None:
    """Write an archgen spec from infrastructure code, flows from its integration properties."""
    from archgen.check import check_source
    from archgen.iac.write import to_yaml
    from archgen.model.loader import Limits

    try:
        config, s = _settle(ctx, config_file, strict=strict, ignore=ignore, formats=formats,
                            max_bytes=DEFAULT_MAX_BYTES, theme=None, scale=1.0)
        if ctx.get_parameter_source("render_dir").name in ("DEFAULT", "DEFAULT_MAP") and config.output:
            render_dir = config.output
        _check_ignores(s["ignore"])
    except ArchgenError as exc:
        raise _fail(exc) from None
    _config_findings(config, quiet, color)
    codes = tuple(s["ignore"] or ())
    result = _import(sources, quiet, color, codes, config)
    text = to_yaml(result)
    name = str(output_file) if output_file is not None else f"{Path(sources[0].rstrip('/')).stem}.yaml"
    with _NoCycleCollection():
        checked = check_source(text, name, Limits(max_bytes=s["max_bytes"]), codes + config.ignores_for(name))
    try:
        if output_file is not None:
            from archgen.files import write_atomic

            write_atomic(output_file, text.encode("utf-8"))
            if not quiet:
                typer.echo(f"wrote {output_file} ({len(result.components)} components, "
                           f"{len(result.flows)} flows)", err=True)
        else:
            typer.echo(text, nl=False)
    except ArchgenError as exc:
        raise _fail(exc) from None
    _print_findings(checked.findings, quiet, color)
    # with --strict the import's own warnings (resources left out, references not followed) fail too
    incomplete = s["strict"] and any(f.severity == "warning" for f in result.findings)
    if not checked.ok(s["strict"]) or checked.spec is None or incomplete:
        if draw:
            typer.echo(f"{name}: not rendered (fix the errors above)", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if draw:
        try:
            from archgen.render.options import RenderOptions, parse_formats
            from archgen.render.pipeline import render_spec

            options = RenderOptions(parse_formats(s["formats"]), s["scale"], s["theme"])
            written = render_spec(checked.spec, name, render_dir, options, source=text.encode("utf-8"))
        except ArchgenError as exc:
            raise _fail(exc) from None
        if not quiet:
            for path in written:
                typer.echo(f"wrote {path}", err=True)
    raise typer.Exit(EXIT_OK)


@app.command("diff")
def diff_(
    ctx: typer.Context,
    spec: Annotated[str, typer.Argument(metavar="SPEC", show_default=False, help="The spec to compare.")],
    against: Annotated[list[str], typer.Option(
        "--against", metavar="SOURCE", show_default=False,
        help="Infrastructure code to compare with, as `archgen import` reads it (repeatable).")],
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", "-f", metavar="FORMAT", help="Findings report: text, json, sarif or github.")] = ReportFormat.text,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Resources left out and references not followed (W601, W602) are differences too.")] = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Quiet = False,
    color: Color = ColorWhen.auto,
    config_file: ConfigFile = None,
) -> None:
    """Compare a spec with infrastructure code: what either has that the other lacks; exit 1 if they differ."""
    from archgen.check import check_file
    from archgen.iac.diff import diff as run_diff
    from archgen.iac.pipeline import describe_sources
    from archgen.model.loader import Limits
    from archgen.report import format_findings

    try:
        config, s = _settle(ctx, config_file, strict=strict, ignore=ignore, max_bytes=max_bytes)
        _check_ignores(s["ignore"])
        codes = tuple(s["ignore"] or ())
        checked = check_file(spec, Limits(max_bytes=s["max_bytes"]), codes + config.ignores_for(spec))
    except ArchgenError as exc:
        raise _fail(exc) from None
    _config_findings(config, quiet, color)
    if checked.spec is None:
        painted = _use_color(color, sys.stderr)
        typer.echo(format_findings(checked.findings, "text", color=painted), err=True, color=painted)
        typer.echo(f"{spec}: cannot be compared (fix the errors above)", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    # the import's warnings are part of the report with --strict; without it only its errors are shown
    imported = _import(against, True, color, codes, config)
    result = run_diff(checked.spec, imported, describe_sources(imported), codes + config.ignores_for(spec))
    findings = []
    from dataclasses import replace

    for f in result.findings:
        if not f.file:
            line, column = checked.document.positions.locate(f.path, f.on_key, f.offset)
            f = replace(f, file=checked.file, line=line, column=column)
        findings.append(f)
    findings = _silence(findings, (), config)  # per-file-ignores of the templates and plans
    if s["strict"]:
        from archgen.findings import sort_key

        findings = sorted(findings + [f for f in imported.findings if f.severity == "warning"], key=sort_key)
    shown = _shown(findings, quiet)
    painted = _use_color(color, sys.stdout)
    out = format_findings(shown, fmt.value, color=painted)
    if out:
        typer.echo(out, color=painted)
    failed = any(f.is_error or s["strict"] for f in findings)
    if fmt is ReportFormat.text and not quiet:
        typer.echo(f"{spec} against {describe_sources(imported)}: "
                   f"{sum(f.is_error or s['strict'] for f in findings)} difference(s)", err=True)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command()
def lsp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Talk over standard input and output (the default; "
                                                        "accepted because editors pass it).")] = False,
) -> None:
    """Run the language server: archgen's findings and quick fixes in an editor, over stdio."""
    import logging

    from archgen.lsp import serve

    # pygls logs a message it cannot handle with its traceback: one line on stderr instead
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_one_line_formatter()("archgen: lsp: %(message)s"))
    handler.setLevel(logging.WARNING)
    pygls_log = logging.getLogger("pygls")
    pygls_log.addHandler(handler)
    pygls_log.propagate = False
    try:
        serve()
    except ArchgenError as exc:  # a malformed frame from the client: the stream cannot be followed
        raise _fail(exc) from None


def _one_line_formatter():
    """A logging formatter that prints a record as one line: its message's first line and
    the exception's, never a traceback (logging is imported only by ``archgen lsp``)."""
    import logging

    class OneLine(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            message = (record.getMessage().splitlines() or [""])[0]
            if record.exc_info and record.exc_info[1] is not None:
                message += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            record = logging.makeLogRecord({**record.__dict__, "msg": message, "args": None,
                                            "exc_info": None, "exc_text": None})
            return super().format(record).splitlines()[0]

    return OneLine


def help_pages() -> dict[str, str]:
    """The help text of the app and of each command, exactly as ``-h`` prints it."""
    from typer.main import get_command

    group = get_command(app)
    pages = {}
    with group.make_context("archgen", [], resilient_parsing=True) as ctx:
        pages[""] = group.get_help(ctx) + "\n"
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            with command.make_context(name, [], parent=ctx, resilient_parsing=True) as sub:
                pages[name] = command.get_help(sub) + "\n"
    return pages


_show_warning = show_warning


def main() -> None:
    """Run the typer app (``archgen.entry.main`` answers -V and -h, and runs a plainly
    written ``check``, before this); ``archgen.cli_core.guarded`` handles signals."""
    sys.exit(guarded(app))


__all__ = ["app", "main", "UsageError"]
