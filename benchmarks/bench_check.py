"""Whole-process `archgen check` from 20 components up to the limits (5,000 components,
20,000 flows), to show how it grows, plus `archgen --version` and `archgen -h`.

    python benchmarks/bench_check.py [--runs 7] [--before DIR]

Each size is a synthetic spec from ``gen_spec.generate`` (legal flows; one row with a tenth
of the flows illegal, which runs the detour search). The commands are run in turn, a
warm-up round first, and the median is printed. "over start-up" subtracts the median of
`archgen check` on an empty-flow 1-component spec, which is the fixed cost.

With ``--before DIR`` (a checkout of an older archgen, e.g. ``git worktree add DIR COMMIT``)
every command also runs as ``python -m archgen`` from that checkout and from this one (the
same way of starting, so the two columns compare the code alone), in turn with the others.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate  # noqa: E402
from whole import alternate, archgen_command, archgen_from, load_average, machine  # noqa: E402

HERE = Path(__file__).resolve().parent.parent

SIZES = [(20, 26, 0.0), (100, 200, 0.0), (1000, 2000, 0.0), (1000, 2000, 0.1), (2500, 5000, 0.0),
         (5000, 10000, 0.0), (5000, 20000, 0.0)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="a checkout of an older archgen to time as well")
    parser.add_argument("--sizes", type=int, default=len(SIZES), help="only the first N sizes")
    args = parser.parse_args()
    sizes = SIZES[:args.sizes]
    exe = archgen_command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = folder / "tiny.yaml"
        tiny.write_text("archgen: 1\ntitle: One\nstores:\n  lake: s3\n")
        commands = {"--version": ([*exe, "--version"], (0,)), "--help": ([*exe, "--help"], (0,)),
                    "-h": ([*exe, "-h"], (0, 2)),
                    "tiny": ([*exe, "check", str(tiny), "--ignore", "W"], (0,))}
        for comps, flows, illegal in sizes:
            spec = folder / f"c{comps}-f{flows}-i{illegal}.yaml"
            spec.write_text(generate(comps, flows, illegal=illegal))
            commands[spec.stem] = ([*exe, "check", str(spec)], (0, 1))
        if args.before:
            for name, (cmd, ok) in list(commands.items()):
                commands[f"{name} before"] = ([*archgen_from(args.before), *cmd[len(exe):]], ok)
                commands[f"{name} after -m"] = ([*archgen_from(HERE), *cmd[len(exe):]], ok)
        load_before = load_average()
        medians = alternate(commands, args.runs)
    print(f"machine: {machine()}")
    print(f"load average (1 min) {load_before} before the runs, {load_average()} after")
    print(f"median of {args.runs} whole processes each, run in turn after a warm-up round; "
          "wall clock and CPU (user+system)\n")
    print("| command | wall s | CPU s |\n|---|---|---|")
    for name, label in (("--version", "`archgen --version`"), ("--help", "`archgen --help`"),
                        ("-h", "`archgen -h`"), ("tiny", "`archgen check` of a 1-component spec")):
        print(f"| {label} | {medians[name][0]:.3f} | {medians[name][1]:.3f} |")
    if args.before:
        print(f"\n`python -m archgen` from {args.before} (before) and from this checkout (after): wall s (CPU s)\n")
        print("| command | before | after | after / before |\n|---|---|---|---|")
        for name in [n for n in medians if not n.endswith((" before", " after -m"))]:
            old, new = medians[f"{name} before"], medians[f"{name} after -m"]
            print(f"| {name} | {old[0]:.3f} ({old[1]:.3f}) | {new[0]:.3f} ({new[1]:.3f}) | {new[0] / old[0]:.2f} |")
    base = medians["tiny"][0]
    print("\n| components | flows | illegal | `archgen check` wall s | CPU s | wall over the 1-component check s "
          "| ms per 1,000 flows over it |")
    print("|---|---|---|---|---|---|---|")
    for comps, flows, illegal in sizes:
        wall, cpu = medians[f"c{comps}-f{flows}-i{illegal}"]
        print(f"| {comps:,} | {flows:,} | {illegal:.0%} | {wall:.3f} | {cpu:.3f} | {wall - base:.3f} | "
              f"{(wall - base) / flows * 1e6:.0f} |")


if __name__ == "__main__":
    main()
