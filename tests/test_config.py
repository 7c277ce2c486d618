"""Project configuration (.archgen.yaml, [tool.archgen]) through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import FIXTURES

CONFIG = FIXTURES / "config"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "archgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


def test_yaml_config_found_upward():
    out = run("check", "legacy.yaml", cwd=CONFIG / "yaml-project" / "specs")
    # ignore: [W301] silences the spec's warning; strict: true makes the unknown key fail the run
    assert out.stdout == ("../.archgen.yaml:4:1: W501 warning: unknown configuration key `ignroe`\n"
                          "    hint: did you mean `ignore`?\n")
    assert out.returncode == 1
    assert out.stderr == "1 spec(s) checked: 0 error(s), 1 warning(s)\n"


def test_command_line_wins_over_the_configuration():
    out = run("check", "legacy.yaml", "--ignore", "W2", cwd=CONFIG / "yaml-project" / "specs")
    assert "legacy.yaml:6:11: W301 warning:" in out.stdout  # --ignore replaced the configured W301


def test_pyproject_table_per_file_ignores_and_formats(tmp_path):
    project = CONFIG / "toml-project"
    out = run("check", "legacy/old.yaml", "current/new.yaml", cwd=project)
    lines = out.stdout.splitlines()
    assert lines[:2] == ["pyproject.toml:7:1: W501 warning: unknown configuration key `themes`",
                         "    hint: did you mean `theme`?"]
    assert [line.split(" ")[0:2] for line in lines if ": W301 " in line] == [["current/new.yaml:6:11:", "W301"]]
    assert out.returncode == 0
    drawn = run("render", "legacy", "-o", tmp_path, cwd=project)  # formats = ["dot"] from the table
    assert drawn.returncode == 0, drawn.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.dot"]
    svg = run("render", "legacy", "-o", tmp_path / "svg", "-T", "svg", cwd=project)
    assert sorted(p.name for p in (tmp_path / "svg").iterdir()) == ["old.svg"] and svg.returncode == 0


def test_explicit_config_with_a_bad_value():
    out = run("check", "--config", CONFIG / "bad-value.yaml", "current/new.yaml", cwd=CONFIG / "toml-project")
    assert out.returncode == 2
    assert out.stderr.startswith(f"archgen: error: {CONFIG / 'bad-value.yaml'}:1:8: `scale` must be a number "
                                 "from 0.25 to 8\n")


def test_missing_config_file_is_usage_error(tmp_path):
    out = run("check", "--config", tmp_path / "nope.yaml", CONFIG / "toml-project" / "current" / "new.yaml",
              cwd=tmp_path)
    assert out.returncode == 2 and "no such configuration file" in out.stderr


def test_a_pyproject_nested_too_deep_is_a_usage_error_not_a_traceback(tmp_path):
    spec = FIXTURES / "hostile" / "crlf.yaml"
    (tmp_path / "pyproject.toml").write_text("[tool.archgen]\nignore = " + "[" * 5000 + "]" * 5000 + "\n")
    out = run("check", spec, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.splitlines() == ["archgen: error: pyproject.toml: not valid TOML: arrays or tables nest too deep",
                                       "    hint: the [tool.archgen] settings are flat lists and values"]


def test_a_config_that_is_a_fifo_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "fifo.yaml")  # opening it to read would wait for a writer for ever
    out = run("check", "--config", "fifo.yaml", FIXTURES / "hostile" / "crlf.yaml", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.splitlines()[0] == "archgen: error: fifo.yaml: is a FIFO (named pipe), not a configuration file"
