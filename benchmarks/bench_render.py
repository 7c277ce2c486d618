"""Whole-process `archgen render` to PNG+SVG against Graphviz alone on archgen's DOT.

    python benchmarks/bench_render.py [--runs 5] [--sizes 10,50,150,500] [--before DIR]

For each size a synthetic spec (``gen_spec.generate_legal``, 1.3 flows per component, a group
per 20 components) is drawn by

- ``archgen render SPEC -o DIR`` (PNG+SVG, the default), the whole process; and
- with ``--before DIR`` (a checkout of an older archgen, e.g. ``git worktree add DIR COMMIT``),
  ``python -P -m archgen render SPEC -o DIR2`` with that checkout first on ``PYTHONPATH``, run in
  turn with the others, so that before and after meet the same machine load (``-P``: without it
  ``-m`` puts the current folder, this checkout, ahead of ``PYTHONPATH``, and "before" would run
  the current code);
- ``dot -Tpng -o x.png -Tsvg -o x.svg graph.dot``: a fresh `dot` process on the DOT of the
  layout archgen chooses (written once, before timing), built from ``gvdot.c`` against the
  Graphviz libraries bundled in the pygraphviz wheel, so both sides run the same Graphviz
  (14.1.5 here) with the same fonts. One layout, two formats, like archgen.

The two are run in turn, after a warm-up round, and medians are printed. Without gcc the
`dot` side is a fresh Python process running pygraphviz on the same DOT instead.
"""

from __future__ import annotations

import argparse
import struct
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate_legal  # noqa: E402
from whole import alternate, archgen_command, archgen_from, dot_program, machine  # noqa: E402

PYGRAPHVIZ_ALONE = """import sys, pygraphviz
g = pygraphviz.AGraph(sys.argv[1]); g.layout(prog="dot")
g.draw(sys.argv[2], format="png"); g.draw(sys.argv[3], format="svg")
"""


def archgen_dot(spec: Path) -> str:
    """The DOT of the layout archgen chooses for this spec (absolute icon paths), before
    layout: its direction and ``quality.VARIANTS`` setting, and ``newrank`` when dot's cluster
    ranking loses edges without it, as archgen then lays out again. Graphviz alone lays it
    out once and places the labels itself."""
    import warnings

    from archgen.check import check_file
    from archgen.render import graphviz as gv
    from archgen.render.graph import build_graph

    result = check_file(spec)
    assert result.spec is not None and result.ok(), result.findings[:3]
    graph = build_graph(result.spec, spec.stem)
    settings, laid_out = {}, gv._laid_out

    def spy(d, legend, variant=gv.VARIANTS[0]):  # which direction and setting each tried layout had
        g, subgraphs = laid_out(d, legend, variant)
        settings[id(g)] = (d, variant)
        return g, subgraphs

    gv._laid_out = spy
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            laid, _, _ = gv._best_layout(graph, False)
    finally:
        gv._laid_out = laid_out
    direction, variant = settings[id(laid)]
    g = gv._build(direction, False, variant)[0]
    if laid.graph_attr.get("newrank") == "true":
        g.graph_attr["newrank"] = "true"
    return g.string()


def png_size(path: Path) -> tuple[int, int, int]:
    """Width, height and PNG colour type (2 RGB, 6 RGBA) from the IHDR chunk."""
    head = path.read_bytes()[16:26]
    width, height = struct.unpack(">II", head[:8])
    return width, height, head[9]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10,50,150,500")
    parser.add_argument("--before", type=Path, help="a checkout of an older archgen to time as well")
    args = parser.parse_args()
    exe = archgen_command()
    if args.before:  # the before side must import the older checkout's archgen, not this one
        import subprocess

        where = subprocess.run(["env", f"PYTHONPATH={args.before.resolve()}", sys.executable, "-P", "-c",
                                "import archgen; print(archgen.__file__)"], capture_output=True, text=True, check=True)
        assert Path(where.stdout.strip()).is_relative_to(args.before.resolve()), where.stdout
    dot = dot_program()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            spec = folder / f"bench{n}.yaml"
            spec.write_text(generate_legal(n, int(n * 1.3), groups=max(1, n // 20)))
            dot_file = folder / "graph.dot"
            dot_file.write_text(archgen_dot(spec))
            out = folder / "out"
            alone_png, alone_svg = folder / "alone.png", folder / "alone.svg"
            if dot:
                baseline = [dot, "-Tpng", "-o", str(alone_png), "-Tsvg", "-o", str(alone_svg), str(dot_file)]
            else:
                script = folder / "alone.py"
                script.write_text(PYGRAPHVIZ_ALONE)
                baseline = [sys.executable, str(script), str(dot_file), str(alone_png), str(alone_svg)]
            commands = {"archgen": ([*exe, "render", str(spec), "-o", str(out)], (0,)),
                        "graphviz": (baseline, (0,))}
            if args.before:
                commands["before"] = ([*archgen_from(args.before), "render", str(spec), "-o", str(folder / "before")],
                                      (0,))
            medians = alternate(commands, args.runs)
            aw, ah, at = png_size(out / f"bench{n}.png")
            gw, gh, gt = png_size(alone_png)
            rows.append((n, medians["archgen"], medians["graphviz"], aw * ah / 1e6, gw * gh / 1e6,
                         at, gt, (out / f"bench{n}.svg").stat().st_size / 1e6, alone_svg.stat().st_size / 1e6,
                         medians.get("before")))
    print(f"machine: {machine()}")
    print(f"baseline: {'fresh dot process (gvdot.c, bundled Graphviz)' if dot else 'fresh Python + pygraphviz'}")
    print(f"median of {args.runs} whole processes each, run in turn after a warm-up round; "
          "wall clock, CPU (user+system) in brackets\n")
    before = "| before s (CPU) ratio (CPU ratio) " if args.before else ""
    print(f"| components {before}| archgen render PNG+SVG s | Graphviz alone s | ratio (CPU ratio) "
          "| PNG Mpx archgen / alone | PNG type | SVG MB archgen / alone |")
    print("|---|" + ("---|" if args.before else "") + "---|---|---|---|---|---|")
    types = {2: "RGB", 6: "RGBA"}
    for n, a, g, apx, gpx, at, gt, asvg, gsvg, b in rows:
        old = f"| {b[0]:.3f} ({b[1]:.3f}) {b[0] / g[0]:.2f}x ({b[1] / g[1]:.2f}x) " if b else ""
        print(f"| {n} {old}| {a[0]:.3f} ({a[1]:.3f}) | {g[0]:.3f} ({g[1]:.3f}) "
              f"| {a[0] / g[0]:.2f}x ({a[1] / g[1]:.2f}x) | {apx:.1f} / {gpx:.1f} | "
              f"{types.get(at, at)} / {types.get(gt, gt)} | {asvg:.2f} / {gsvg:.2f} |")


if __name__ == "__main__":
    main()
