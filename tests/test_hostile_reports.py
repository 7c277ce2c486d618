"""Reports print hostile text without letting it act: no forged report lines, no terminal
escapes, valid UTF-8 JSON and percent-encoded SARIF URIs, whatever the spec or its name holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES

FORGED = FIXTURES / "hostile" / "forged-annotation.yaml"
UNKNOWN = FIXTURES / "codes" / "E201.fail.yaml"
# an undecodable byte, an OSC 8 hyperlink, a line feed and a forged workflow command
HOSTILE_NAME = b"bad\xff\x1b]8;;x\x1b\\ \n::error file=y::forged.yaml"


def _check(spec, fmt, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archgen", "check", os.fsdecode(spec), "-f", fmt, "--color", "never"],
                          capture_output=True, cwd=cwd, timeout=60)


def test_text_report_escapes_line_feeds_from_the_spec():
    out = _check(FORGED, "text")
    assert out.returncode == 1
    assert out.stdout.decode().splitlines() == [
        f"{FORGED}:4:23: E101 error: unknown key `lab\\nel` in `sources.web`",
        "    hint: did you mean `label`?",
        f"{FORGED}:8:19: E106 error: malformed flow `web -> clicks\\n::error file=README.md,line=1::forged`",
        "    hint: `clicks\\n::error file=README.md,line=1::forged` is not one id (ids have no spaces); "
        "join the ids with `->`, or write the id with `-` or `_`",
    ]


def test_github_report_cannot_be_forged_from_the_spec():
    out = _check(FORGED, "github")
    lines = out.stdout.decode().splitlines()
    assert [line.split("::")[1] for line in lines] == ["error file=" + str(FORGED).replace(":", "%3A")
                                                       + ",line=4,col=23,title=E101",
                                                       "error file=" + str(FORGED).replace(":", "%3A")
                                                       + ",line=8,col=19,title=E106"]
    # the message is one line of data: GitHub reads a command only at the start of a line
    assert lines[1].endswith("::malformed flow `web -> clicks\\n::error file=README.md,line=1::forged`"
                             "%0Ahint: `clicks\\n::error file=README.md,line=1::forged` is not one id (ids have no "
                             "spaces); join the ids with `->`, or write the id with `-` or `_`")


def _hostile_copy(tmp_path) -> bytes:
    folder = os.fsencode(tmp_path)
    shutil.copyfile(UNKNOWN, os.path.join(folder, HOSTILE_NAME))
    return HOSTILE_NAME


def test_text_report_escapes_a_hostile_file_name(tmp_path):
    out = _check(_hostile_copy(tmp_path), "text", cwd=tmp_path)
    assert out.returncode == 1
    assert b"\x1b" not in out.stdout and b"\xff" not in out.stdout
    lines = out.stdout.decode("utf-8").splitlines()
    name = "bad\\xff\\x1b]8;;x\\x1b\\ \\n::error file=y::forged.yaml"
    assert [line for line in lines if not line.startswith("    ")] == [
        f"{name}:6:3: W201 warning: component `clicks` has no flows",
        f"{name}:7:16: E201 error: flow names unknown component `clickz`",
    ]


def test_github_report_escapes_a_hostile_file_name(tmp_path):
    out = _check(_hostile_copy(tmp_path), "github", cwd=tmp_path)
    assert b"\x1b" not in out.stdout and b"\xff" not in out.stdout
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2
    assert all(line.startswith("::") for line in lines)
    assert lines[1].startswith("::error file=bad\\xff\\x1b]8;;x\\x1b\\ \\n%3A%3Aerror file=y%3A%3Aforged.yaml,"
                               "line=7,col=16,title=E201::")


def test_json_report_is_utf8_and_keeps_the_name(tmp_path):
    out = _check(_hostile_copy(tmp_path), "json", cwd=tmp_path)
    text = out.stdout.decode("utf-8")  # raises on the raw byte the name holds
    files = {f["file"] for f in json.loads(text)["findings"]}
    assert files == {os.fsdecode(HOSTILE_NAME)}


def test_sarif_uris_are_percent_encoded(tmp_path):
    out = _check(_hostile_copy(tmp_path), "sarif", cwd=tmp_path)
    log = json.loads(out.stdout.decode("utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"bad%FF%1B%5D8%3B%3Bx%1B%5C%20%0A%3A%3Aerror%20file%3Dy%3A%3Aforged.yaml"}


def test_sarif_uri_keeps_folders_and_encodes_spaces_and_hashes(tmp_path):
    folder = tmp_path / "my specs" / "#1"
    folder.mkdir(parents=True)
    shutil.copyfile(UNKNOWN, folder / "ünï.yaml")
    out = _check("my specs/#1/ünï.yaml", "sarif", cwd=tmp_path)
    log = json.loads(out.stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20specs/%231/%C3%BCn%C3%AF.yaml"


def test_dot_key_text_in_a_title_is_left_alone(cli, tmp_path):
    from archgen.cache.stamp import key_in, stamp

    spec = FIXTURES / "hostile" / "dot-key-in-title.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "dot").exit_code == 0
    data = (tmp_path / "dot-key-in-title.dot").read_bytes()
    assert b"<B>Keyed<BR/>// archgen-key: 0123456789abcdef<BR/>labels</B>" in data
    assert b">//<BR/>archgen-key: d<BR/>eadbeefdeadbee<BR/>f<" in data  # the name, wrapped at 14
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[1]
    assert last.startswith(b"// archgen-key: ") and key_in("dot", data) == last[16:].decode()
    # stamping again replaces the last line only
    again = stamp("dot", data, "ab" * 32)
    assert key_in("dot", again) == "ab" * 32
    assert again.replace(b"ab" * 32, last[16:]) == data
    assert key_in("dot", b"digraph { label=\"// archgen-key: 0123456789abcdef\" }\n") is None


def test_svg_key_text_in_a_title_is_left_alone(cli, tmp_path):
    from archgen.cache.stamp import key_in, stamp

    spec = FIXTURES / "hostile" / "svg-key-in-title.yaml"
    assert cli("render", spec, "-o", tmp_path, "-T", "svg").exit_code == 0
    data = (tmp_path / "svg-key-in-title.svg").read_bytes()
    assert b"&lt;metadata&gt;archgen&#45;key: 0123456789abcdef&lt;/metadata&gt;" in data
    head, _, key = data.split(b"</metadata>", 1)[0].rpartition(b"archgen-key: ")
    assert head.endswith(b">\n<metadata>") and head.count(b"<svg") == 1 and len(key) == 64
    assert key_in("svg", data) == key.decode()
    again = stamp("svg", data, "ab" * 32)
    assert key_in("svg", again) == "ab" * 32 and again.replace(b"ab" * 32, key) == data
    # the key is read right after the <svg> tag only, never from the text further down
    forged = b'<svg width="1pt">\n<g><text>\n<metadata>archgen-key: deadbeefdeadbeef</metadata></text></g></svg>'
    assert key_in("svg", forged) is None
    assert key_in("svg", stamp("svg", forged, "ab" * 32)) == "ab" * 32
