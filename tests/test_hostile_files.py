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
