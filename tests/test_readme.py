"""The README's first code block is the whole set-up: one command renders the examples, one
runs the tests, and CI runs exactly that second command."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def first_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```[a-z]*\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_two_commands_render_and_test():
    render, test = first_block()
    assert render.startswith("python3 -m venv .venv && .venv/bin/pip install -q -e . && ")
    assert ".venv/bin/archgen render specs/*.archgen.yaml -o output --all-views" in render
    assert test == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert first_block()[1] in ci.splitlines()
