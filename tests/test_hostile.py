"""Hostile specs: bombs, binaries, tags, injections, path tricks. Each has its finding and
exit code; the ones that render show their text literally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import FIXTURES, ROOT, load_table

EXPECTED = load_table("hostile-expected.yaml")
HOSTILE = FIXTURES / "hostile"


def test_fixture_table_is_complete():
    assert {p.name for p in HOSTILE.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) >= 25
    assert all("line" in w and "column" in w for w in EXPECTED.values() if "code" in w)


def test_flow_strings_agree_with_the_schema_pattern():
    """The committed schema's flow pattern (for editors) and the linear check accept the same."""
    import re

    from archgen.model.schema import FLOW_PATTERN, flow_problem

    cases = ["a -> b", "a->b", "a-b->c", "a- ->b", "a-->b", "a -> -> b", "a >b -> c", "a", "  a -> b  ",
             "a - > b", "a -> b c", "a->b->", "->a", "a.b -> c_d -> e-f", "a->>b", "x->" * 40 + "y>"]
    for case in cases:
        assert (re.fullmatch(FLOW_PATTERN[1:-1], case) is not None) == (not flow_problem(case)), case


def test_view_suffixes_match_the_rendered_files():
    from archgen.check import check_file
    from archgen.render.views import all_states

    spec = check_file(FIXTURES / "codes" / "E209.pass.yaml").spec
    assert [s.suffix for s in all_states(spec)] == [x for v in spec.views for x in v.suffixes()]
    assert [x for v in spec.views for x in v.suffixes()] == ["--w-1", "--w-2", "--w-3"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_check(cli, name):
    want = EXPECTED[name]
    if "as" in want:  # checked under another name, from standard input
        result = _check_as(HOSTILE / name, want["as"], *want.get("args", []))
    else:
        result = cli("check", HOSTILE / name, *want.get("args", []), "-f", "json")
    assert result.exit_code == want["exit"], result.output
    assert "Traceback" not in result.output
    if "code" in want:
        import json

        findings = json.loads(result.stdout)["findings"]
        hits = [f for f in findings if f["code"] == want["code"]]
        assert hits, [f["code"] for f in findings]
        first = hits[0]
        assert (first["line"], first["column"]) == (want["line"], want["column"]), first
        if "contains" in want:
            assert want["contains"] in first["message"] + " " + (first["hint"] or ""), first
        if "hint" in want:
            assert first["hint"] == want["hint"], first


def _check_as(path, name: str, *args: str):
    from typer.testing import CliRunner

    from archgen.cli import app

    return CliRunner().invoke(app, ["check", "-", "--stdin-filename", name, *args, "-f", "json"],
                              input=path.read_bytes(), catch_exceptions=False)


@pytest.mark.parametrize(("name", "device"), [
    ("con.archgen.yaml", "con"), ("PRN.yaml", "PRN"), ("Aux.yml", "Aux"), ("nul.archgen.yaml", "nul"),
    ("com1.archgen.yaml", "com1"), ("COM9.yaml", "COM9"), ("lpt1.yaml", "lpt1"), ("LPT9.archgen.yaml", "LPT9"),
    ("con.x.archgen.yaml", "con"), ("docs/Com3.old.yaml", "Com3"), ("lpt2 .archgen.yaml", "lpt2"),
])
def test_a_stem_windows_cannot_hold_is_e009(name, device):
    import json

    result = _check_as(HOSTILE / "reserved-stem.yaml", name)
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    stem = name.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml").removesuffix(".archgen")
    assert (finding["code"], finding["file"], finding["line"], finding["column"]) == ("E009", name, 1, 1)
    assert finding["message"] == (f"the spec's pictures would be named `{stem}.<format>`, "
                                  f"and `{device}` is a device name on Windows")
    assert finding["hint"] == "rename the spec file: no Windows checkout can hold such a file, whatever its extension"


@pytest.mark.parametrize("name", ["console.yaml", "con-x.archgen.yaml", "com10.yaml", "lpt.yaml", "xnul.yaml",
                                  "con_.yaml", "stdin.yaml"])
def test_names_near_device_names_are_fine(name):
    assert _check_as(HOSTILE / "reserved-stem.yaml", name).exit_code == 0


def test_unportable_output_names():
    from archgen.render.naming import unportable

    assert unportable("x--con.svg") is None  # a view's name follows `<stem>--`
    assert unportable("con.svg") == "`con` is a device name on Windows"
    assert unportable("COM\u00b9.png") == "`COM\u00b9` is a device name on Windows"
    assert unportable("con .svg") == "`con` is a device name on Windows"  # trailing spaces dropped
    assert unportable("console.svg") is None and unportable("com10.svg") is None


@pytest.mark.parametrize("name", sorted(n for n, w in EXPECTED.items() if "literal" in w))
def test_hostile_text_is_drawn_literally(cli, tmp_path, name):
    result = cli("render", HOSTILE / name, "-o", tmp_path, "-T", "svg,png,pdf,dot")
    assert result.exit_code == 0, result.output
    svg = (tmp_path / f"{name[:-5]}.svg").read_text(encoding="utf-8")
    assert EXPECTED[name]["literal"] in svg
    assert "evil" not in svg or 'fill="red"' not in svg and 'stroke="red"' not in svg
    # exactly the spec's two components were drawn: nothing was injected
    assert svg.count('class="node"') == 2
    assert (tmp_path / f"{name[:-5]}.pdf").read_bytes().startswith(b"%PDF")


def test_bomb_is_refused():
    # how fast: benchmarks/bench_hostile.py measures it with the other bounded-work attacks
    out = subprocess.run([sys.executable, "-m", "archgen", "check", str(HOSTILE / "billion-laughs.yaml")],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "E005" in out.stdout


def test_killed_render_leaves_previous_output(tmp_path):
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    cmd = [sys.executable, "-m", "archgen", "render", str(spec), "-o", str(tmp_path), "-T", "png,svg,pdf"]
    subprocess.run(cmd, check=True, capture_output=True)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
        assert names == sorted(before)
        for name in names:  # each file is whole: the old bytes or a complete new rendering
            data = (tmp_path / name).read_bytes()
            assert data == before[name] or _complete(name, data)


def _complete(name: str, data: bytes) -> bool:
    if name.endswith(".png"):
        return data.endswith(b"IEND\xaeB`\x82")
    if name.endswith(".svg"):
        return data.rstrip().endswith(b"</svg>")
    return data.rstrip().endswith(b"%%EOF")


def test_unwritable_output_is_exit_3(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-o", blocker / "out")
    assert result.exit_code == 3
    assert "cannot write" in result.stderr


def test_same_output_across_hash_seeds_and_folders(tmp_path):
    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    outs = []
    for seed, cwd in (("1", ROOT), ("12345", tmp_path)):
        out = tmp_path / f"o{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "archgen", "render", str(spec), "-o", str(out), "-T", "svg,dot"],
                       check=True, env=env, cwd=cwd, capture_output=True)
        outs.append(out)
    for ext in ("svg", "dot"):
        assert (outs[0] / f"clickstream.{ext}").read_bytes() == (outs[1] / f"clickstream.{ext}").read_bytes()


def test_full_disk_keeps_previous_output(cli, tmp_path, monkeypatch):
    import errno

    spec = ROOT / "specs" / "clickstream.archgen.yaml"
    assert cli("render", spec, "-o", tmp_path).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    result = cli("render", spec, "-o", tmp_path)
    assert result.exit_code == 3
    assert "No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp files left either
