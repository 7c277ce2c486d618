"""Helpers shared by the benchmarks: time whole processes, alternating, and report medians.

Every number these scripts print is a whole process as a user starts it (Python start-up,
imports, reading files, writing outputs), never a phase measured inside a warm process.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def archgen_command() -> list[str]:
    """The ``archgen`` console script of this Python (what a user types), else ``python -m archgen``."""
    script = Path(sys.executable).parent / "archgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "archgen"]


def archgen_from(checkout: Path) -> list[str]:
    """``python -m archgen`` run from a checkout (first on ``PYTHONPATH``): an older archgen
    for a before/after table, or this one started the same way. ``-P``: without it ``-m`` puts
    the current folder first on the path, and run from a checkout's root it would import that
    checkout's archgen instead."""
    return ["env", f"PYTHONPATH={checkout.resolve()}", sys.executable, "-P", "-m", "archgen"]


def load_average() -> str:
    """The 1-minute load average, as the benchmarks print it."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not on every system
        return "unknown"


def user_env() -> dict[str, str]:
    """The environment a user runs in: Python may cache compiled modules (``__pycache__``),
    as it does after a normal install, whatever this shell says."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(cmd: list[str], ok: tuple[int, ...] = (0,), cwd: str | None = None) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one whole process; stops on failure.

    The CPU time is the child's own, from ``wait4``: on a shared machine it moves much
    less than the wall clock when other work competes for the CPUs.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=user_env())
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def alternate(commands: dict[str, tuple[list[str], tuple[int, ...]]], runs: int, warmup: int = 1,
              cwd: str | None = None) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each command, run in turn ``runs`` times after
    ``warmup`` rounds, so that machine noise falls on all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for round_ in range(warmup + runs):
        for name, (cmd, ok) in commands.items():
            measured = run_once(cmd, ok, cwd)
            if round_ >= warmup:
                times[name].append(measured)
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in times.items()}


def graphviz_libs() -> Path:
    """The Graphviz libraries bundled in the pygraphviz wheel (the ones archgen runs)."""
    import pygraphviz

    return Path(pygraphviz.__file__).resolve().parent.parent / "pygraphviz.libs"


def dot_program() -> str | None:
    """A `dot` built from ``gvdot.c`` against the bundled Graphviz, so that "Graphviz alone"
    is the very Graphviz archgen uses, started as a fresh process. None without gcc."""
    libs = graphviz_libs()
    if shutil.which("gcc") is None or not libs.is_dir():
        return None
    target = Path(tempfile.gettempdir()) / f"archgen-bench-dot-{os.getuid()}" / "dot"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        names = ["gvc", "cgraph", "gvplugin_core", "gvplugin_dot_layout", "gvplugin_neato_layout",
                 "gvplugin_gd", "gvplugin_pango"]
        link = []
        for name in names:
            found = sorted(p.name for p in libs.glob(f"lib{name}-*.so*"))
            if not found:
                return None
            link.append(f"-l:{found[0]}")
        subprocess.run(["gcc", "-O2", "-o", str(target), str(HERE / "gvdot.c"), f"-L{libs}", *link,
                        f"-Wl,-rpath,{libs}"], check=True)
    return str(target)


def machine() -> str:
    """One line about the machine: CPU model, CPUs, Python, Graphviz."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pygraphviz

    return (f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, pygraphviz {pygraphviz.__version__}")
