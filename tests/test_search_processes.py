"""The layout search shared between processes: who lays out what, that two or three processes
choose and draw exactly what one does, and that a searching process that fails is reported
like a failed drawing child (``archgen.render.isolated.Worker``)."""

from __future__ import annotations

import faulthandler
import os
import signal
import warnings
from dataclasses import replace

import pytest

from archgen.check import check_file
from archgen.errors import GraphvizWarning, RenderError
from archgen.render import graphviz as gv
from archgen.render import isolated
from archgen.render.graph import build_graph
from tests.conftest import FIXTURES


def _graph(name: str):
    return build_graph(check_file(FIXTURES / name).spec, "x")


def _picture(g, subgraphs, graph):
    """What the search drew: its direction, the flows it freed from ranking (wrapped rows)
    and the whole SVG."""
    freed = sorted(f"{e[0]}>{e[1]}" for e in g.edges() if e.attr.get("constraint") == "false")
    svg = gv._draw_states(g, subgraphs, graph, [None], ("svg",), 1.0, None)[""]["svg"]
    return graph.direction, freed, svg


@pytest.mark.parametrize(("directions", "variants", "processes", "expected"), [
    (2, 8, 2, [[(0, v) for v in range(8)], [(1, v) for v in range(8)]]),
    (2, 8, 3, [[(0, v) for v in range(8)], [(1, v) for v in range(8)]]),
    (1, 8, 2, [[(0, 0), (0, 2), (0, 4), (0, 6)], [(0, 1), (0, 3), (0, 5), (0, 7)]]),
    (1, 8, 3, [[(0, 0), (0, 3), (0, 6)], [(0, 1), (0, 4), (0, 7)], [(0, 2), (0, 5)]]),
    (1, 8, 16, [[(0, v)] for v in range(8)]),
    (1, 1, 2, [[(0, 0)]]),
    (2, 1, 2, [[(0, 0)], [(1, 0)]]),
    (2, 8, 1, [[(d, v) for d in range(2) for v in range(8)]]),
    (1, 8, 1, [[(0, v) for v in range(8)]]),
])
def test_shares_deal_directions_then_variants(directions, variants, processes, expected):
    assert gv._shares(directions, variants, processes) == expected


@pytest.mark.parametrize(("name", "direction", "freed"), [
    ("layout/generated-30.yaml", "LR", []),  # two directions, one process each
    ("layout/fan-in.yaml", "TB", []),  # top to bottom wins: the worker holding it draws it
    ("structure/26-components.yaml", "TB", []),
    ("rows/chain.yaml", "LR", ["f5>k6", "k1>f1", "k3>f3"]),  # wrapped into rows
    # one direction, its variants dealt out; the rows go with variant 0, in this process
    ("rows/chain-tb.yaml", "TB", ["f0>k1", "f2>k3", "k4>f4", "k6>f6"]),
    ("good/large-clustered.yaml", "TB", []),  # 150 components: not searched, the larger text wins
])
def test_two_or_three_processes_draw_what_one_does(name, direction, freed):
    graph = _graph(name)
    alone = gv._searched(graph, False, _picture, (), processes=1)
    assert alone[:2] == (direction, freed)
    assert gv._searched(graph, False, _picture, (), processes=2) == alone
    assert gv._searched(graph, False, _picture, (), processes=3) == alone
    assert set() == isolated._LIVE  # every worker reaped


def test_no_process_to_start_leaves_the_search_in_this_one(monkeypatch):
    graph = _graph("rows/chain.yaml")
    alone = gv._searched(graph, False, _picture, (), processes=1)

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert gv._searched(graph, False, _picture, (), processes=2) == alone


def test_the_search_is_shared_from_parallel_size_nodes_and_flows():
    graph = _graph("layout/generated-30.yaml")  # 30 components, 39 flows
    assert gv.PARALLEL_SIZE == 40
    assert gv._parallel(replace(graph, edges=graph.edges[:10])) is True
    assert gv._parallel(replace(graph, edges=graph.edges[:9])) is False
    assert gv._parallel(_graph("rows/chain.yaml")) is False  # 17 + 16


class _NoWorker:
    def __init__(self, *args):
        raise AssertionError("a worker was started")


def test_only_large_graphs_start_workers(monkeypatch):
    monkeypatch.setattr(isolated, "_LIMIT", [2])
    monkeypatch.setattr(isolated, "Worker", _NoWorker)
    small = gv.render_states(_graph("rows/chain.yaml"), [None], ("svg",))
    assert small[""]["svg"].startswith(b"<?xml")
    with pytest.raises(RenderError) as raised:
        gv.render_states(_graph("layout/generated-30.yaml"), [None], ("svg",))
    assert raised.value.message.startswith("drawing failed: AssertionError: a worker was started (at ")
    monkeypatch.setattr(isolated, "_LIMIT", [1])  # as in a build worker: one process searches
    assert gv.render_states(_graph("layout/generated-30.yaml"), [None], ("svg",))[""]["svg"].startswith(b"<?xml")


def test_processes_are_the_cpus_unless_limited(monkeypatch):
    monkeypatch.setattr(isolated, "_LIMIT", [])
    assert isolated.processes() == len(os.sched_getaffinity(0))
    isolated.limit_processes(3)
    assert isolated.processes() == 3
    isolated.limit_processes(0)
    assert isolated.processes() == 1


def test_a_build_worker_searches_in_one_process(monkeypatch):
    from archgen.build import workers

    monkeypatch.setattr(isolated, "_LIMIT", [])
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        workers._worker_signals()
        assert isolated.processes() == 1
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


class _Target:
    def __init__(self, start: int) -> None:
        self.count = start

    def add(self, n: int) -> int:
        self.count += n
        return self.count

    def refuse(self):
        raise RenderError("no room for the labels", hint="draw fewer flows")

    def fail(self):
        raise ValueError("boom")

    def warn(self, text: str) -> str:
        warnings.warn(text, GraphvizWarning, stacklevel=1)
        return "drawn"

    def exit(self):
        os.write(2, b"Fontconfig error: no fonts\nout of memory\n")
        os._exit(1)

    def crash(self):
        faulthandler.disable()  # pytest's handler would print the crash to the terminal
        os.kill(os.getpid(), signal.SIGSEGV)


FAIL_LINE = _Target.fail.__code__.co_firstlineno + 1


@pytest.fixture(params=["Worker", "Local"])
def asked(request):
    kind = getattr(isolated, request.param)
    made = []

    def make(*args):
        made.append(kind(_Target, *args))
        return made[-1]

    yield make
    for target in made:
        target.close()


def test_an_asked_object_keeps_its_state_between_questions(asked):
    target = asked(10)
    target.ask("add", 5)
    assert target.answer() == 15
    target.ask("add", 1)
    assert target.answer() == 16


def test_an_archgen_error_comes_back_whole(asked):
    target = asked(0)
    target.ask("refuse")
    with pytest.raises(RenderError) as raised:
        target.answer()
    assert (raised.value.message, raised.value.hint) == ("no room for the labels", "draw fewer flows")


def test_a_bug_is_one_line_with_where_it_happened(asked):
    target = asked(0)
    target.ask("fail")
    with pytest.raises(RenderError) as raised:
        target.answer()
    assert raised.value.message == f"drawing failed: ValueError: boom (at test_search_processes.py:{FAIL_LINE})"
    assert raised.value.hint == "please report this with the spec that caused it"


def test_warnings_are_raised_again_when_answered(asked):
    target = asked(0)
    target.ask("warn", "label too long")
    with pytest.warns(GraphvizWarning) as caught:
        assert target.answer() == "drawn"
    assert [str(w.message) for w in caught] == ["label too long"]


@pytest.mark.parametrize(("method", "message"), [
    ("exit", "Graphviz failed (exit status 1): out of memory"),
    ("crash", "Graphviz failed (killed by SIGSEGV): it gave no message"),
])
def test_a_worker_that_dies_is_a_graphviz_failure(method, message):
    worker = isolated.Worker(_Target, 0)
    try:
        worker.ask(method)
        with pytest.raises(RenderError) as raised:
            worker.answer()
        assert (raised.value.message, raised.value.hint) == (message, isolated.HINT)
        assert worker.pid not in isolated._LIVE
    finally:
        worker.close()


def test_closing_a_worker_stops_and_reaps_it():
    worker = isolated.Worker(_Target, 0)
    assert worker.pid in isolated._LIVE
    worker.close()
    assert worker.pid not in isolated._LIVE
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)
