"""Hostile files and options rather than hostile spec content: FIFOs, devices, links, limits
too large to allocate. Each is answered at once with a documented exit code and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES

GOOD = FIXTURES / "hostile" / "crlf.yaml"


def _archgen(*args, cwd=None, stdin=subprocess.DEVNULL):
    # the timeout only stops a hang from stalling the suite; nothing here asserts a duration
    return subprocess.run([sys.executable, "-m", "archgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, stdin=stdin, timeout=60)


@pytest.mark.parametrize("value", ["9223372036854775807", "100000000000", "1073741825", "0"])
def test_max_bytes_out_of_range_is_a_usage_error(value):
    out = _archgen("check", GOOD, "--max-bytes", value)
    assert out.returncode == 2, out.stderr
    assert "Invalid value for '--max-bytes'" in out.stderr
    assert "Traceback" not in out.stderr


def test_largest_max_bytes_reads_only_what_is_there(tmp_path):
    """The ceiling itself is accepted, for a file and for standard input, without allocating it."""
    assert _archgen("check", GOOD, "--max-bytes", str(1 << 30)).returncode == 0
    with GOOD.open("rb") as fh:
        out = _archgen("check", "-", "--max-bytes", str(1 << 30), stdin=fh)
    assert out.returncode == 0, out.stderr


def test_max_bytes_in_the_configuration_is_bounded_too(tmp_path):
    (tmp_path / ".archgen.yaml").write_text("max-bytes: 100000000000\n")
    out = _archgen("check", GOOD, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "max-bytes" in out.stderr and "1,073,741,824" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_check_on_a_fifo_or_device_answers_at_once(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
        what = "a FIFO (named pipe)"
    else:
        target = "/dev/zero"
        what = "a character device"
    out = _archgen("check", target)
    assert out.returncode == 2
    assert out.stderr.startswith(f"archgen: error: {target}: is {what}, not a spec file\n")
    assert "pass - to read standard input" in out.stderr


def test_a_fifo_in_a_folder_is_not_opened(tmp_path):
    (tmp_path / "a.yaml").write_bytes(GOOD.read_bytes())
    os.mkfifo(tmp_path / "b.yaml")
    out = _archgen("check", tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "1 spec(s) checked: 0 error(s), 0 warning(s)\n"


def _hostile_tree(tmp_path):
    """A docs tree with one good spec and, named like specs, each entry that is not one."""
    tree = tmp_path / "docs"
    tree.mkdir()
    (tree / "good.archgen.yaml").write_bytes(GOOD.read_bytes())
    (tree / "inside.yaml").write_bytes(GOOD.read_bytes())
    os.symlink("inside.yaml", tree / "linked.archgen.yaml")  # a link inside the tree: a spec
    os.symlink("/etc/passwd", tree / "passwd.archgen.yaml")
    os.symlink("/dev/stdin", tree / "stdin.archgen.yaml")
    os.mkfifo(tree / "fifo.archgen.yaml")
    os.symlink("loop.archgen.yaml", tree / "loop.archgen.yaml")
    os.symlink("gone.yaml", tree / "dangling.archgen.yaml")
    return tree


def test_build_reads_only_regular_files_inside_the_tree(tmp_path):
    _hostile_tree(tmp_path)
    out = _archgen("build", "docs", "-o", "out", "-T", "svg", "--color", "never", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    findings = [line for line in out.stderr.splitlines() if ": E008 " in line]
    assert findings == [
        "docs/dangling.archgen.yaml:1:1: E008 error: is a dangling symbolic link (its target does not exist); "
        "it is not read as a spec",
        "docs/fifo.archgen.yaml:1:1: E008 error: is a FIFO (named pipe); it is not read as a spec",
        "docs/loop.archgen.yaml:1:1: E008 error: is a symbolic link loop; it is not read as a spec",
        "docs/passwd.archgen.yaml:1:1: E008 error: is a symbolic link to a file outside docs; "
        "it is not read as a spec",
        "docs/stdin.archgen.yaml:1:1: E008 error: is a symbolic link to a file outside docs; "
        "it is not read as a spec",
    ]
    assert "root:" not in out.stderr + out.stdout  # /etc/passwd was never read
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".archgen-manifest.json", "good.svg",
                                                                    "linked.svg"]
    assert "built 2, unchanged 0, failed 5" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_on_a_folder_skips_links_out_of_it(tmp_path):
    tree = _hostile_tree(tmp_path)
    (tmp_path / "elsewhere.yaml").write_bytes(GOOD.read_bytes())
    (tree / "outside-link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    out = _archgen("check", "docs", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    # good and inside (linked is the same file): not the link out of the tree, nor the others
    assert out.stderr == "2 spec(s) checked: 0 error(s), 0 warning(s)\n"


def test_a_spec_named_like_another_specs_view_is_refused_by_render(tmp_path):
    first, second = FIXTURES / "hostile" / "stem-clash.yaml", FIXTURES / "hostile" / "stem-clash--v.yaml"
    out = _archgen("render", first, second, "-o", tmp_path / "out", "--all-views")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        f"archgen: error: {first} and {second} would both be drawn into {tmp_path / 'out' / 'stem-clash--v.png'}",
        "    hint: outputs are named <stem>[--<view>[-<step>]], so a spec named like another's view writes "
        "that view's files: rename a spec or a view, or draw them into different folders"]
    assert not (tmp_path / "out").exists()
    # without the views nothing is shared: both whole diagrams are drawn
    assert _archgen("render", first, second, "-o", tmp_path / "out", "-T", "svg").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["stem-clash--v.svg", "stem-clash.svg"]


def test_a_spec_named_like_another_specs_view_is_refused_by_build(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("stem-clash.yaml", "stem-clash--v.yaml"):
        shutil.copyfile(FIXTURES / "hostile" / name, docs / name.replace(".yaml", ".archgen.yaml"))
    out = _archgen("build", docs, "-o", tmp_path / "out")
    assert out.returncode == 2
    assert out.stderr.splitlines()[0] == (
        f"archgen: error: {docs / 'stem-clash--v.archgen.yaml'} and {docs / 'stem-clash.archgen.yaml'} "
        "would both write stem-clash--v.png")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("target", "why"), [("loop.yaml", "is a symbolic link loop"),
                                             ("gone.yaml", "is a dangling symbolic link (its target does not exist)")])
def test_check_on_a_broken_link_names_what_is_wrong(tmp_path, target, why):
    os.symlink(target, tmp_path / "loop.yaml")  # to itself, or to nothing
    out = _archgen("check", tmp_path / "loop.yaml")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [f"archgen: error: {tmp_path / 'loop.yaml'}: {why}",
                                       "    hint: name the spec file the link should lead to"]
