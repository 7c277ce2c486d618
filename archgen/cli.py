"""The command line: the only place that prints and chooses exit codes.

Exit codes: 0 no errors; 1 a spec has errors (or warnings with --strict);
2 usage error; 3 rendering or environment failure.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from archgen import __version__
from archgen.errors import ArchgenError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_RENDER = 0, 1, 2, 3

app = typer.Typer(
    name="archgen",
    help="Checked AWS data-analytics architecture diagrams from YAML specs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class TableFormat(str, Enum):
    table = "table"
    json = "json"


class ThemeName(str, Enum):
    light = "light"
    dark = "dark"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"archgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[Optional[bool], typer.Option(  # noqa: UP045 - typer needs Optional
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """Checked AWS data-analytics architecture diagrams from YAML specs."""


Specs = Annotated[list[Path], typer.Argument(help="Spec files (YAML).", show_default=False)]
Strict = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
Ignore = Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
    "--ignore", help="Suppress finding codes starting with this prefix (repeatable).")]
MaxBytes = Annotated[int, typer.Option("--max-bytes", min=1, help="Largest spec file accepted.")]
OutputDir = Annotated[Path, typer.Option("--output", "-o", help="Output folder.")]
Formats = Annotated[str, typer.Option("--formats", "-f", help="Comma-separated: png, svg, pdf, dot.")]
Scale = Annotated[float, typer.Option("--scale", min=0.25, max=8.0, help="PNG resolution factor (2 = 192 dpi).")]
CheckOnly = Annotated[bool, typer.Option(
    "--check", help="Write nothing; list each output that is missing or stale, and exit 1 if any.")]


def _fail(exc: ArchgenError) -> typer.Exit:
    typer.echo(f"archgen: error: {exc.message}", err=True)
    if exc.hint:
        typer.echo(f"    hint: {exc.hint}", err=True)
    return typer.Exit(exc.exit_code)


def _check_all(specs: list[Path], ignore: list[str] | None, max_bytes: int):
    from archgen.check import check_file
    from archgen.model.loader import Limits

    limits = Limits(max_bytes=max_bytes)
    results = []
    for spec in specs:
        results.append(check_file(spec, limits, tuple(ignore or ())))
    return results


@app.command()
def check(
    specs: Specs,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Findings format.")] = ReportFormat.text,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = 2 * 1024 * 1024,
) -> None:
    """Check specs against the schema, the AWS integration rules and the EMR/EC2 guidance."""
    from archgen.report import format_findings

    try:
        results = _check_all(specs, ignore, max_bytes)
    except ArchgenError as exc:
        raise _fail(exc) from None
    findings = [f for r in results for f in r.findings]
    out = format_findings(findings, fmt.value)
    if out:
        typer.echo(out)
    if fmt is ReportFormat.text:
        n_err = sum(f.is_error for f in findings)
        n_warn = sum(f.severity == "warning" for f in findings)
        typer.echo(f"{len(results)} spec(s) checked: {n_err} error(s), {n_warn} warning(s)", err=True)
    raise typer.Exit(EXIT_FINDINGS if any(not r.ok(strict) for r in results) else EXIT_OK)


@app.command()
def render(
    specs: Specs,
    output: OutputDir = Path("output"),
    formats: Formats = "png,svg",
    scale: Scale = 1.0,
    theme: Annotated[Optional[ThemeName], typer.Option(  # noqa: UP045
        "--theme", help="Override the spec's theme.")] = None,
    legend: Annotated[bool, typer.Option("--legend", help="Add a legend of edge kinds.")] = False,
    view: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--view", help="Render this view (repeatable) instead of the whole diagram.")] = None,
    all_views: Annotated[bool, typer.Option("--all-views",
                                            help="Render the whole diagram and every view.")] = False,
    check_only: CheckOnly = False,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = 2 * 1024 * 1024,
) -> None:
    """Check specs and render the valid ones into OUTPUT/<stem>[--<view>[-<step>]].<format>."""
    from archgen.report import format_findings

    try:
        from archgen.render.pipeline import RenderOptions, parse_formats, render_spec

        options = RenderOptions(parse_formats(formats), scale, theme.value if theme else None, legend)
        results = _check_all(specs, ignore, max_bytes)
    except ArchgenError as exc:
        raise _fail(exc) from None
    code = EXIT_OK
    for result in results:
        if result.findings:
            typer.echo(format_findings(result.findings, "text"), err=True)
        if not result.ok(strict) or result.spec is None:
            typer.echo(f"{result.file}: not rendered (fix the errors above)", err=True)
            code = max(code, EXIT_FINDINGS)
            continue
        views = ["*"] if all_views else view
        if check_only:
            from archgen.render.freshness import check_outputs
            from archgen.render.pipeline import expected_suffixes

            try:
                problems = check_outputs(result.file, output, options,
                                         expected_suffixes(result.spec, views, all_views or not view),
                                         use_manifest=False)
            except ArchgenError as exc:
                raise _fail(exc) from None
            for problem in problems:
                typer.echo(problem)
            code = max(code, EXIT_FINDINGS if problems else EXIT_OK)
            continue
        try:
            written = render_spec(result.spec, result.file, output, options, views=views,
                                  full=all_views or not view)
        except ArchgenError as exc:
            typer.echo(f"{result.file}: {exc.message}", err=True)
            if exc.hint:
                typer.echo(f"    hint: {exc.hint}", err=True)
            code = max(code, exc.exit_code)
            continue
        for path in written:
            typer.echo(f"wrote {path}")
    raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the spec format."""
    from archgen.model.schema import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
def services(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
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
        help="Service id or alias to explain.", show_default=False)] = None,
    codes: Annotated[bool, typer.Option("--codes", help="List every finding code.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the whole rules reference "
                                                            "as Markdown (docs/rules.md).")] = False,
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
    specs: Specs,
    output: Annotated[Path, typer.Option("--output", "-o", help="The deck: a .pptx or .html file.")],
    theme: Annotated[ThemeName, typer.Option("--theme", help="Slide and diagram theme.")] = ThemeName.light,
    allow_errors: Annotated[bool, typer.Option(
        "--allow-errors", help="Make the deck even if a spec has errors; they are listed in red.")] = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = 2 * 1024 * 1024,
) -> None:
    """Build a 16:9 design-review deck (PPTX or one self-contained HTML file) from specs."""
    from archgen.render.output import write_atomic

    suffix = output.suffix.lower()
    try:
        if suffix not in (".pptx", ".html", ".htm"):
            raise UsageError(f"{output}: the deck must end in .pptx or .html")
        results = _check_all(specs, ignore, max_bytes)
    except ArchgenError as exc:
        raise _fail(exc) from None
    from archgen.report import format_findings

    findings = [f for r in results for f in r.findings]
    if findings:
        typer.echo(format_findings(findings, "text"), err=True)
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
    paths: Annotated[Optional[list[Path]], typer.Argument(  # noqa: UP045
        help="Spec files, or folders searched for *.archgen.yaml and *.archgen.yml (default: .).",
        show_default=False)] = None,
    output: OutputDir = Path("output"),
    jobs: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--jobs", "-j", min=1, help="Processes drawing at once (default: one per CPU).")] = None,
    formats: Formats = "png,svg",
    scale: Scale = 1.0,
    theme: Annotated[Optional[ThemeName], typer.Option(  # noqa: UP045
        "--theme", help="Override the specs' theme.")] = None,
    legend: Annotated[bool, typer.Option("--legend", help="Add a legend of edge kinds.")] = False,
    check_only: CheckOnly = False,
    no_prune: Annotated[bool, typer.Option(
        "--no-prune", help="Keep outputs whose spec no longer exists.")] = False,
    strict: Strict = False,
    ignore: Ignore = None,
    max_bytes: MaxBytes = 2 * 1024 * 1024,
) -> None:
    """Check every spec under PATHS and draw the valid ones into OUTPUT: only what changed, in parallel."""
    from archgen.report import format_findings

    try:
        from archgen.build import BuildOptions
        from archgen.build import build as run_build
        from archgen.model.loader import Limits
        from archgen.render.pipeline import RenderOptions, parse_formats

        options = BuildOptions(
            RenderOptions(parse_formats(formats), scale, theme.value if theme else None, legend),
            jobs=jobs, prune=not no_prune, strict=strict, ignore=tuple(ignore or ()),
            limits=Limits(max_bytes=max_bytes))
        with _ProgressBar(enabled=not check_only) as progress:
            report = run_build(paths or [Path(".")], output, options, progress, check_only)
    except ArchgenError as exc:
        raise _fail(exc) from None
    if report.findings:
        typer.echo(format_findings(report.findings, "text"), err=True)
    for spec in report.specs:
        if spec.error is not None:
            typer.echo(f"{spec.path}: {spec.error.message}", err=True)
            if spec.error.hint:
                typer.echo(f"    hint: {spec.error.hint}", err=True)
        elif spec.status == "failed":
            typer.echo(f"{spec.path}: not rendered (fix the errors above)", err=True)
    failed = report.count("failed")
    if check_only:
        for problem in report.problems:
            typer.echo(problem)
        typer.echo(f"checked {len(report.specs)}, missing or stale {len(report.problems)}, "
                   f"failed {failed} in {report.seconds:.2f}s", err=True)
    else:
        typer.echo(f"built {report.count('built')}, unchanged {report.count('unchanged')}, failed {failed}, "
                   f"removed {len(report.removed)} in {report.seconds:.2f}s", err=True)
    raise typer.Exit(report.exit_code(strict))


@app.command()
def init(
    name: Annotated[Optional[str], typer.Argument(  # noqa: UP045
        help="Name or path of the spec, without .archgen.yaml (default: architecture).",
        show_default=False)] = None,
) -> None:
    """Write a commented starter spec NAME.archgen.yaml with the schema modeline (never overwrites)."""
    from archgen.starter import write_starter

    try:
        path = write_starter(name)
    except ArchgenError as exc:
        raise _fail(exc) from None
    typer.echo(f"wrote {path}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except ArchgenError as exc:  # pragma: no cover - commands handle their own
        typer.echo(f"archgen: error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


__all__ = ["app", "main", "UsageError"]
