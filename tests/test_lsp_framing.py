"""`archgen lsp` fed malformed frames on stdin, as a whole process: a bad or oversized
Content-Length is one error line and exit 2, before any body is read (or allocated); a body
that is not a JSON-RPC message is one line and the server reads on. Never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from archgen.lsp_framing import HINT, MAX_MESSAGE_BYTES
from tests.conftest import FIXTURES, load_table

FRAMES = FIXTURES / "lsp-frames"
EXPECTED = load_table("lsp-frames-expected.yaml")


def test_every_frame_fixture_has_its_expectation():
    assert {p.name for p in FRAMES.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_frame(name):
    want = EXPECTED[name]
    proc = subprocess.run([sys.executable, "-m", "archgen", "lsp", "--stdio"], input=(FRAMES / name).read_bytes(),
                          capture_output=True, timeout=120)
    err = proc.stderr.decode()
    expected = want["stderr"] + "\n" + (f"    hint: {HINT}\n" if want["exit"] == 2 else "")
    assert (proc.returncode, err) == (want["exit"], expected)
    if want["exit"] == 2:
        assert proc.stdout == b""  # nothing was answered: the server stopped at the header


def test_the_cap_is_the_manifests():
    from archgen.build.manifest import MAX_MANIFEST_BYTES

    assert MAX_MESSAGE_BYTES == MAX_MANIFEST_BYTES == 64 * 1024 * 1024


def test_a_good_frame_after_a_bad_body_is_answered():
    good = b'{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}'
    stream = b'Content-Length: 5\r\n\r\n{"a":' + b"content-length:%d\r\n\r\n" % len(good) + good
    proc = subprocess.run([sys.executable, "-m", "archgen", "lsp"], input=stream, capture_output=True, timeout=120)
    assert proc.returncode == 0
    assert b'"id": 1' in proc.stdout and b'"result": null' in proc.stdout
