"""Graphviz failures through the real CLI: exit 3 with Graphviz's message and a hint, never 0,
never a traceback, nothing written. The faults are provoked by ``tests.graphviz_fault``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "fixtures" / "graphviz" / "markup.yaml"
SPEC_NAME = "tests/fixtures/graphviz/markup.yaml"
DIED = ("    hint: if the diagram is large, split the architecture into several specs or draw an overview "
        "with --collapse; otherwise please report this with the spec that caused it")
MARKUP = "    hint: Graphviz was given a label it cannot read; please report this with the spec that caused it"

EXPECTED = {
    "exit": [f"{SPEC_NAME}: Graphviz failed (exit status 1): out of memory", DIED],
    "crash": [f"{SPEC_NAME}: Graphviz failed (killed by SIGSEGV): it gave no message", DIED],
    "markup": [f"{SPEC_NAME}: Graphviz could not lay out the diagram: Error: not well-formed (invalid token) "
               "in line 1", MARKUP],
    "raise": [f"{SPEC_NAME}: Graphviz could not lay out the diagram: Error: Layout was not done", DIED],
}


def _run(fault: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tests.graphviz_fault", fault, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_render_reports_graphviz_failure(fault, tmp_path):
    out = tmp_path / "out"
    proc = _run(fault, "render", SPEC_NAME, "-o", str(out), "-T", "png,svg")
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == EXPECTED[fault]
    assert proc.stdout == ""
    assert not out.exists() or list(out.iterdir()) == []


def test_build_reports_graphviz_failure(tmp_path):
    (tmp_path / "m.archgen.yaml").write_bytes(SPEC.read_bytes())
    proc = _run("exit", "build", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert proc.returncode == 3
    lines = proc.stderr.splitlines()
    assert lines[:2] == [f"{tmp_path / 'm.archgen.yaml'}: Graphviz failed (exit status 1): out of memory", DIED]
    assert "Traceback" not in proc.stderr
    assert not list((tmp_path / "out").glob("m.*"))


def test_slides_report_graphviz_failure(tmp_path):
    deck = tmp_path / "deck.html"
    proc = _run("crash", "slides", SPEC_NAME, "-o", str(deck))
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == ["archgen: error: Graphviz failed (killed by SIGSEGV): it gave no message",
                                        DIED]
    assert not deck.exists()


def test_blank_labels_draw_every_picture(cli, tmp_path):
    """Found by benchmarks/fuzz.py: a title of only a line feed made Graphviz fail on `<B></B>`."""
    spec = ROOT / "tests" / "fixtures" / "hostile" / "blank-labels.yaml"
    result = cli("render", spec, "-o", tmp_path, "-T", "svg", "--all-views", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank-labels--query.svg", "blank-labels.svg"]


LARGE_NAME = "tests/fixtures/layout/generated-30.yaml"  # 30 components, 39 flows: searched in two processes


@pytest.mark.parametrize("fault", ["crash", "exit", "raise"])
def test_a_search_shared_between_processes_reports_graphviz_failure(fault, tmp_path):
    out = tmp_path / "out"
    proc = _run(fault, "render", LARGE_NAME, "-o", str(out), "-T", "png,svg", "-q")
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == [line.replace(SPEC_NAME, LARGE_NAME) for line in EXPECTED[fault]]
    assert not out.exists() or list(out.iterdir()) == []
