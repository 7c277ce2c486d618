"""Whole-process `archgen render` (PNG+SVG, as a user runs it) against the size of the diagram:
wall time, CPU time and peak memory by nodes, edges and groups (Graphviz clusters).

    python benchmarks/bench_layout_cost.py [--timeout 90] [--sizes 60,100,250,500,1000]
                                           [--per 2,4]

Each case is a legal synthetic spec (``gen_spec.generate_legal``: every component has
flows, rules v2 constraints drop a few), with no groups and with one group per ten
components. Up to 60 nodes archgen tries several layouts (``archgen.render.quality``), so
the small cases include that search. A case that uses more than ``--timeout`` CPU seconds is
killed and shown as ``>T``; its memory is what it had reached. CPU time is the figure to read:
Graphviz's layout runs on one CPU, so on an idle machine the wall clock is about the same,
while on a shared one the wall clock mostly measures the other jobs. A case archgen refuses (E005, the layout
limits) is shown as refused with the time the refusal took: that is the point of the limits.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_spec import generate_legal  # noqa: E402
from whole import archgen_command, machine, user_env  # noqa: E402


def counts(text: str) -> tuple[int, int, int]:
    """Nodes, edges and groups of a generated spec (what Graphviz is given)."""
    from archgen.check import check_source

    spec = check_source(text, "case.yaml").spec
    return len(spec.components), len(spec.flows), len(spec.groups)


WALL_CAP = 5  # a case is also stopped after this many times its CPU limit of wall-clock time


def run(cmd: list[str], timeout: float) -> tuple[str, float, float, float, str]:
    """(outcome, wall s, CPU s, peak MB, last stderr line) of one whole process; its process
    group (archgen and its drawing child) is killed once it has used ``timeout`` CPU seconds.
    CPU and peak memory come from ``wait4`` (the drawing child included), or for a killed
    case from ``/proc`` samples every 0.1 s (resident memory of both processes added up)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=user_env(),
                            start_new_session=True)
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
    reader.start()
    timed_out = False
    seen: dict[int, float] = {}  # CPU seconds of each process of the group, as last read
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss = _sample(proc.pid, seen)
        peak = max(peak, rss)
        # the limit is on CPU time: on a shared machine the wall clock says more about the others
        if sum(seen.values()) > timeout or time.perf_counter() - start > WALL_CAP * timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            timed_out = True
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.1)
    wall = time.perf_counter() - start
    cpu, peak = usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss / 1024)
    if timed_out:  # the drawing child was killed with its parent, never reaped: use what was read
        cpu = max(cpu, sum(seen.values()))
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    text = b"".join(err).decode("utf-8", "replace")
    if timed_out:
        outcome = "timeout"
    elif proc.returncode == 0:
        outcome = "drawn"
    elif proc.returncode == 1 and "E005" in text:
        outcome = "refused"
    else:
        outcome = f"exit {proc.returncode}"
    lines = text.strip().splitlines()
    return outcome, wall, cpu, peak, (lines[-1] if lines else "")


def _sample(group: int, seen: dict[int, float]) -> float:
    """Resident MB of the processes of ``group`` (archgen and its drawing child) now; records
    each one's CPU seconds in ``seen``."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    rss = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after the name: state ppid pgrp ...
            seen[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
            rss += int(fields[21]) * page
    return rss / (1 << 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=90.0, help="CPU seconds before a case is stopped")
    parser.add_argument("--sizes", default="60,100,250,500,1000")
    parser.add_argument("--per", default="2,4", help="flows per component")
    args = parser.parse_args()
    exe = archgen_command()
    print(f"machine: {machine()}")
    print("| components | flows (edges) | groups | outcome | wall s | CPU s | peak MB |")
    print("|---|---|---|---|---|---|---|", flush=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for per in (int(p) for p in args.per.split(",")):
            for grouped in (False, True):
                over = False  # a smaller size of this series ran out of time: larger ones are not run
                for size in sizes:
                    groups = max(1, size // 10) if grouped else 0
                    text = generate_legal(size, size * per, groups=groups)
                    nodes, edges, clusters = counts(text)
                    if over:
                        rows.append((nodes, edges, clusters, f"not run (>{args.timeout:.0f} s at fewer)", "", "", ""))
                        print("| " + " | ".join(map(str, rows[-1])) + " |", flush=True)
                        continue
                    spec = Path(tmp) / f"c{size}-{per}-{groups}.yaml"
                    spec.write_text(text)
                    out = Path(tmp) / "out"
                    outcome, wall, cpu, peak, last = run([*exe, "render", str(spec), "-o", str(out)],
                                                         args.timeout)
                    over = outcome == "timeout"
                    shown = f">{args.timeout:.0f}" if over else f"{cpu:.1f}"
                    rows.append((nodes, edges, clusters, outcome, f"{wall:.1f}", shown, f"{peak:.0f}"))
                    print("| " + " | ".join(map(str, rows[-1])) + " |", flush=True)
                    if outcome not in ("drawn", "refused", "timeout"):
                        print(f"    {last}", flush=True)

if __name__ == "__main__":
    main()
