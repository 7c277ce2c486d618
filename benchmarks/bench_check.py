"""Time `archgen check` on a 1,000-component, 2,000-flow spec (a tenth of the flows illegal)
and `archgen --version`, as whole processes. Prints the median of several runs.

    python benchmarks/bench_check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate  # noqa: E402


def timed(cmd: list[str], runs: int, ok=(0, 1)) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok:
            raise SystemExit(f"{cmd} failed: {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "archgen"]
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "big-clean.yaml"
        clean.write_text(generate(1000, 2000, illegal=0.0))
        dirty = Path(tmp) / "big-illegal.yaml"
        dirty.write_text(generate(1000, 2000, illegal=0.1))
        proc = subprocess.run([*exe, "check", str(dirty), "-f", "json"], capture_output=True, text=True)
        n_illegal = proc.stdout.count('"E301"')
        print(f"archgen --version:                        {timed([*exe, '--version'], args.runs):.3f} s")
        print(f"check 1000 components / 2000 flows:       {timed([*exe, 'check', str(clean)], args.runs):.3f} s")
        print(f"check same, 10% illegal ({n_illegal} E301):     "
              f"{timed([*exe, 'check', str(dirty)], args.runs):.3f} s")
        print(f"(median of {args.runs} runs, whole process including Python start-up)")


if __name__ == "__main__":
    main()
