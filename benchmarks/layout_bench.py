"""Layout quality of archgen against a plain mingrammer `diagrams` program, spec by spec.

    python benchmarks/layout_bench.py [SPEC ...] [--no-diagrams] [--collapse] [--keep DIR]

With no SPEC it measures the examples (`specs/*.archgen.yaml`) and the realistic architectures in
`benchmarks/specs/`. Each spec is drawn by `archgen render -f svg` (a whole process) and,
unless `--no-diagrams`, as the same graph written as a `diagrams` program: the same nodes,
icons, nested groups and direction, every edge labelled with its mechanism, as a person
using `diagrams` would write it. Both SVGs go through `layout_metrics.measure`; the table is
Markdown. `--collapse` adds a row for `archgen render --collapse` (the overview with one node
per top-level group) of each spec over 25 components. The `diagrams` side needs Graphviz's
`dot` program (`apt-get install graphviz`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from layout_metrics import measure_file  # noqa: E402

from archgen.render.naming import stem  # noqa: E402

SHOWN = ("nodes", "edges", "crossings", "struck_own", "struck_other", "far_labels", "foreign", "loops",
         "arrow_gap", "repeats", "blank_band", "aspect", "text_px_slide")


def diagrams_program(spec_path: Path, out: Path) -> str:
    """The spec's graph as a plain `diagrams` program."""
    from archgen.catalog.integrations import load_rules
    from archgen.catalog.services import load_services
    from archgen.check import check_file
    from archgen.render.graph import build_graph, edge_label
    from archgen.render.icons import icon_path

    result = check_file(spec_path)
    spec = result.spec
    graph = build_graph(spec, stem(spec_path))
    services, rules = load_services(), load_rules()
    names = {n.id: f"n{i}" for i, n in enumerate(graph.nodes)}
    by_id = {n.id: n for n in graph.nodes}
    lines = [
        "from diagrams import Cluster, Diagram, Edge",
        "from diagrams.custom import Custom",
        f"with Diagram({spec.title!r}, filename={str(out)!r}, show=False, outformat='svg', "
        f"direction={spec.direction!r}):",
    ]
    placed: set[str] = set()

    def node(nid: str, indent: str) -> None:
        n = by_id[nid]
        comp = spec.components.get(nid)
        # the name and service unwrapped, as a person writing the program would
        name = (comp.label or services[comp.service].short) if comp is not None and not n.groups else " ".join(n.lines)
        label = "\n".join([name] + ([n.caption] if n.caption else []))
        lines.append(f"{indent}{names[nid]} = Custom({label!r}, {str(icon_path(n.icon))!r})")
        placed.add(nid)

    def cluster(c, indent: str) -> None:
        lines.append(f"{indent}with Cluster({c.label!r}):")
        for nid in c.nodes:
            node(nid, indent + "    ")
        for child in c.clusters:
            cluster(child, indent + "    ")
        if not c.nodes and not c.clusters:
            lines.append(f"{indent}    pass")

    for c in graph.clusters:
        cluster(c, "    ")
    for n in graph.nodes:
        if n.id not in placed:
            node(n.id, "    ")
    for flow, edge in zip(spec.flows, graph.edges, strict=True):
        a, b = spec.components[flow.source.id], spec.components[flow.target.id]
        rule = rules.pick(a.service, b.service, flow.via)
        label = flow.label if flow.label is not None else (edge_label(rule, services) if rule else "")
        lines.append(f"    {names[edge.source]} >> Edge(label={label!r}) >> {names[edge.target]}")
    return "\n".join(lines) + "\n"


def archgen_svg(spec: Path, out: Path, *options: str) -> Path:
    folder = out / "-".join(o.strip("-") for o in options) if options else out
    subprocess.run([sys.executable, "-m", "archgen", "render", str(spec), "-T", "svg", "-o", str(folder), *options],
                   check=True, capture_output=True)
    return folder / f"{stem(spec)}.svg"


def components(spec: Path) -> int:
    from archgen.check import check_file

    return len(check_file(spec).spec.components)


def diagrams_svg(spec: Path, out: Path) -> Path:
    program = out / f"{stem(spec)}_diagrams.py"
    target = out / f"{stem(spec)}-diagrams"
    program.write_text(diagrams_program(spec, target))
    subprocess.run([sys.executable, str(program)], check=True, capture_output=True, cwd=out)
    return target.with_suffix(".svg")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--no-diagrams", action="store_true")
    parser.add_argument("--collapse", action="store_true", help="also measure the --collapse overview")
    parser.add_argument("--keep", type=Path, help="keep the SVGs in this folder")
    args = parser.parse_args(argv)
    specs = args.specs or sorted((ROOT / "specs").glob("*.yaml")) + sorted((HERE / "specs").glob("*.yaml"))
    with_diagrams = not args.no_diagrams and shutil.which("dot") is not None
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        print("| spec | tool | " + " | ".join(SHOWN) + " |")
        print("|---" * (len(SHOWN) + 2) + "|")
        for spec in specs:
            rows = [("archgen", measure_file(archgen_svg(spec, out)))]
            if args.collapse and components(spec) > 25:
                rows.append(("archgen --collapse", measure_file(archgen_svg(spec, out, "--collapse"))))
            if with_diagrams:
                rows.append(("diagrams", measure_file(diagrams_svg(spec, out))))
            for tool, m in rows:
                print(f"| {stem(spec)} | {tool} | " + " | ".join(str(m[c]) for c in SHOWN) + " |")
    if not with_diagrams and not args.no_diagrams:
        print("diagrams comparison skipped: install Graphviz's `dot` (apt-get install graphviz)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
