"""Run the archgen CLI with a Graphviz fault provoked deterministically (for test_graphviz_faults).

    python -m tests.graphviz_fault FAULT ARCHGEN-ARGS...

FAULT is one of:
- ``exit``: the layout prints ``out of memory`` and ends the process from C with ``exit(1)``,
  as Graphviz's allocator does when memory runs out;
- ``crash``: the layout dies of SIGSEGV, as a crash in C would;
- ``markup``: labels reach Graphviz unescaped, so it meets HTML it cannot read and answers
  ``syntax error ... not well-formed`` (Graphviz's own message);
- ``raise``: pygraphviz raises from the layout, as it does when Graphviz returns an error.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys


def _exit(self, *args, **kwargs):
    os.write(2, b"out of memory\n")
    ctypes.CDLL(None).exit(1)


def _crash(self, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGSEGV)


def _raise(self, *args, **kwargs):
    raise OSError("Error: Layout was not done")


def main() -> None:
    fault, args = sys.argv[1], sys.argv[2:]
    import pygraphviz

    import archgen.render.graphviz as backend

    if fault == "markup":
        backend.escape = lambda text: text
    else:
        pygraphviz.AGraph.layout = {"exit": _exit, "crash": _crash, "raise": _raise}[fault]
    from archgen.cli import main as cli

    sys.argv = ["archgen", *args]
    cli()


if __name__ == "__main__":
    main()
