"""The console entry runs a plainly written ``archgen check`` or ``archgen render`` without
typer: the same values reach ``run_check``/``run_render`` as through the typer app, the same
bytes come out, and anything it does not read exactly as typer does goes to typer."""

from __future__ import annotations

import inspect
import io
import shutil
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from archgen import cli, cli_core
from archgen.entry import CHECK_OPTIONS, RENDER_OPTIONS, parse_check, parse_words
from tests.conftest import FIXTURES, ROOT

SPEC = str(ROOT / "specs" / "clickstream.archgen.yaml")
BAD = str(FIXTURES / "bad" / "unknown-service.yaml")
PROJECT = FIXTURES / "config" / "yaml-project"


def _command(name: str):
    group = typer.main.get_command(cli.app)
    return group.get_command(None, name)


@pytest.mark.parametrize("name, table", [("check", CHECK_OPTIONS), ("render", RENDER_OPTIONS)])
def test_the_option_table_is_the_typer_commands(name, table):
    command = _command(name)
    theirs = {}
    for param in command.params:
        if param.param_type_name != "option":
            continue
        kind = "flag" if param.is_flag else ("list" if param.multiple else "value")
        for name in (*param.opts, *param.secondary_opts):
            theirs[name] = (param.name, kind)
    ours = {name: (dest, kind if kind in ("flag", "list") else "value") for name, (dest, kind) in table.items()}
    assert ours == theirs


def _through_typer(args: list[str], command: str = "check") -> dict | None:
    """The keyword arguments typer's ``check`` (or ``render``) hands to ``run_check`` (or
    ``run_render``); None: typer refused."""
    seen = {}
    target = f"run_{command}"

    def record(*a, **k):
        bound = inspect.signature(getattr(cli_core, target)).bind(*a, **k)
        seen.update(bound.arguments)
        return 0

    original = getattr(cli, target)
    setattr(cli, target, record)
    try:
        result = CliRunner().invoke(cli.app, [command, *args])
    finally:
        setattr(cli, target, original)
    return dict(seen) if result.exit_code == 0 and seen else None


def _filled(values: dict, command: str = "check") -> dict:
    """``run_check``'s (or ``run_render``'s) arguments with the defaults the command line left out."""
    bound = inspect.signature(getattr(cli_core, f"run_{command}")).bind(**values)
    bound.apply_defaults()
    return dict(bound.arguments)


READ_HERE = [
    [SPEC],
    [SPEC, BAD, "-"],
    ["-f", "json", SPEC],
    [SPEC, "--format=sarif", "--format", "github"],
    [SPEC, "--strict", "-q", "--ignore", "W", "--ignore=E1", "--ignore", "-x"],
    [SPEC, "--max-bytes", "100", "--max-bytes=1073741824", "--color", "never"],
    [SPEC, "--output-file", "out/report.txt", "--config", SPEC, "--stdin-filename", "-"],
    [SPEC, "--stdin-filename=", "--ignore="],
    ["--", "-q", "--format", SPEC],
    [SPEC, "--color=always", "--", "--strict"],
    ["", "--quiet"],
    [SPEC, "--max-bytes", "007"],
]


@pytest.mark.parametrize("args", READ_HERE)
def test_the_values_are_the_ones_typer_passes(args):
    ours = parse_check(args)
    assert ours is not None
    theirs = _through_typer(args)
    assert theirs is not None
    theirs["typed"] = set(theirs["typed"])
    ours = _filled(ours)
    ours["typed"] = set(ours["typed"])
    assert {k: (v, type(v)) for k, v in ours.items()} == {k: (v, type(v)) for k, v in _filled(theirs).items()}


@pytest.mark.parametrize("args", [
    [],                                  # typer: missing argument
    [SPEC, "-h"], [SPEC, "--help"],      # help
    [SPEC, "-qf", "json"], [SPEC, "-fjson"], [SPEC, "-f=json"],  # short options in one word
    [SPEC, "--strict=1"],                # a value for a flag
    [SPEC, "--format"],                  # no value
    [SPEC, "--format", "JSON"], [SPEC, "--color", "sometimes"],
    [SPEC, "--max-bytes", "0"], [SPEC, "--max-bytes", "1073741825"], [SPEC, "--max-bytes", "+5"],
    [SPEC, "--max-bytes", " 5"], [SPEC, "--max-bytes", "1_000"], [SPEC, "--max-bytes", "٣"],
    [SPEC, "--output-file", ""], [SPEC, "--config="],
    [SPEC, "--bogus"], [SPEC, "-x"], [SPEC, "--strict", "-5"], [SPEC, "--form", "json"],
])
def test_anything_else_goes_to_typer(args):
    assert parse_check(args) is None


RENDER_READ_HERE = [
    [SPEC],
    [SPEC, "-o", "out", "-T", "svg,dot"],
    [SPEC, "--output=out", "--formats", "png", "--scale", "2", "--scale=0.25", "--theme", "dark"],
    [SPEC, "--legend", "--annotate", "--collapse", "--all-views", "--check", "--strict", "-q"],
    [SPEC, "--view", "ingest", "--view=query", "--ignore", "W", "--max-bytes", "4096", "--color", "never"],
    [SPEC, "--scale", "8", "--scale", "1.50", "--theme=light", "--config", SPEC, "--stdin-filename", "x.yaml"],
    ["--", "-o", SPEC],
]


@pytest.mark.parametrize("args", RENDER_READ_HERE)
def test_the_render_values_are_the_ones_typer_passes(args):
    ours = parse_words(args, RENDER_OPTIONS)
    assert ours is not None
    theirs = _through_typer(args, "render")
    assert theirs is not None
    theirs["typed"] = set(theirs["typed"])
    ours = _filled(ours, "render")
    ours["typed"] = set(ours["typed"])
    assert {k: (v, type(v)) for k, v in ours.items()} == {k: (v, type(v)) for k, v in _filled(theirs, "render").items()}


@pytest.mark.parametrize("args", [
    [], [SPEC, "-h"], [SPEC, "-oout"], [SPEC, "-Tsvg"], [SPEC, "--legend=yes"], [SPEC, "-o"],
    [SPEC, "--scale", "0.2"], [SPEC, "--scale", "8.5"], [SPEC, "--scale", "1e0"], [SPEC, "--scale", ".5"],
    [SPEC, "--scale", "2."], [SPEC, "--scale", " 2"], [SPEC, "--theme", "Dark"], [SPEC, "--theme", "blue"],
    [SPEC, "--format", "json"], [SPEC, "--output-file", "x"], [SPEC, "--view"], [SPEC, "--all"],
])
def test_anything_else_in_render_goes_to_typer(args):
    assert parse_words(args, RENDER_OPTIONS) is None


def _run(argv: list[str], cwd, typer_path: bool, stdin: bytes = b""):
    code = ("import sys; sys.argv = ['archgen', *sys.argv[1:]]; "
            + ("from archgen.cli import main" if typer_path else "from archgen.entry import main") + "; main()")
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, cwd=cwd, input=stdin)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("argv, cwd", [
    (["check", SPEC], ROOT),
    (["check", BAD, SPEC, "-f", "json"], ROOT),
    (["check", BAD, "-f", "sarif", "--ignore", "E1", "--ignore", "Q"], ROOT),
    (["check", BAD, "-f", "github", "--color", "always"], ROOT),
    (["check", "specs", "-q", "--strict"], PROJECT),
    (["check", "specs", "--max-bytes", "10"], PROJECT),
    (["check", "-", "--stdin-filename", "piped.yaml"], ROOT),
    (["check", "no-such.yaml"], ROOT),
    (["check", str(FIXTURES)], ROOT),
    (["check", SPEC, "--config", "missing.toml"], ROOT),
])
def test_the_same_bytes_come_out(argv, cwd, tmp_path):
    assert parse_check(argv[1:]) is not None
    stdin = (FIXTURES / "bad" / "duplicate-id.yaml").read_bytes()
    assert _run(argv, cwd, typer_path=False, stdin=stdin) == _run(argv, cwd, typer_path=True, stdin=stdin)


@pytest.mark.parametrize("argv, code", [
    (["render", SPEC, "-o", "out", "-T", "svg,dot", "--all-views"], 0),
    (["render", SPEC, BAD, "-o", "out", "-T", "dot", "--theme", "dark", "--collapse"], 1),
    (["render", SPEC, "-o", "out", "-T", "svg", "--view", "nope"], 2),
    (["render", SPEC, SPEC, "-o", "out"], 0),  # the same file named twice is drawn once
    (["render", "-", "-o", "out", "-T", "dot", "--stdin-filename", "piped.yaml", "-q"], 0),
    (["render", SPEC, "-o", "out", "--check"], 1),
])
def test_render_writes_the_same_bytes_and_files(argv, code, tmp_path):
    assert parse_words(argv[1:], RENDER_OPTIONS) is not None
    stdin = (ROOT / "specs" / "emr-spark.archgen.yaml").read_bytes()
    seen = []
    for typer_path in (False, True):
        said = _run(argv, tmp_path, typer_path, stdin)
        out = tmp_path / "out"
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())} if out.exists() else {}
        seen.append((said, files))
        shutil.rmtree(out, ignore_errors=True)
    assert seen[0] == seen[1]
    assert seen[0][0][0] == code


def test_a_clean_render_needs_no_typer(tmp_path):
    proc = subprocess.run([sys.executable, "-c", PROBE, "render", SPEC, "-o", str(tmp_path), "-T", "svg"],
                          capture_output=True, text=True, cwd=ROOT)
    # the drawing stack, and nothing of the command line's libraries
    assert proc.stdout.strip().splitlines()[-1] == (
        "0 ['PIL', 'pygraphviz'] ['archgen.render.graph', 'archgen.render.graphviz', 'archgen.render.pipeline']"
    ), proc.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clickstream.svg"]


def test_the_same_report_file_is_written(tmp_path):
    fast, slow = tmp_path / "fast.json", tmp_path / "slow.json"
    assert _run(["check", BAD, "-f", "json", "--output-file", str(fast)], ROOT, False)[0] == 1
    assert _run(["check", BAD, "-f", "json", "--output-file", str(slow)], ROOT, True)[0] == 1
    assert fast.read_bytes() == slow.read_bytes() and b'"E110"' in fast.read_bytes()


PROBE = """
import sys
sys.argv = ["archgen", *sys.argv[1:]]
from archgen.entry import main
try:
    main()
except SystemExit as exc:
    code = exc.code
top = sorted({m.split(".")[0] for m in sys.modules} & {"typer", "click", "jsonschema", "rich", "pydantic",
             "pygraphviz", "PIL", "diagrams", "pptx", "pygls", "markdown_it"})
deep = sorted(m for m in sys.modules if m.startswith(("archgen.render.graph", "archgen.render.pipeline",
              "archgen.slides", "archgen.iac", "archgen.build", "archgen.lsp", "archgen.cli.", "importlib.metadata"))
              or m == "archgen.cli")
print(code, top, deep)
"""


def test_a_clean_check_imports_neither_typer_nor_jsonschema_nor_the_drawing_stack():
    proc = subprocess.run([sys.executable, "-c", PROBE, "check", SPEC, "-f", "json"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "0 [] []", proc.stderr[-2000:]


def test_a_check_with_schema_errors_still_needs_no_typer():
    proc = subprocess.run([sys.executable, "-c", PROBE, "check", str(FIXTURES / "bad" / "unknown-top-key.yaml")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "1 ['jsonschema'] []", proc.stderr[-2000:]


def test_an_unread_command_line_still_reaches_typer():
    proc = subprocess.run([sys.executable, "-c", PROBE, "check", SPEC, "-qf", "json"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1].startswith("0 ['click', 'typer']") or \
        proc.stdout.strip().splitlines()[-1].startswith("0 ['typer']"), proc.stdout


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    @property
    def encoding(self) -> str:
        return "utf-8"


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("color", [None, False, True])
@pytest.mark.parametrize("err", [False, True])
def test_echo_writes_what_typers_echo_writes(monkeypatch, tty, color, err):
    message = "\x1b[31merror\x1b[0m E110 ünïcode \x1b[?25l…"
    written = []
    for echo in (cli_core.echo, typer.echo):
        stream = _Stream(tty)
        monkeypatch.setattr(sys, "stderr" if err else "stdout", stream)
        echo(message, err=err, color=color)
        written.append(stream.getvalue())
    assert written[0] == written[1]
    assert written[0].endswith("…\n")
