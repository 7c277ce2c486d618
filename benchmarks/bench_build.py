"""Time `archgen build` of 50 specs of 20-60 components (PNG+SVG), as whole processes:
a full build with --jobs 1 and with --jobs 2, and a rebuild with nothing changed.

    python benchmarks/bench_build.py [--runs 3] [--specs 50]

The synthetic specs put every component under `analytics`, which gives W204 warnings;
the build runs with `--ignore W` so that they are not printed 50 times.
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


def write_specs(folder: Path, count: int) -> list[int]:
    """``count`` specs with 20 to 60 components, evenly spread; returns their sizes."""
    folder.mkdir(parents=True)
    sizes = []
    for i in range(count):
        components = 20 + round(40 * i / max(1, count - 1))
        (folder / f"spec{i:02d}.archgen.yaml").write_text(generate(components, int(components * 1.3), seed=i))
        sizes.append(components)
    return sizes


def timed_build(specs: Path, out: Path, *extra: str) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "archgen", "build", str(specs), "-o", str(out), "--ignore", "W", *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return seconds, proc.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--specs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sizes = write_specs(root / "specs", args.specs)
        timed_build(root / "specs", root / "warm", "--jobs", "2")  # warm the file cache and imports
        serial, parallel, rebuild = [], [], []
        last = {}
        for run in range(args.runs):  # interleave so machine noise hits both alike
            for jobs, times in (("1", serial), ("2", parallel)):
                out = root / f"out-{jobs}-{run}"
                seconds, line = timed_build(root / "specs", out, "--jobs", jobs)
                times.append(seconds)
                last[jobs] = line
            seconds, line = timed_build(root / "specs", root / f"out-2-{run}")
            rebuild.append(seconds)
            last["rebuild"] = line
            for jobs in ("1", "2"):
                shutil.rmtree(root / f"out-{jobs}-{run}")
        s, p, r = statistics.median(serial), statistics.median(parallel), statistics.median(rebuild)
        print(f"{args.specs} specs of {min(sizes)}-{max(sizes)} components ({sum(sizes)} in all), PNG+SVG, "
              f"median of {args.runs}, whole process")
        print(f"full build --jobs 1:        {s:.2f} s   ({last['1']})")
        print(f"full build --jobs 2:        {p:.2f} s   ({last['2']})")
        print(f"speed-up --jobs 2 / 1:      {s / p:.2f}x (target >= 1.6x)")
        print(f"rebuild, nothing changed:   {r:.2f} s   ({last['rebuild']}) (target < 1 s)")


if __name__ == "__main__":
    main()
