"""Drawing a build's stale specs: in this process for one job, or across a process pool."""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from archgen.errors import ArchgenError, RenderError
from archgen.model.loader import Limits
from archgen.render.options import RenderOptions

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, spec)``: once with ``done == 0``, then after each spec drawn."""


@dataclass(frozen=True)
class Task:
    """One spec to draw in a worker process (everything it needs, picklable).

    ``keys`` names the outputs to draw (the stale ones) with the key each must carry.
    """

    spec: str
    source: bytes
    name: str
    options: RenderOptions
    keys: dict[str, str]
    out_dir: str
    limits: Limits


@dataclass(frozen=True)
class Done:
    """What drawing one spec gave: the files written, or the error; and the warnings raised
    while drawing (``(message, category)``), which the caller raises again in its own process."""

    spec: str
    written: tuple[str, ...] = ()
    error: tuple[str, str | None] | None = None  # message, hint: the drawing failed (exit 3)
    warnings: tuple[tuple[str, type[Warning]], ...] = ()


def run(tasks: list[Task], jobs: int | None, progress: Progress | None) -> Iterator[Done]:
    """Draw every task, yielding each result as it completes; in-process for one job."""
    tasks = sorted(tasks, key=lambda t: (-len(t.source), t.spec))  # biggest first: balanced workers
    total = len(tasks)
    if progress:
        progress(0, total, "")
    workers = min(jobs or default_jobs(), total)
    if workers <= 1:
        for i, task in enumerate(tasks, start=1):
            done = draw_task(task)
            if progress:
                progress(i, total, task.spec)
            yield done
        return
    context = _context()
    pool = None
    try:
        try:
            _start_server(context)
            with _signals_held():  # every worker is spawned and known to the pool before a signal is handled
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_signals)
                futures = {pool.submit(draw_task, task): task for task in tasks}
        except (OSError, ValueError) as exc:  # no process pool on this system
            raise RenderError(f"cannot start {workers} drawing processes: {exc}", hint="use --jobs 1") from exc
        for i, future in enumerate(as_completed(futures), start=1):
            spec = futures[future].spec
            try:
                done = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not be reached
                done = Done(spec, error=(f"{spec}: the drawing process failed: {exc!r}", None))
            if progress:
                progress(i, total, done.spec)
            yield done
    except BaseException:  # a signal (Interrupted), or the caller stopped: no worker outlives us
        if pool is not None:
            _stop(pool)
        raise
    pool.shutdown(wait=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait (blocked, not lost) while the pool starts its workers.

    A worker is a process (its pid in /proc) before ``ProcessPoolExecutor`` records it; a
    signal handled in between left that worker unknown to ``_stop``, drawing on after the
    build had exited. Threads the pool starts meanwhile keep the signals blocked, so the
    main thread handles them. On leaving, a signal that arrived is handled at once.
    """
    held = {signal.SIGTERM, signal.SIGINT}
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_server(context) -> None:
    """Start the fork server before signals are held: its workers inherit its signal mask."""
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _stop_server(context) -> None:
    """Stop the fork server and reap it (its workers are reaped already): after a signal the
    build leaves no process behind, running or a zombie."""
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        with contextlib.suppress(OSError, ChildProcessError, AttributeError):
            forkserver._forkserver._stop()  # no public way; used by CPython's own tests


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers (each removes its temporary files as it exits) and reap
    them, then the fork server they came from."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public terminate
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(timeout=10)
            if process.exitcode is None:  # it ignored SIGTERM (stuck in Graphviz): no mercy
                process.kill()
                process.join()
    pool.shutdown(wait=True, cancel_futures=True)
    _stop_server(pool._mp_context)


class _Stopped(BaseException):
    """A worker was told to stop; ``draw_task`` exits the process once the files are cleaned."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _worker_signals() -> None:
    """In a worker, SIGTERM and SIGINT unwind like in the parent: ``finally`` blocks remove
    temporary files before the process exits with 128 + the signal's number. A worker's
    layout searches stay in its own process."""

    def stop(signum, frame):
        if not _drawing:  # idle between tasks: nothing to clean, and no traceback from the pool's loop
            from archgen.render.isolated import stop_children

            stop_children()
            os._exit(128 + signum)
        raise _Stopped(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    from archgen.render.isolated import limit_processes

    limit_processes(1)  # the pool already keeps every CPU busy: each drawing searches in one process


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_PRELOAD = ["archgen.check", "archgen.render.graph", "archgen.render.graphviz", "archgen.render.pipeline",
            "archgen.checks", "archgen.model.parse", "archgen.model.schema"]


def _context():
    """Workers fork from a clean server process where one exists (no threads of ours to copy)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


_drawing = False  # in a worker: whether a task is being drawn (a signal then unwinds it)


def draw_task(task: Task) -> Done:
    """Worker: check the spec again (cheap), draw the stale outputs, stamp, write atomically."""
    global _drawing
    _drawing = True
    try:
        # A worker process has no CLI to print its warnings (they would come out in Python's
        # format, or not at all): they travel back with the result, in one job as in many.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            done = _draw_task(task)
        return dataclasses.replace(done, warnings=tuple((str(w.message), w.category) for w in caught))
    finally:
        _drawing = False


def _draw_task(task: Task) -> Done:
    from archgen.check import check_source
    from archgen.files import write_all
    from archgen.render.pipeline import draw_stamped
    from archgen.render.plan import ALL_VIEWS, planned_outputs

    try:
        result = check_source(task.source, task.spec, task.limits)
        if result.spec is None:
            raise RenderError(f"{task.spec}: the spec changed while it was being built")
        planned = planned_outputs(result.spec, task.name, task.options, [ALL_VIEWS])
        stale = [o for o in planned if o.file in task.keys]
        files = draw_stamped(result.spec, task.source, task.name, task.options, stale, keys=task.keys)
        write_all({Path(task.out_dir) / name: data for name, data in files.items()})
        return Done(task.spec, tuple(files))
    except _Stopped as exc:  # write_all's finally removed the temporary files on the way here
        from archgen.render.isolated import stop_children

        stop_children()
        os._exit(exc.code)  # the pool's loop would catch any exception and take the next task
    except ArchgenError as exc:
        return Done(task.spec, error=(exc.message, exc.hint))
    except Exception as exc:  # a bug or a Graphviz crash must not stop the other specs
        return Done(task.spec, error=(f"{task.spec}: drawing failed: {exc!r}", None))
