"""Time archgen's start-up answers as whole processes: ``-V``, ``--version``, ``-h``,
``check -h``, against Python starting and doing nothing. Prints medians.

    python benchmarks/bench_startup.py [--runs 21] [--before DIR]

The console script (``.venv/bin/archgen``, beside this Python) is what a user and an editor
run; ``python -m archgen`` is timed too. Runs alternate between the commands so that a
passing load on the machine touches all of them alike. With ``--before DIR`` (a checkout of
an older archgen) each archgen command also runs as ``python -m archgen`` from that checkout
and from this one, in turn with the rest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from whole import archgen_from, load_average, user_env  # noqa: E402

HERE = Path(__file__).resolve().parent.parent
SPEC = str(HERE / "specs" / "clickstream.archgen.yaml")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--before", type=Path, help="a checkout of an older archgen to time as well")
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
        "archgen check clickstream (20 components)": [script, "check", SPEC],
        "archgen check -qf json clickstream (typer)": [script, "check", "-qf", "json", SPEC],
    }
    if args.before:
        for name, cmd in list(commands.items()):
            if cmd[0] == script:
                commands[f"{name}, before (-m)"] = [*archgen_from(args.before), *cmd[1:]]
                commands[f"{name}, after (-m)"] = [*archgen_from(HERE), *cmd[1:]]
    print(f"load average (1 min) before the runs: {load_average()}")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, env=user_env())
            times[name].append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{cmd} failed: {proc.stderr.decode()[-500:]}")
    for name, values in times.items():
        print(f"{name:60s} {statistics.median(values) * 1000:6.1f} ms")
    print(f"(median of {args.runs} runs each, whole processes, interleaved; load average after: {load_average()})")


if __name__ == "__main__":
    main()
