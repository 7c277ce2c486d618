"""Time archgen's start-up answers as whole processes: ``-V``, ``--version``, ``-h``,
``check -h``, against Python starting and doing nothing. Prints medians.

    python benchmarks/bench_startup.py [--runs 21]

The console script (``.venv/bin/archgen``, beside this Python) is what a user and an editor
run; ``python -m archgen`` is timed too. Runs alternate between the commands so that a
passing load on the machine touches all of them alike.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    script = str(Path(sys.executable).with_name("archgen"))
    commands = {
        "python -c pass (start-up alone)": [sys.executable, "-c", "pass"],
        "archgen -V": [script, "-V"],
        "archgen --version": [script, "--version"],
        "archgen -h": [script, "-h"],
        "archgen --help": [script, "--help"],
        "archgen check -h": [script, "check", "-h"],
        "python -m archgen --version": [sys.executable, "-m", "archgen", "--version"],
        "archgen check --strict -h (typer)": [script, "check", "--strict", "-h"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True)
            times[name].append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise SystemExit(f"{cmd} failed: {proc.stderr.decode()[-500:]}")
    for name, values in times.items():
        print(f"{name:38s} {statistics.median(values) * 1000:6.1f} ms")
    print(f"(median of {args.runs} runs each, whole processes, interleaved)")


if __name__ == "__main__":
    main()
