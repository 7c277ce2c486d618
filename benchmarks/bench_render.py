"""Compare `archgen render` of a 150-component spec (PNG+SVG) with
(a) Graphviz alone laying out and drawing the same graph in the same process, and
(b) the same graph written as a plain mingrammer `diagrams` program.

    python benchmarks/bench_render.py [--runs 5]

(b) needs the Graphviz `dot` program, which `diagrams` calls; the script says so if it is
missing (`apt-get install graphviz`). archgen itself needs no system Graphviz.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate  # noqa: E402

from archgen.check import check_file  # noqa: E402
from archgen.render.graph import build_graph  # noqa: E402
from archgen.render.graphviz import build_agraph  # noqa: E402
from archgen.render.icons import icon_path  # noqa: E402
from archgen.render.pipeline import RenderOptions, render_spec  # noqa: E402


def archgen_once(spec: Path, out: Path) -> float:
    start = time.perf_counter()
    result = check_file(spec, ignore=("W",))
    assert result.spec is not None and result.ok()
    render_spec(result.spec, str(spec), out, RenderOptions(("png", "svg")))
    return time.perf_counter() - start


def graphviz_once(dot_source: str) -> float:
    import pygraphviz as pgv

    start = time.perf_counter()
    g = pgv.AGraph(string=dot_source)
    g.layout(prog="dot")
    g.draw(format="png")
    g.draw(format="svg")
    return time.perf_counter() - start


def diagrams_program(spec_result, out: Path) -> str:
    """The same graph as a plain `diagrams` program: same nodes, icons, groups and edge labels."""
    from archgen.catalog.integrations import load_rules
    from archgen.catalog.services import load_services
    from archgen.render.graph import edge_label

    spec = spec_result.spec
    services = load_services()
    rules = load_rules()
    lines = [
        "from diagrams import Cluster, Diagram, Edge",
        "from diagrams.custom import Custom",
        f"with Diagram({spec.title!r}, filename={str(out / 'diagrams')!r}, show=False, "
        "outformat=['png', 'svg'], direction='LR'):",
    ]
    grouped = {m.id: g for g in spec.groups.values() for m in g.members}
    for group in spec.groups.values():
        lines.append(f"    with Cluster({(group.label or group.id)!r}):")
        for ref in group.members:
            comp = spec.components[ref.id]
            icon = icon_path(services[comp.service].icon)
            lines.append(f"        n_{comp.id} = Custom({(comp.label or comp.id)!r}, {str(icon)!r})")
    for comp in spec.components.values():
        if comp.id not in grouped:
            icon = icon_path(services[comp.service].icon)
            lines.append(f"    n_{comp.id} = Custom({(comp.label or comp.id)!r}, {str(icon)!r})")
    for flow in spec.flows:
        a, b = spec.components[flow.source.id], spec.components[flow.target.id]
        rule = rules.pick(a.service, b.service)
        label = edge_label(rule, services) if rule else ""
        lines.append(f"    n_{a.id} >> Edge(label={label!r}) >> n_{b.id}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--components", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        spec = tmpdir / "big.yaml"
        spec.write_text(generate(args.components, int(args.components * 1.3), groups=8))
        result = check_file(spec, ignore=("W",))
        graph = build_graph(result.spec, "big")
        dot_source = build_agraph(graph).string()
        archgen_once(spec, tmpdir)  # warm caches and imports for both
        graphviz_once(dot_source)
        a, g = [], []
        for _ in range(args.runs):  # interleave so machine noise hits both alike
            a.append(archgen_once(spec, tmpdir))
            g.append(graphviz_once(dot_source))
        ma, mg = statistics.median(a), statistics.median(g)
        print(f"{args.components} components, {len(result.spec.flows)} flows, PNG+SVG, median of {args.runs}")
        print(f"archgen render (check + model + layout + draw + embed + write): {ma:.3f} s")
        print(f"Graphviz alone (layout + draw PNG + SVG, same graph):          {mg:.3f} s")
        print(f"ratio archgen / Graphviz: {ma / mg:.2f}x (target <= 1.2x)")
        if shutil.which("dot") is None:
            print("diagrams comparison skipped: install Graphviz's `dot` (apt-get install graphviz)")
            return
        program = tmpdir / "program.py"
        program.write_text(diagrams_program(result, tmpdir))
        cli = [sys.executable, "-m", "archgen", "render", str(spec), "-o", str(tmpdir / "cli"),
               "--ignore", "W"]
        d, c = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(program)], check=True, capture_output=True)
            d.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(cli, check=True, capture_output=True)
            c.append(time.perf_counter() - start)
        md, mc = statistics.median(d), statistics.median(c)
        print(f"diagrams program (whole process, PNG+SVG):                     {md:.3f} s")
        print(f"archgen render   (whole process, PNG+SVG):                     {mc:.3f} s")
        print(f"ratio archgen / diagrams: {mc / md:.2f}x (target <= 0.8x)")


if __name__ == "__main__":
    main()
