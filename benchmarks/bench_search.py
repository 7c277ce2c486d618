"""In-process time of the layout search's parts: dot layouts, ``place_labels`` and ``measure``.

    python benchmarks/bench_search.py [--runs 5] [--sizes 12,30,50,60] [--before DIR]

For each size a synthetic spec (``gen_spec.generate_legal``, 1.3 flows per component, a group
per 20 components) is laid out with every ``quality.VARIANTS`` setting in its own direction;
then, as ``_best_layout`` does, labels are moved on each layout and each layout is measured
(caches emptied first, so the edges' ``pos`` are parsed as in a fresh process). Medians of
``--runs``, in milliseconds of this process's CPU time. With ``--before DIR`` (an older
checkout) the same runs in a process with that checkout first on ``PYTHONPATH``, in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(spec: Path, runs: int) -> dict[str, float]:
    from archgen.check import check_file
    from archgen.render import graphviz as gv
    from archgen.render import quality
    from archgen.render.graph import build_graph

    warnings.simplefilter("ignore")
    graph = build_graph(check_file(spec).spec, spec.stem)
    base = [v for v in quality.VARIANTS if not getattr(v, "rows", 0)]
    parts: dict[str, list[float]] = {"dot layouts": [], "place_labels": [], "measure": []}
    for _ in range(runs):
        t0 = time.process_time()
        laid = [gv._laid_out(graph, False, v) for v in base]
        for name in ("_line", "_label_extent"):  # a fresh process's caches
            cached = getattr(quality, name, None)
            if cached is not None:
                cached.cache_clear()
        t1 = time.process_time()
        for g, subgraphs in laid:
            quality.place_labels(g, graph, subgraphs, gv.EDGE_PT, gv.EDGE_WRAP, gv.GROUP_PT)
        t2 = time.process_time()
        for g, subgraphs in laid:
            quality.measure(g, graph, subgraphs, gv.EDGE_PT, gv.EDGE_WRAP, gv.ICON_PT)
        t3 = time.process_time()
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2)):
            parts[key].append(value)
    return {key: statistics.median(values) * 1000 for key, values in parts.items()} | {
        "layouts": len(base), "nodes": len(graph.nodes), "edges": len(graph.edges)}


def cell(got: dict, key: str) -> str:
    """``before / after`` milliseconds, or only ``after``."""
    after = got["after"][key]
    return f"{got['before'][key]:.0f} / {after:.0f}" if "before" in got else f"{after:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="12,30,50,60")
    parser.add_argument("--before", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    sys.path.insert(0, str(HERE))
    from gen_spec import generate_legal

    sides = {"after": str(HERE.parent)} | ({"before": str(args.before.resolve())} if args.before else {})
    print(f"median of {args.runs}, CPU ms in-process; before/after when --before is given")
    print("| components / flows | layouts | dot layouts | place_labels | measure |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            spec = Path(tmp) / f"search{n}.yaml"
            spec.write_text(generate_legal(n, int(n * 1.3), groups=max(1, n // 20)))
            got = {}
            for side, root in sides.items():
                env = dict(os.environ, PYTHONPATH=root)
                out = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--child", str(spec)],
                                     check=True, capture_output=True, text=True, env=env, cwd=root)
                got[side] = json.loads(out.stdout)
            after = got["after"]
            print(f"| {n} / {after['edges']} | {after['layouts']} | {cell(got, 'dot layouts')} | "
                  f"{cell(got, 'place_labels')} | {cell(got, 'measure')} |")


if __name__ == "__main__":
    main()
