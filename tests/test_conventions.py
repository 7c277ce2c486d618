"""Command-line conventions a linter user expects, tested through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from archgen import __version__
from archgen.cli import help_pages
from archgen.helptext import HELP
from tests.conftest import FIXTURES, ROOT

CLI = FIXTURES / "cli"
E301 = FIXTURES / "codes" / "E301.fail.yaml"
W301 = FIXTURES / "codes" / "W301.fail.yaml"


def run(*args, stdin: bytes | None = None, env: dict | None = None, cwd=None):
    """archgen as a whole process, the way a user or an editor runs it."""
    return subprocess.run([sys.executable, "-m", "archgen", *map(str, args)], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def test_short_and_long_version():
    for flag in ("-V", "--version"):
        out = run(flag)
        assert (out.returncode, out.stdout.decode()) == (0, f"archgen {__version__}\n")


def test_help_cache_is_current():
    assert help_pages() == HELP, "run: python -m archgen.helptext --write"


def test_fast_help_equals_typer_help(cli):
    for command in ("", "check", "render", "build"):
        args = [command] if command else []
        fast = run(*args, "-h")
        slow = cli(*args, "--strict", "--help") if command in ("check", "render", "build") else cli("--help")
        assert fast.returncode == 0 and slow.exit_code == 0
        assert fast.stdout.decode() == slow.stdout == HELP[command]


def test_help_has_no_type_placeholders():
    for command, text in HELP.items():
        assert "<bool>" not in text and "<list" not in text and "<str>" not in text, command
        assert "{" not in text.splitlines()[0], command
    assert HELP["check"].startswith("Usage: archgen check [OPTIONS] SPEC...\n")


def test_one_format_scheme(cli, tmp_path):
    assert "-f, --format FORMAT" in HELP["check"] and "-f, --format FORMAT" in HELP["services"]
    assert "-T, --formats FORMATS" in HELP["render"] and "-T, --formats FORMATS" in HELP["build"]
    assert "-f," not in HELP["render"] and "-f," not in HELP["build"]
    assert cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-o", tmp_path, "-T", "dot").exit_code == 0
    assert (tmp_path / "clickstream.dot").exists()


def test_color_always_never_auto_and_no_color():
    painted = run("check", W301, "--color", "always").stdout.decode()
    assert painted.startswith(f"\033[1m{W301}:6:11:\033[0m \033[1;33mW301\033[0m \033[1;33mwarning:\033[0m ")
    for args, env in ((["--color", "never"], {}), ([], {}), ([], {"NO_COLOR": "1"})):
        plain = run("check", W301, *args, env=env).stdout.decode()  # a pipe is not a terminal
        assert "\033" not in plain and plain.startswith(f"{W301}:6:11: W301 warning: ")


def test_color_auto_on_a_terminal_honours_no_color():
    import pty

    def on_tty(env):
        leader, follower = pty.openpty()
        proc = subprocess.run([sys.executable, "-m", "archgen", "check", str(W301)], stdout=follower,
                              stderr=subprocess.DEVNULL, env={**os.environ, "TERM": "xterm", **env})
        os.close(follower)
        data = os.read(leader, 65536).decode()
        os.close(leader)
        return proc.returncode, data

    code, data = on_tty({})
    assert code == 0 and "\033[1;33mW301\033[0m" in data
    code, data = on_tty({"NO_COLOR": "1"})
    assert code == 0 and "\033" not in data and "W301 warning:" in data


def test_quiet_prints_errors_only():
    out = run("check", E301, W301, "-q")
    assert out.returncode == 1
    text = out.stdout.decode()
    assert text.startswith(f"{E301}:10:22: E301 error: ") and "W301" not in text
    assert out.stderr == b""  # no summary line either


def test_output_file(tmp_path):
    report = tmp_path / "out" / "report.json"
    out = run("check", E301, "-f", "json", "--output-file", report)
    assert out.returncode == 1 and out.stdout == b""
    findings = json.loads(report.read_text())["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("E301", 10, 22)]


def test_stdin_with_a_name():
    out = run("check", "-", "--stdin-filename", "pipeline.yaml", stdin=E301.read_bytes())
    assert out.returncode == 1
    assert out.stdout.decode().startswith("pipeline.yaml:10:22: E301 error: Kinesis Data Streams cannot deliver")
    anonymous = run("check", "-", stdin=E301.read_bytes())
    assert anonymous.stdout.decode().startswith("<stdin>:10:22: E301 error:")


def test_render_from_stdin(tmp_path):
    spec = FIXTURES / "codes" / "E301.pass.yaml"
    out = run("render", "-", "--stdin-filename", "piped.yaml", "-o", tmp_path, "-T", "svg", stdin=spec.read_bytes())
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == f"wrote {tmp_path / 'piped.svg'}\n"


def test_folders_hold_only_archgen_specs():
    out = run("check", CLI / "tree", "-f", "json")
    files = sorted({f["file"] for f in json.loads(out.stdout)["findings"]})
    assert files == [str(CLI / "tree" / "illegal.yaml"), str(CLI / "tree" / "sub" / "legacy.yml")]
    text = run("check", CLI / "tree")
    assert text.stderr.decode() == "2 spec(s) checked: 1 error(s), 1 warning(s)\n"


def test_missing_path_is_usage_error():
    out = run("check", CLI / "nosuch.yaml")
    assert out.returncode == 2
    assert out.stderr.decode().startswith(f"archgen: error: {CLI / 'nosuch.yaml'}: no such file or folder\n")


def test_render_refuses_two_specs_with_one_output_name(tmp_path):
    out = run("render", CLI / "dup" / "a" / "x.yaml", CLI / "dup" / "b" / "x.yaml", "-o", tmp_path)
    assert out.returncode == 2
    assert out.stderr.decode().startswith(
        f"archgen: error: {CLI / 'dup' / 'a' / 'x.yaml'} and {CLI / 'dup' / 'b' / 'x.yaml'} "
        f"would both be drawn into {tmp_path / 'x'}.*\n")
    assert list(tmp_path.iterdir()) == []


def test_build_warns_when_it_finds_no_spec(tmp_path):
    out = run("build", CLI / "tree", "-o", tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 0
    assert err.startswith(f"archgen: warning: no spec found under {CLI / 'tree'} (archgen build looks for "
                          "*.archgen.yaml and *.archgen.yml)\n")
    assert f"    hint: {CLI / 'tree' / 'illegal.yaml'}, {CLI / 'tree' / 'sub' / 'legacy.yml'} are archgen specs" in err


def test_ignore_warns_for_unknown_and_unsuppressible_codes():
    out = run("check", W301, "--ignore", "W999", "--ignore", "E201", "--ignore", "W3")
    err = out.stderr.decode().splitlines()
    assert err[:2] == ["archgen: warning: --ignore W999: no finding code starts with `W999`",
                       "archgen: warning: --ignore E201: `E201` cannot be suppressed"]
    assert out.stdout == b""  # W3 silenced the W301


def test_spec_ignore_of_unknown_or_unsuppressible_codes_warns_at_the_entry():
    spec = FIXTURES / "codes" / "W206.fail.yaml"
    out = run("check", spec, "-f", "json")
    rows = [(f["code"], f["line"], f["column"], f["message"], f["hint"]) for f in json.loads(out.stdout)["findings"]]
    assert out.returncode == 0
    assert rows == [
        ("W206", 4, 32, "`ignore: [W299]` on component `web` has no effect: no finding code starts with `W299`",
         "`archgen rules --codes` lists every code; remove the entry or correct it"),
        ("W206", 12, 45, "`ignore: [E1]` on flow `delivery -> lake` has no effect: the codes starting with "
                         "`E1` cannot be suppressed",
         "these errors make the spec meaningless and must be fixed, not ignored; remove the entry")]
    assert run("check", FIXTURES / "codes" / "W206.pass.yaml").stdout == b""


def test_e005_reports_the_real_size(tmp_path):
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"archgen: 1\ntitle: Big\n" + b"# padding\n" * 1000)
    size = spec.stat().st_size
    out = run("check", spec, "--max-bytes", "100")
    assert out.returncode == 1
    assert out.stdout.decode().startswith(f"{spec}:1:1: E005 error: the file is {size:,} bytes; the limit is 100\n")


def test_unknown_view_names_the_file_once(tmp_path):
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    out = run("render", spec, "--view", "nosuch", "-o", tmp_path)
    assert out.returncode == 2
    err = out.stderr.decode()
    assert err.startswith(f"{spec}: no view named nosuch\n") and err.count(str(spec)) == 1


def test_init_writes_the_schema_its_modeline_names(tmp_path):
    from archgen.model.schema import schema_text

    out = run("init", "arch/clicks", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.decode() == "wrote arch/clicks.archgen.yaml\nwrote arch/archgen.schema.json\n"
    spec = (tmp_path / "arch" / "clicks.archgen.yaml").read_text(encoding="utf-8")
    assert spec.splitlines()[0] == "# yaml-language-server: $schema=archgen.schema.json"
    assert (tmp_path / "arch" / "archgen.schema.json").read_text(encoding="utf-8") == schema_text()
    # a second spec in the folder shares the schema, which is current: nothing else is written
    again = run("init", "arch/logs", cwd=tmp_path)
    assert again.stdout.decode() == "wrote arch/logs.archgen.yaml\n"
    # an older archgen schema is refreshed; a file of that name that is not archgen's is left alone
    (tmp_path / "arch" / "archgen.schema.json").write_text(json.dumps({"$id": json.loads(schema_text())["$id"]}))
    assert run("init", "arch/third", cwd=tmp_path).stdout.decode().endswith("wrote arch/archgen.schema.json\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "archgen.schema.json").write_text("{}")
    assert run("init", "other/x", cwd=tmp_path).stdout.decode() == "wrote other/x.archgen.yaml\n"
    assert (tmp_path / "other" / "archgen.schema.json").read_text() == "{}"
    assert run("check", "arch/clicks.archgen.yaml", "--strict", cwd=tmp_path).returncode == 0


def test_build_finds_the_readme_examples_and_draws_what_render_draws(tmp_path):
    built, rendered = tmp_path / "built", tmp_path / "rendered"
    out = run("build", ROOT / "specs", "-o", built, "--jobs", "1")
    assert out.returncode == 0, out.stderr.decode()
    assert out.stderr.decode().splitlines()[-1].startswith("built 6, unchanged 0, failed 0, removed 0 in ")
    assert run("render", *sorted((ROOT / "specs").glob("*.archgen.yaml")), "-o", rendered,
               "--all-views").returncode == 0
    drawn = sorted(p.name for p in built.iterdir() if not p.name.startswith("."))
    assert drawn == sorted(p.name for p in rendered.iterdir())
    assert len(drawn) == 22
    for name in drawn:
        if name.endswith(".svg"):
            assert (built / name).read_bytes() == (rendered / name).read_bytes()


def test_an_output_path_under_a_file_names_the_file(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder\n")
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    out = run("render", spec, "-o", blocker / "img")
    assert out.returncode == 3
    assert out.stderr.decode().splitlines() == [
        f"{spec}: cannot write into {blocker / 'img'}: {blocker} is a file, not a folder",
        "    hint: give -o a folder, or move the file away"]
    out = run("build", ROOT / "specs", "-o", blocker)
    assert out.returncode == 3
    assert out.stderr.decode().splitlines()[-2:] == [
        f"archgen: error: cannot write into {blocker}: {blocker} is a file, not a folder",
        "    hint: give -o a folder, or move the file away"]
    assert blocker.read_text() == "not a folder\n"
