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


def _child(fn: Callable[..., T], args: tuple, out_fd: int, sink: int, mask=None) -> None:
    """Run ``fn`` and write ``(kind, payload, warnings)`` to ``out_fd``; never returns."""
    code = 0
    try:
        for signum in _HELD:
            signal.signal(signum, signal.SIG_DFL)
        _release_signals(mask)
        _die_with_parent()
        sys.stderr.flush()
        os.dup2(sink, 2)
        _SINK[:] = [2]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = ("ok", fn(*args))
            except ArchgenError as exc:
                result = ("error", (type(exc), exc.message, exc.hint))
            except Exception as exc:  # a bug: reported with its traceback's last line
                result = ("bug", f"{type(exc).__name__}: {exc}" + _where(exc))
        found = [(str(w.message), w.category) for w in caught]
        data = pickle.dumps((*result, found), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view):]
    except BaseException:  # pragma: no cover - nothing may escape a forked child
        code = 70
    finally:
        os._exit(code)


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
        kind, payload, found = pickle.loads(data)
        for message, category in found:
            warnings.warn(message, category, stacklevel=2)
        if kind == "ok":
            return payload
        if kind == "error":
            cls, message, hint = payload
            raise cls(message, hint)
        raise RenderError(f"drawing failed: {payload}", hint="please report this with the spec that caused it")
    raise RenderError(f"Graphviz failed ({_how(status)}): {said or 'it gave no message'}", hint=HINT)
