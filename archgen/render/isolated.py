"""Graphviz's work in a forked child process, so that its failures are reported, never fatal.

Graphviz ends the process from C when memory runs out (it prints ``out of memory`` and calls
``exit(1)``), and a crash in C kills it outright; in-process, either would end archgen with
no message or a wrong exit code. ``run`` calls a function in a forked child whose standard
error goes to a file the parent reads afterwards: the child hands its result back through a
pipe, and a child that dies first becomes a ``RenderError`` carrying what Graphviz said.
Warnings raised in the child (``GraphvizWarning``) are raised again in the parent.
Without ``os.fork`` (Windows) the function runs in-process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable
from typing import TypeVar

from archgen.errors import ArchgenError, RenderError

T = TypeVar("T")

HINT = ("if the diagram is large, split the architecture into several specs or draw an overview "
        "with --collapse; otherwise please report this with the spec that caused it")

# In the child: standard error is this file, so ``stderr_since`` reads what C code wrote.
_SINK: list[int] = []


def in_child() -> bool:
    """True in a drawing child process (standard error is the file the parent reads)."""
    return bool(_SINK)


def stderr_since(offset: int) -> str:
    """What was written to standard error in the child since ``offset``."""
    fd = _SINK[0]
    end = os.lseek(fd, 0, os.SEEK_END)
    return os.pread(fd, max(0, end - offset), offset).decode("utf-8", "replace")


def stderr_offset() -> int:
    return os.lseek(_SINK[0], 0, os.SEEK_END)


def _die_with_parent() -> None:
    """Linux: the child is killed when its parent dies, so no drawing outlives archgen."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_HELD = (signal.SIGTERM, signal.SIGINT)
_LIVE: set[int] = set()  # drawing children not reaped yet


def stop_children() -> None:
    """Kill and reap every drawing child not reaped yet: called before a process exits on a
    signal, so none is left a zombie under init."""
    for pid in sorted(_LIVE):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        _LIVE.discard(pid)


def _hold_signals():
    """Block SIGTERM and SIGINT (they wait, not lost); the mask to restore, or None."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(mask) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _become_child(mask, sink: int) -> None:
    """In a forked child: signals act by default again, the child dies with its parent, and
    standard error goes to ``sink``, which the parent reads."""
    for signum in _HELD:
        signal.signal(signum, signal.SIG_DFL)
    _release_signals(mask)
    _die_with_parent()
    sys.stderr.flush()
    os.dup2(sink, 2)
    _SINK[:] = [2]


def _child(fn: Callable[..., T], args: tuple, out_fd: int, sink: int, mask=None) -> None:
    """Run ``fn`` and write ``(kind, payload, warnings)`` to ``out_fd``; never returns."""
    code = 0
    try:
        _become_child(mask, sink)
        data = pickle.dumps(_outcome(fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view):]
    except BaseException:  # pragma: no cover - nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


def _outcome(fn: Callable, args: tuple) -> tuple[str, object, list]:
    """``(kind, payload, warnings)`` of calling ``fn(*args)``, for ``_unpack``: ``ok`` and
    the result, ``error`` and an ``ArchgenError``'s parts, or ``bug`` and a one-line account."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[str, object] = ("ok", fn(*args))
        except ArchgenError as exc:
            result = ("error", (type(exc), exc.message, exc.hint))
        except Exception as exc:  # a bug: reported with its traceback's last line
            result = ("bug", f"{type(exc).__name__}: {exc}" + _where(exc))
    return (*result, [(str(w.message), w.category) for w in caught])


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        name = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
        return f"killed by {name}"
    return f"exit status {os.WEXITSTATUS(status)}"


def graphviz_text(text: str) -> str:
    """What Graphviz said, without the bundled fontconfig's noise, on one line."""
    lines = [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("Fontconfig")]
    return "; ".join(lines[-5:])


def run(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` in a forked child; its result, its ``ArchgenError`` raised again, or a
    ``RenderError`` with Graphviz's message when the child dies (exit from C, crash, memory)."""
    if not hasattr(os, "fork") or in_child():
        return fn(*args)
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        # A signal handled between the fork and the ``try`` below left the child unreaped (a
        # zombie once its parent, a build worker, exited): SIGTERM/SIGINT wait until then.
        mask = _hold_signals()
        try:
            pid = os.fork()
        except BaseException:
            _release_signals(mask)
            raise
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read_fd)
            _child(fn, args, write_fd, sink.fileno(), mask)
        os.close(write_fd)
        chunks: list[bytes] = []
        _LIVE.add(pid)
        try:
            _release_signals(mask)  # a signal that came meanwhile is handled here
            with os.fdopen(read_fd, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
            _, status = os.waitpid(pid, 0)
            _LIVE.discard(pid)
        except BaseException:  # a signal (Interrupted) or the caller stopped: no child outlives us
            stop_children()
            raise
        sink.seek(0)
        said = graphviz_text(sink.read().decode("utf-8", "replace"))
    data = b"".join(chunks)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and data:
        return _unpack(*pickle.loads(data))
    raise RenderError(f"Graphviz failed ({_how(status)}): {said or 'it gave no message'}", hint=HINT)


# --- several processes searching one layout -------------------------------------------------
#
# The layout search lays one graph out many ways (``graphviz._searched``); on a machine with
# more than one CPU, forked workers lay out a share each. A worker holds its laid-out graphs
# (pygraphviz objects, which cannot be sent), so it is asked, not given: the parent sends a
# method name and small arguments, and the worker answers with a small result, until the
# layout chosen is drawn by the worker that holds it. ``Local`` answers the same questions
# in-process, so the search reads the same with one process or several.

_LIMIT: list[int] = []  # set by limit_processes: at most this many searching processes


def processes() -> int:
    """How many processes a layout search may use: the CPUs this process may run on, or the
    limit set by ``limit_processes`` (``archgen build`` workers search in one process each)."""
    if _LIMIT:
        return _LIMIT[0]
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: no workers
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def limit_processes(count: int) -> None:
    _LIMIT[:] = [max(1, count)]


class Local:
    """An object asked in-process: ``ask(method, *args)`` runs it, ``answer()`` returns its
    result or raises its error, with its warnings, as a ``Worker``'s would be."""

    def __init__(self, factory: Callable[..., object], *args) -> None:
        self._target = factory(*args)
        self._result: tuple = ("ok", None, [])

    def ask(self, method: str, *args) -> None:
        # kept, and raised again by answer, in the order the caller reads the answers
        self._result = _outcome(getattr(self._target, method), args)

    def answer(self):
        return _unpack(*self._result)

    def close(self) -> None:
        pass


def _send(fd: int, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``, or None when it closes first."""
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int):
    """The next value sent on ``fd``, or None when the other end closed (or died)."""
    head = _read_exactly(fd, 8)
    if head is None:
        return None
    data = _read_exactly(fd, int.from_bytes(head, "little"))
    return None if data is None else pickle.loads(data)


def _serve(target, requests: int, answers: int) -> None:
    """A worker's loop: each request ``(method, args)`` answered with ``(kind, payload,
    warnings)`` as ``_child`` does, until the parent closes the pipe."""
    while (request := _receive(requests)) is not None:
        method, args = request
        _send(answers, _outcome(getattr(target, method), args))


def _unpack(kind: str, payload, found: list):
    """A child's answer as ``run`` returns it: warnings raised again, errors raised again."""
    for message, category in found:
        warnings.warn(message, category, stacklevel=3)
    if kind == "ok":
        return payload
    if kind == "error":
        cls, message, hint = payload
        raise cls(message, hint)
    raise RenderError(f"drawing failed: {payload}", hint="please report this with the spec that caused it")


class Worker:
    """An object built and asked in a forked process, with its own standard error: when the
    process dies (Graphviz exits from C, a crash, memory), ``answer`` raises a ``RenderError``
    with what it said, as ``run`` does."""

    def __init__(self, factory: Callable[..., object], *args) -> None:
        to_child, self._requests = os.pipe()
        self._answers, from_child = os.pipe()
        self._sink = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        sys.stdout.flush()
        sys.stderr.flush()
        mask = _hold_signals()
        try:
            self.pid = os.fork()
        except BaseException:
            _release_signals(mask)
            for fd in (to_child, self._requests, self._answers, from_child):
                os.close(fd)
            self._sink.close()
            raise
        if self.pid == 0:  # pragma: no cover - the child's coverage is not collected
            code = 0
            try:
                os.close(self._requests)
                os.close(self._answers)
                _become_child(mask, self._sink.fileno())
                _LIVE.clear()  # the parent's other workers are not this process's to stop
                _serve(factory(*args), to_child, from_child)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        _LIVE.add(self.pid)
        _release_signals(mask)
        os.close(to_child)
        os.close(from_child)

    def ask(self, method: str, *args) -> None:
        with contextlib.suppress(BrokenPipeError):  # it died: answer() says how
            _send(self._requests, (method, args))

    def answer(self):
        got = _receive(self._answers)
        if got is None:
            self._reap()
            self._sink.seek(0)
            said = graphviz_text(self._sink.read().decode("utf-8", "replace"))
            raise RenderError(f"Graphviz failed ({_how(self._status)}): {said or 'it gave no message'}", hint=HINT)
        return _unpack(*got)

    def _reap(self) -> None:
        if self.pid in _LIVE:
            _, self._status = os.waitpid(self.pid, 0)
            _LIVE.discard(self.pid)

    def close(self) -> None:
        """Stop the process (it holds nothing worth keeping once answered) and reap it."""
        with contextlib.suppress(OSError):
            os.close(self._requests)
        with contextlib.suppress(OSError):
            os.close(self._answers)
        if self.pid in _LIVE:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self._reap()
        self._sink.close()
