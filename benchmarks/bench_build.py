"""Whole-process `archgen build` of 50 specs of 20-60 components (PNG+SVG): the rebuild
with nothing changed, and with ``--full`` also full builds with --jobs 1 and --jobs 2.

    python benchmarks/bench_build.py [--runs 7] [--specs 50] [--full] [--before DIR]

The specs come from ``gen_spec.generate_legal`` with seeds 0-49 (the flows that rules v2
constraints reject are dropped, so that every spec is drawn). One build fills the output
folder first; then the no-change rebuild runs ``--runs`` times (after a warm-up) and the
median is printed together with the build's own summary line. With ``--before DIR`` (a
checkout of an older archgen) the rebuild also runs as ``python -m archgen`` from that
checkout and from this one, each into its own filled folder, in turn with the first.
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
from gen_spec import generate_legal  # noqa: E402
from whole import alternate, archgen_command, archgen_from, load_average, machine, user_env  # noqa: E402

HERE = Path(__file__).resolve().parent.parent


def write_specs(folder: Path, count: int) -> list[int]:
    """``count`` specs with 20 to 60 components, evenly spread; returns their sizes."""
    folder.mkdir(parents=True)
    sizes = []
    for i in range(count):
        components = 20 + round(40 * i / max(1, count - 1))
        (folder / f"spec{i:02d}.archgen.yaml").write_text(generate_legal(components, int(components * 1.3), seed=i))
        sizes.append(components)
    return sizes


def build_line(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=user_env())
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return seconds, proc.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--specs", type=int, default=50)
    parser.add_argument("--full", action="store_true", help="also time full builds, --jobs 1 and 2")
    parser.add_argument("--before", type=Path, help="a checkout of an older archgen to time as well")
    args = parser.parse_args()
    exe = archgen_command()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sizes = write_specs(root / "specs", args.specs)
        out = root / "out"
        build = [*exe, "build", str(root / "specs"), "-o", str(out)]
        build_line(build)  # fill the folder
        commands = {"rebuild": (build, (0,))}
        if args.before:
            for name, exe_ in (("before", archgen_from(args.before)), ("after -m", archgen_from(HERE))):
                cmd = [*exe_, "build", str(root / "specs"), "-o", str(root / name.replace(" ", ""))]
                build_line(cmd)
                commands[name] = (cmd, (0,))
        load_before = load_average()
        medians = alternate(commands, args.runs)
        rebuild = medians["rebuild"]
        _, line = build_line(build)
        print(f"machine: {machine()}")
        print(f"load average (1 min) {load_before} before the rebuilds, {load_average()} after")
        print(f"{args.specs} specs of {min(sizes)}-{max(sizes)} components ({sum(sizes)} in all), PNG+SVG")
        print(f"rebuild, nothing changed: {rebuild[0]:.3f} s wall, {rebuild[1]:.3f} s CPU, median of {args.runs} "
              f"whole processes ({line})")
        if args.before:
            for name in ("before", "after -m"):
                print(f"rebuild, python -m archgen {name}: {medians[name][0]:.3f} s wall, {medians[name][1]:.3f} s CPU")
        if not args.full:
            return
        serial, parallel = [], []
        for run in range(3):  # interleaved so machine noise hits both alike
            for jobs, times in (("1", serial), ("2", parallel)):
                folder = root / f"full-{jobs}-{run}"
                seconds, _ = build_line([*exe, "build", str(root / "specs"), "-o", str(folder), "--jobs", jobs])
                times.append(seconds)
                shutil.rmtree(folder)
        s, p = statistics.median(serial), statistics.median(parallel)
        print(f"full build --jobs 1: {s:.2f} s, --jobs 2: {p:.2f} s, speed-up {s / p:.2f}x (median of 3)")


if __name__ == "__main__":
    main()
