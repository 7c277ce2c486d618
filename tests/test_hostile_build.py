"""Hostile output folders for `archgen build`: manifests that are not manifests, manifests
that list files archgen did not draw, and two builds into one folder at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archgen.build.manifest import MANIFEST_NAME, locked
from archgen.cache.stamp import read_key, stamp
from tests.conftest import FIXTURES

MANIFESTS = FIXTURES / "manifests"
GOOD = FIXTURES / "hostile" / "crlf.yaml"

WHY = {
    "string.json": "holds a JSON string, not an object",
    "list.json": "holds a JSON list, not an object",
    "number.json": "holds a JSON number, not an object",
    "null.json": "holds a JSON null, not an object",
    "latin1.json": "is not UTF-8 text",
    "truncated.json": "is not valid JSON",
    "deep.json": "is not valid JSON (it nests too deep)",
    "version-2.json": "is not a version 1 archgen manifest",
}


def _docs(tmp_path: Path, name: str = "alpha") -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(GOOD, docs / f"{name}.archgen.yaml")
    return docs


def test_every_manifest_fixture_is_used():
    assert sorted(p.name for p in MANIFESTS.iterdir()) == sorted([*WHY, "hostile-prune.json"])


@pytest.mark.parametrize("name", sorted(WHY))
def test_a_manifest_that_is_not_one_is_read_as_empty(cli, tmp_path, name, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _docs(tmp_path)
    Path("out").mkdir()
    shutil.copyfile(MANIFESTS / name, Path("out") / MANIFEST_NAME)
    result = cli("build", "docs", "-o", "out", "-T", "svg")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (f"archgen: warning: out/{MANIFEST_NAME} {WHY[name]}; it is read as "
                                             "empty (nothing is pruned) and written anew")
    assert "Traceback" not in result.output
    manifest = json.loads((Path("out") / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert list(manifest["outputs"]) == ["alpha.svg"]
    # the next build finds a manifest again: no warning
    assert cli("build", "docs", "-o", "out", "-T", "svg").stderr.startswith("built 0, unchanged 1")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_manifest_that_is_a_fifo_or_a_device_is_never_read(cli, tmp_path, kind, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _docs(tmp_path)
    Path("out").mkdir()
    manifest = Path("out") / MANIFEST_NAME
    if kind == "fifo":
        os.mkfifo(manifest)  # reading it would wait for a writer for ever
    else:
        os.symlink("/dev/zero", manifest)  # reading it would fill memory
    result = cli("build", "docs", "-o", "out", "-T", "svg")
    assert result.exit_code == 0, result.output
    what = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert result.stderr.splitlines()[0] == (f"archgen: warning: out/{MANIFEST_NAME} is {what}; it is read as "
                                             "empty (nothing is pruned) and written anew")
    assert manifest.is_file() and not manifest.is_symlink()  # replaced by a real manifest
    assert list(json.loads(manifest.read_text(encoding="utf-8"))["outputs"]) == ["alpha.svg"]


def test_pruning_removes_only_files_that_carry_archgen_key(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _docs(tmp_path)
    out = Path("out")
    out.mkdir()
    shutil.copyfile(MANIFESTS / "hostile-prune.json", out / MANIFEST_NAME)
    (out / "README.md").write_text("# not a picture\n")
    (out / "keep.svg").write_text("<svg/>\n")  # an SVG, but not drawn by archgen
    (out / "old.dot").write_bytes(stamp("dot", b"digraph {}\n", "0123456789abcdef"))
    result = cli("build", "docs", "-o", "out", "-T", "svg")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "archgen: warning: kept out/README.md: the manifest lists it, but it carries no archgen key",
        "archgen: warning: kept out/keep.svg: the manifest lists it, but it carries no archgen key",
    ]
    assert "removed 1 in" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "README.md", "alpha.svg", "keep.svg"]
    assert list(json.loads((out / MANIFEST_NAME).read_text())["outputs"]) == ["alpha.svg"]


def _waiting_for_lock(pid: int) -> bool:
    """Whether process ``pid`` waits for a lock (``/proc/locks`` lists waiters as ``->``)."""
    lines = Path("/proc/locks").read_text().splitlines()
    return any("->" in line and line.split()[5] == str(pid) for line in lines if len(line.split()) > 5)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks to see a waiting build")
def test_a_second_build_waits_and_keeps_the_first_ones_outputs(tmp_path):
    docs = _docs(tmp_path, "beta")
    out = tmp_path / "out"
    with locked(out):
        # another build holds the folder; this one must wait for it before reading the manifest
        proc = subprocess.Popen([sys.executable, "-m", "archgen", "build", str(docs), "-o", str(out), "-T", "dot"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
        while not _waiting_for_lock(proc.pid):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the second build never waited for the lock"
            time.sleep(0.05)
        # meanwhile the first build finishes: it draws alpha.dot and records it
        data = stamp("dot", b"digraph {}\n", "0123456789abcdef")
        (out / "alpha.dot").write_bytes(data)
        (out / MANIFEST_NAME).write_text(json.dumps({"version": 1, "outputs": {
            "alpha.dot": {"spec": "../docs/alpha.archgen.yaml", "key": "0123456789abcdef"}}}))
        (docs / "alpha.archgen.yaml").write_bytes(GOOD.read_bytes())
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    outputs = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert sorted(outputs) == ["alpha.dot", "beta.dot"]  # the first build's update is not lost
    assert read_key(out / "beta.dot") == outputs["beta.dot"]["key"]
    assert os.path.exists(out / "alpha.dot")


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out.setdefault(int(fields[1]), []).append(int(entry.name))
    return out


def _descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _catches_stop_signals(pid: int) -> bool:
    """Whether a process has handlers for SIGTERM and SIGINT: a build worker past its initializer."""
    try:
        caught = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    mask = int(caught.split()[1], 16)
    return all(mask >> (signum - 1) & 1 for signum in (2, 15))


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from Linux /proc")
@pytest.mark.parametrize("signum", [15, 2], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_build_and_its_workers(tmp_path, signum):
    import signal

    from tests.conftest import SPECS

    docs = tmp_path / "docs"
    docs.mkdir()
    for spec in SPECS:
        shutil.copyfile(spec, docs / spec.name)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "archgen", "build", str(docs), "-o", str(out), "--jobs", "2",
                             "-T", "png,svg,pdf"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a measurement
    # the event waited for: both workers (children of the fork server) have run their
    # initializer, so each is idle or drawing, never half-started, when the signal comes
    while True:
        tree = _children()
        fork_servers = [p for p in tree.get(proc.pid, []) if _is_fork_server(p)]
        workers = [p for server in fork_servers for p in tree.get(server, [])]
        if len(workers) >= 2 and all(_catches_stop_signals(p) for p in workers):
            break
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the drawing processes never started"
        time.sleep(0.02)  # polling /proc; no assertion depends on how long this takes
    # the fork server, its workers and what they draw with; not multiprocessing's resource
    # tracker, which ends by itself when the build's pipe to it closes
    everyone = [p for p in _descendants(proc.pid) if not _is_resource_tracker(p)]
    parents = {c: p for p, cs in _children().items() for c in cs}  # to say whose a leftover was
    proc.send_signal(signal.Signals(signum))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert err.endswith(f"archgen: stopped by {signal.Signals(signum).name}\n")
    assert "Traceback" not in err
    # the workers and the fork server were terminated and reaped before the parent exited:
    # no process of theirs is left, running or a zombie
    assert len(fork_servers) == 1 and set(workers + fork_servers) <= set(everyone)
    left = [(p, _state(p), "worker" if p in workers else "fork server" if p in fork_servers else
             f"child of {parents.get(p)}") for p in everyone if _state(p) is not None]
    assert left == []
    assert [p for p in _children().get(os.getpid(), []) if _state(p) == "Z"] == []
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def _is_fork_server(pid: int) -> bool:
    return _runs(pid, b"from multiprocessing.forkserver import")


def _is_resource_tracker(pid: int) -> bool:
    return _runs(pid, b"from multiprocessing.resource_tracker import")


def _runs(pid: int, code: bytes) -> bool:
    """Whether a process was started to run this code (``python -c CODE``); its workers,
    forked from it, keep its command line but are not this process."""
    try:
        return code in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_later_writes_remove_stale_temporaries_of_dead_processes(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _docs(tmp_path)
    out = Path("out")
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    stale = out / f".alpha.svg.{dead}.k3j_x9q2.tmp"
    live = out / f".alpha.svg.{os.getppid()}.abcdefgh.tmp"  # a live process's (pytest's parent)
    other = out / ".notes.tmp"  # not archgen's naming
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    assert cli("build", "docs", "-o", "out", "-T", "svg").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST_NAME, "alpha.svg", live.name, other.name])


@pytest.mark.parametrize(("drawing", "code", "out"), [(False, 143, ""), (True, 0, "unwound 143\n")])
def test_a_worker_stopped_while_idle_exits_at_once_and_while_drawing_unwinds(drawing, code, out):
    program = (
        "import os, signal\n"
        "from archgen.build import workers\n"
        "workers._worker_signals()\n"
        f"workers._drawing = {drawing}\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "except workers._Stopped as exc:\n"
        "    print('unwound', exc.code)\n")
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (code, out, "")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_graphviz_warning_from_a_drawing_process_is_printed_once_by_the_cli(tmp_path, jobs):
    docs = _docs(tmp_path)  # two specs, so --jobs 2 draws in two worker processes
    shutil.copyfile(FIXTURES / "hostile" / "wide-pipeline.yaml", docs / "wide.archgen.yaml")
    proc = subprocess.run([sys.executable, "-m", "archgen", "build", str(docs), "-o", str(tmp_path / "out"),
                           "--jobs", jobs, "--scale", "8", "-T", "png"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[:2] == [
        "archgen: warning: graphviz: wide.png is drawn at 32,766×3,145 px instead of 103,014×9,888 px: "
        "a PNG has at most 32,767 px a side, so Graphviz scaled the picture down to 31.8%",
        "    hint: draw parts of it as views (--view), an overview with --collapse, the other direction "
        "(`direction: TB` or `LR`), or use a lower --scale"]
    assert len(lines) == 3 and lines[2].startswith("built 2, unchanged 0, failed 0, removed 0 in ")


def test_an_output_that_cannot_be_replaced_is_named_not_its_temporary_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _docs(tmp_path)
    Path("out/alpha.svg").mkdir(parents=True)  # a folder where the picture goes: the rename fails
    result = cli("build", "docs", "-o", "out", "-T", "svg")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[:2] == ["docs/alpha.archgen.yaml: cannot write out/alpha.svg: Is a directory",
                                              "    hint: check free disk space and permissions"]
    assert [p.name for p in Path("out").iterdir() if p.name.endswith(".tmp")] == []
