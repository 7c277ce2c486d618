"""Whole-process `archgen check` from 20 components up to the limits (5,000 components,
20,000 flows), to show how it grows, plus `archgen --version` and `archgen -h`.

    python benchmarks/bench_check.py [--runs 7]

Each size is a synthetic spec from ``gen_spec.generate`` (legal flows; one row with a tenth
of the flows illegal, which runs the detour search). The commands are run in turn, a
warm-up round first, and the median is printed. "over start-up" subtracts the median of
`archgen check` on an empty-flow 1-component spec, which is the fixed cost.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate  # noqa: E402
from whole import alternate, archgen_command, machine  # noqa: E402

SIZES = [(20, 26, 0.0), (100, 200, 0.0), (1000, 2000, 0.0), (1000, 2000, 0.1), (2500, 5000, 0.0),
         (5000, 10000, 0.0), (5000, 20000, 0.0)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = archgen_command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = folder / "tiny.yaml"
        tiny.write_text("archgen: 1\ntitle: One\nstores:\n  lake: s3\n")
        commands = {"--version": ([*exe, "--version"], (0,)), "--help": ([*exe, "--help"], (0,)),
                    "-h": ([*exe, "-h"], (0, 2)),
                    "tiny": ([*exe, "check", str(tiny), "--ignore", "W"], (0,))}
        for comps, flows, illegal in SIZES:
            spec = folder / f"c{comps}-f{flows}-i{illegal}.yaml"
            spec.write_text(generate(comps, flows, illegal=illegal))
            commands[spec.stem] = ([*exe, "check", str(spec)], (0, 1))
        medians = alternate(commands, args.runs)
    print(f"machine: {machine()}")
    print(f"median of {args.runs} whole processes each, run in turn after a warm-up round; "
          "wall clock and CPU (user+system)\n")
    print("| command | wall s | CPU s |\n|---|---|---|")
    for name, label in (("--version", "`archgen --version`"), ("--help", "`archgen --help`"),
                        ("-h", "`archgen -h`"), ("tiny", "`archgen check` of a 1-component spec")):
        print(f"| {label} | {medians[name][0]:.3f} | {medians[name][1]:.3f} |")
    base = medians["tiny"][0]
    print("\n| components | flows | illegal | `archgen check` wall s | CPU s | wall over the 1-component check s "
          "| ms per 1,000 flows over it |")
    print("|---|---|---|---|---|---|---|")
    for comps, flows, illegal in SIZES:
        wall, cpu = medians[f"c{comps}-f{flows}-i{illegal}"]
        print(f"| {comps:,} | {flows:,} | {illegal:.0%} | {wall:.3f} | {cpu:.3f} | {wall - base:.3f} | "
              f"{(wall - base) / flows * 1e6:.0f} |")


if __name__ == "__main__":
    main()
