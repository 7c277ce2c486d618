"""The layout budget (E005 before Graphviz runs) and pictures too large for cairo's PNG limit."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from archgen.check import check_file
from archgen.errors import RenderError
from archgen.model.loader import Limits
from archgen.render.budget import Size, layout_limits, over_budget, spec_size
from tests.conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile"
GROUPS = HOSTILE / "layout-many-groups.yaml"
GROUPS_E005 = (f"{GROUPS}:213:3: E005 error: the diagram is too large to lay out in reasonable time and memory: "
               "it has 103 groups (the limit is 100)")


def test_limits_come_from_the_data_file():
    assert layout_limits() == Size(nodes=300, edges=350, clusters=100)
    assert over_budget(Size(300, 350, 100)) is None
    assert over_budget(Size(301, 1001, 0)) == (
        "the diagram is too large to lay out in reasonable time and memory: it has 301 nodes (the limit is 300), "
        "1,001 edges (the limit is 350)", "nodes")


def test_spec_size_counts_the_diagram_and_its_overview():
    spec = check_file(GROUPS).spec
    assert spec_size(spec) == Size(102, 101, 103)
    # --collapse: the two top-level groups are two nodes, the 101 flows between them one edge
    assert spec_size(spec, collapse=True) == Size(2, 1, 0)


def test_render_refuses_before_graphviz_and_collapse_draws_the_overview(cli, tmp_path):
    result = cli("render", GROUPS, "-o", tmp_path, "-T", "svg", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == GROUPS_E005
    assert result.stderr.splitlines()[1] == (
        "    hint: split the architecture into several specs, or draw an overview with `archgen render --collapse` "
        "(one node per top-level group); views crop one layout of the whole diagram, so they do not make it smaller")
    assert list(tmp_path.iterdir()) == []
    result = cli("render", GROUPS, "-o", tmp_path, "-T", "svg", "-q", "--collapse")
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "layout-many-groups.svg").read_text(encoding="utf-8")
    assert svg.count('class="node"') == 2
    assert svg.count('class="edge"') == 1


def test_check_with_collapse_limits_counts_the_overview():
    assert [f.code for f in check_file(GROUPS, Limits(collapse=True)).findings if f.is_error] == []


def test_build_refuses_too(cli, tmp_path):
    (tmp_path / "big.archgen.yaml").write_bytes(GROUPS.read_bytes())
    result = cli("build", tmp_path, "-o", tmp_path / "out", "--jobs", "1", "-q")
    assert result.exit_code == 1
    assert "E005 error: the diagram is too large to lay out" in result.stderr
    assert not (tmp_path / "out" / "big.svg").exists()


def test_drawing_guard_refuses_a_graph_over_the_budget():
    from archgen.render.graph import build_graph
    from archgen.render.options import RenderOptions
    from archgen.render.pipeline import draw_graph
    from archgen.render.plan import planned_outputs

    spec = check_file(GROUPS).spec  # the checks refused it; a caller that draws it anyway is stopped
    options = RenderOptions(("svg",))
    with pytest.raises(RenderError, match=r"^E005 the diagram is too large to lay out .* 103 groups"):
        draw_graph(build_graph(spec, "x"), options, planned_outputs(spec, "x", options))


def test_downscaled_png_is_a_warning_with_both_sizes(tmp_path):
    spec = HOSTILE / "wide-pipeline.yaml"
    proc = subprocess.run([sys.executable, "-m", "archgen", "render", str(spec), "--scale", "8", "-T", "png",
                           "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        "archgen: warning: graphviz: wide-pipeline.png is drawn at 32,766×3,145 px instead of 103,014×9,888 px: "
        "a PNG has at most 32,767 px a side, so Graphviz scaled the picture down to 31.8%",
        "    hint: draw parts of it as views (--view), an overview with --collapse, the other direction "
        "(`direction: TB` or `LR`), or use a lower --scale"]
    data = (tmp_path / "wide-pipeline.png").read_bytes()
    assert struct.unpack(">II", data[16:24]) == (32766, 3145)


def test_slides_refuse_too(cli, tmp_path):
    spec = HOSTILE / "layout-many-edges.yaml"
    result = cli("slides", spec, "-o", tmp_path / "deck.html", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{spec}:67:3: E005 error: the diagram is too large to lay out in reasonable time and memory: "
        "it has 351 edges (the limit is 350)")
    assert not (tmp_path / "deck.html").exists()
