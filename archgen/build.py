"""``archgen build``: check every spec under some paths and draw the valid ones, incrementally.

Each output's key (``archgen.render.keys``) is recorded in the folder's manifest and stored
inside the file. An output whose key is current on both counts is left alone; the others
are drawn again, across processes. Outputs the manifest recorded for specs that no longer
exist (or for pictures a spec no longer produces) are removed unless pruning is off.
Rendering is deterministic, so a parallel build writes the same bytes as a serial one.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from archgen.check import CheckResult, check_source, read_spec
from archgen.errors import ArchgenError, RenderError, UsageError
from archgen.manifest import Entry, Manifest
from archgen.model.loader import Limits
from archgen.render.freshness import output_problem
from archgen.render.keys import output_keys
from archgen.render.output import stem
from archgen.render.pipeline import RenderOptions
from archgen.specfiles import find_specs

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, spec)``: once with ``done == 0``, then after each spec drawn."""


@dataclass(frozen=True)
class BuildOptions:
    """What to draw and how: render options plus the build's own switches."""

    render: RenderOptions = field(default_factory=RenderOptions)
    jobs: int | None = None  # None: one process per CPU
    prune: bool = True
    strict: bool = False
    ignore: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


@dataclass
class SpecOutcome:
    """One spec's part in a build.

    ``status`` is ``built`` (something was drawn), ``unchanged`` (every output current),
    ``failed`` (findings stop it, or drawing failed: see ``error``) or, with ``--check``,
    ``stale`` (an output is missing or out of date).
    """

    path: Path
    result: CheckResult
    source: bytes = b""
    outputs: dict[str, str] = field(default_factory=dict)  # file name → key
    status: str = "unchanged"
    error: ArchgenError | None = None


@dataclass
class BuildReport:
    """What a build did (or, with ``--check``, what it would have to do)."""

    specs: list[SpecOutcome]
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # --check: "<path>: missing" / "<path>: stale (...)"
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.specs)

    @property
    def findings(self):
        return [f for s in self.specs for f in s.result.findings]

    def exit_code(self, strict: bool = False) -> int:
        """0 all current; 1 findings (or, with ``--check``, anything missing or stale); 3 drawing failed."""
        code = 0
        for s in self.specs:
            if not s.result.ok(strict) or s.result.spec is None:
                code = max(code, 1)
            elif s.error is not None:
                code = max(code, s.error.exit_code)
        if self.problems:
            code = max(code, 1)
        return code


@dataclass(frozen=True)
class _Task:
    """One spec to draw in a worker process (everything it needs, picklable)."""

    spec: str
    source: bytes
    name: str
    options: RenderOptions
    keys: dict[str, str]
    out_dir: str
    limits: Limits


@dataclass(frozen=True)
class _Done:
    spec: str
    written: tuple[str, ...] = ()
    error: tuple[str, str | None, int] | None = None  # message, hint, exit code


def build(paths: list[str | os.PathLike], out_dir: str | os.PathLike, options: BuildOptions | None = None,
          progress: Progress | None = None, check_only: bool = False) -> BuildReport:
    """Check every spec under ``paths`` and bring ``out_dir`` up to date.

    With ``check_only`` nothing is written: the report lists each output that is missing
    or stale (and each that pruning would remove). Raises UsageError for paths that do
    not exist and for two specs that would write the same output.
    """
    options = options or BuildOptions()
    start = time.perf_counter()
    folder = Path(out_dir)
    specs = _check_specs(find_specs(paths or ["."]), options)
    manifest = Manifest.load(folder)
    refs = {s.path: manifest.ref(s.path) for s in specs}
    todo: list[_Task] = []
    problems: list[str] = []
    for s in specs:
        if not s.outputs:
            continue
        stale = {}
        for file_name, key in s.outputs.items():
            why = output_problem(folder / file_name, key, manifest.key(file_name))
            if why:
                stale[file_name] = key
                problems.append(f"{folder / file_name}: {why}")
            elif not check_only:
                manifest.outputs[file_name] = Entry(refs[s.path], key)
        if stale:
            s.status = "stale" if check_only else "built"
            formats = tuple(f for f in options.render.formats if f"{stem(s.path)}.{f}" in stale)
            todo.append(_Task(str(s.path), s.source, stem(s.path), _with_formats(options.render, formats),
                              stale, str(folder), options.limits))
    prunable = _prunable(manifest, specs, refs) if options.prune else []
    report = BuildReport(specs)
    if check_only:
        report.problems = problems + [f"{folder / name}: stale (no spec draws it any more; a build removes it)"
                                      for name in prunable]
        report.seconds = time.perf_counter() - start
        return report
    by_path = {str(s.path): s for s in specs}
    for done in _run(todo, options.jobs, progress):
        outcome = by_path[done.spec]
        if done.error:
            message, hint, code = done.error
            outcome.status = "failed"
            outcome.error = RenderError(message, hint)
            outcome.error.exit_code = code
            continue
        for file_name in done.written:
            manifest.outputs[file_name] = Entry(refs[outcome.path], outcome.outputs[file_name])
            report.written.append(folder / file_name)
    stuck: list[str] = []
    for name in prunable:
        path = folder / name
        try:
            path.unlink()
            report.removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            stuck.append(f"{path} ({exc.strerror})")
            continue  # still recorded: the next build tries again
        del manifest.outputs[name]
    manifest.save()
    if stuck:
        raise RenderError(f"cannot remove {', '.join(stuck)}", hint="check the output folder's permissions")
    report.seconds = time.perf_counter() - start
    return report


def _with_formats(options: RenderOptions, formats: tuple[str, ...]) -> RenderOptions:
    return RenderOptions(formats, options.scale, options.theme, options.legend)


def _check_specs(paths: list[Path], options: BuildOptions) -> list[SpecOutcome]:
    """Read and check each spec; the valid ones get their expected outputs and keys."""
    by_name: dict[str, Path] = {}
    for path in paths:
        name = stem(path)
        if name in by_name:
            raise UsageError(f"{by_name[name]} and {path} would both write {name}.*",
                             hint="rename one of them, or build them into different folders")
        by_name[name] = path
    out = []
    for path in paths:
        source = read_spec(path, options.limits)
        result = check_source(source, str(path), options.limits, options.ignore)
        outcome = SpecOutcome(path, result, source)
        if result.spec is None or not result.ok(options.strict):
            outcome.status = "failed"
        else:
            outcome.outputs = output_keys(source, stem(path), options.render)
        out.append(outcome)
    return out


def _prunable(manifest: Manifest, specs: list[SpecOutcome], refs: dict[Path, str]) -> list[str]:
    """Recorded outputs no spec will produce again: their spec is gone, or it no longer
    draws them (a format dropped). Outputs of specs that failed their check are kept."""
    valid = {refs[s.path] for s in specs if s.outputs}
    expected = {name for s in specs for name in s.outputs}
    out = []
    for name, entry in sorted(manifest.outputs.items()):
        if name in expected:
            continue
        if entry.spec in valid or not manifest.spec_file(entry).exists():
            out.append(name)
    return out


def _run(tasks: list[_Task], jobs: int | None, progress: Progress | None):
    """Draw every task, yielding each result as it completes; in-process for one job."""
    tasks = sorted(tasks, key=lambda t: (-len(t.source), t.spec))  # biggest first: balanced workers
    total = len(tasks)
    if progress:
        progress(0, total, "")
    workers = min(jobs or default_jobs(), total)
    if workers <= 1:
        for i, task in enumerate(tasks, start=1):
            done = _draw(task)
            if progress:
                progress(i, total, task.spec)
            yield done
        return
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    except (OSError, ValueError) as exc:  # no process pool on this system
        raise RenderError(f"cannot start {workers} drawing processes: {exc}", hint="use --jobs 1") from exc
    with pool:
        futures = {pool.submit(_draw, task): task for task in tasks}
        for i, future in enumerate(as_completed(futures), start=1):
            spec = futures[future].spec
            try:
                done = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not be reached
                done = _Done(spec, error=(f"{spec}: the drawing process failed: {exc!r}", None, 3))
            if progress:
                progress(i, total, done.spec)
            yield done


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_PRELOAD = ["archgen.check", "archgen.render.graph", "archgen.render.graphviz", "archgen.render.stamped",
            "archgen.checks", "archgen.model.parse", "archgen.model.schema"]


def _context():
    """Workers fork from a clean server process where one exists (no threads of ours to copy)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _draw(task: _Task) -> _Done:
    """Worker: check the spec again (cheap), draw the stale formats, stamp, write atomically."""
    from archgen.render.output import write_all
    from archgen.render.stamped import draw_stamped

    try:
        result = check_source(task.source, task.spec, task.limits)
        if result.spec is None:
            raise RenderError(f"{task.spec}: the spec changed while it was being built")
        files = draw_stamped(result.spec, task.source, task.name, task.options, keys=task.keys)
        write_all({Path(task.out_dir) / name: data for name, data in files.items()})
        return _Done(task.spec, tuple(files))
    except ArchgenError as exc:
        return _Done(task.spec, error=(exc.message, exc.hint, exc.exit_code))
    except Exception as exc:  # a bug or a Graphviz crash must not stop the other specs
        return _Done(task.spec, error=(f"{task.spec}: drawing failed: {exc!r}", None, 3))
