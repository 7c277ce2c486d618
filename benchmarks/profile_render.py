"""Where a cold `archgen render` spends its time: cProfile of one whole process, by phase.

    python benchmarks/profile_render.py [--sizes 12,150]

For each size a synthetic spec (``gen_spec.generate_legal``, 1.3 flows per component, a group
per 20 components) is drawn to PNG+SVG by a fresh ``python -m cProfile -m archgen render``
process; the printed table is the cumulative time of the functions that make up each phase.
cProfile slows Python code down (not the C code of Graphviz, cairo and zlib), so the Python
phases weigh more here than in a plain run: read the shares, not the absolute times. The
import breakdown is ``python -X importtime -m archgen render ...`` (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate_legal  # noqa: E402
from whole import user_env  # noqa: E402

# phase label -> (file suffix, function name) whose cumulative time it is
PHASES = [
    ("whole process", ("archgen/entry.py", "main")),
    ("import archgen.cli (typer, click)", ("archgen/cli.py", "<module>")),
    ("option parsing (typer)", ("typer/core.py", "parse_args")),
    ("check the spec", ("archgen/check.py", "check_file")),
    ("model to graph (icons, contrast)", ("archgen/render/graph.py", "build_graph")),
    ("layout search (all tried layouts)", ("archgen/render/graphviz.py", "_searched")),
    ("  Graphviz dot layouts", ("archgen/render/graphviz.py", "_layout")),
    ("  building the pygraphviz graphs", ("archgen/render/graphviz.py", "_build")),
    ("  moving labels (place_labels)", ("archgen/render/quality.py", "place_labels")),
    ("  scoring layouts (measure)", ("archgen/render/quality.py", "measure")),
    ("drawing PNG+SVG (Graphviz, cairo, zlib)", ("archgen/render/graphviz.py", "_draw")),
    ("  one SVG icon per symbol (embed_icons)", ("archgen/render/graphviz.py", "embed_icons")),
    ("cache keys", ("archgen/cache/keys.py", "output_keys")),
    ("stamping the keys", ("archgen/cache/stamp.py", "stamp")),
    ("writing the files", ("archgen/files.py", "write_all")),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    total = 0.0
    for (filename, _, function), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if function == name and filename.endswith(suffix):
            total = max(total, cum) if name == "<module>" else total + cum
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="12,150")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    tables = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            spec = Path(tmp) / f"profile{n}.yaml"
            spec.write_text(generate_legal(n, int(n * 1.3), groups=max(1, n // 20)))
            out = Path(tmp) / f"prof{n}"
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "archgen", "render", str(spec),
                            "-o", str(Path(tmp) / f"out{n}")], check=True, capture_output=True, env=user_env())
            stats = pstats.Stats(str(out))
            tables[n] = {label: cumulative(stats, *where) for label, where in PHASES}
    print("| phase | " + " | ".join(f"{n} components ms (share)" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for label, _ in PHASES:
        cells = []
        for n in sizes:
            whole = tables[n]["whole process"] or 1.0
            cells.append(f"{tables[n][label] * 1000:.0f} ({tables[n][label] / whole:.0%})")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
