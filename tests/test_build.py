"""`archgen build`: incremental builds, pruning, --check, parallel = serial; keys inside outputs; init."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

from archgen.build import BuildOptions, build
from archgen.build.manifest import MANIFEST_NAME, Manifest
from archgen.cache.keys import graphviz_version, output_key
from archgen.cache.stamp import key_in, read_key, stamp
from archgen.check import check_file
from archgen.render.options import RenderOptions
from archgen.render.pipeline import check_rendered, draw
from archgen.render.plan import planned_outputs
from tests.conftest import ROOT

KEY_A, KEY_B = "a" * 64, "b" * 64

SMALL = """\
archgen: 1
title: {title}
sources:
  web: kpl
streams:
  clicks: kinesis-data-streams
  delivery: firehose
stores:
  lake: s3
flows:
  - web -> clicks -> delivery -> lake
"""


def write_specs(folder: Path, names=("alpha", "beta", "gamma")) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.archgen.yaml"
        path.write_text(SMALL.format(title=name.capitalize()), encoding="utf-8")
        paths.append(path)
    return paths


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def summary(result) -> dict[str, int]:
    m = re.search(r"built (\d+), unchanged (\d+), failed (\d+), removed (\d+) in \d+\.\d\ds", result.stderr)
    assert m, result.stderr
    return dict(zip(("built", "unchanged", "failed", "removed"), map(int, m.groups())))


# -- keys inside outputs ----------------------------------------------------------------

@pytest.fixture(scope="module")
def pictures():
    spec = check_file(ROOT / "specs" / "clickstream.archgen.yaml").spec
    options = RenderOptions(("png", "svg", "pdf", "dot"))
    drawn = draw(spec, "clickstream", options, planned_outputs(spec, "clickstream", options))
    return {name.rsplit(".", 1)[1]: data for name, data in drawn.items()}


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "dot"])
def test_stamp_round_trip_and_restamp(pictures, fmt):
    data = pictures[fmt]
    assert key_in(fmt, data) is None
    once = stamp(fmt, data, KEY_A)
    assert key_in(fmt, once) == KEY_A
    twice = stamp(fmt, once, KEY_B)
    assert key_in(fmt, twice) == KEY_B
    if fmt != "pdf":  # a PDF keeps its history as incremental updates
        assert twice == stamp(fmt, data, KEY_B)
        assert twice.count(KEY_A.encode()) == 0


def test_png_key_chunk_is_valid(pictures):
    data = stamp("png", pictures["png"], KEY_A)
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, payload = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + payload) & 0xFFFFFFFF
        kinds.append(kind)
        if kind == b"tEXt" and payload.startswith(b"archgen-key\0"):
            assert payload == b"archgen-key\0" + KEY_A.encode()
        pos += 12 + length
    assert kinds[-2:] == [b"tEXt", b"IEND"]
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(data))
    image.load()
    assert image.text["archgen-key"] == KEY_A


def test_svg_and_dot_keys_are_where_readers_ignore_them(pictures):
    svg = stamp("svg", pictures["svg"], KEY_A).decode()
    assert re.search(r"<svg\b[^>]*>\n<metadata>archgen-key: a{64}</metadata>", svg)
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)  # still well-formed
    dot = stamp("dot", pictures["dot"], KEY_A).decode()
    assert dot.rstrip().endswith(f"// archgen-key: {KEY_A}")
    import pygraphviz

    assert len(pygraphviz.AGraph(string=dot).nodes()) > 5


def test_pdf_key_is_in_the_information_dictionary(pictures, tmp_path):
    data = stamp("pdf", pictures["pdf"], KEY_A)
    offset = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    assert data[offset:].startswith(b"xref")
    entry = re.search(rb"xref\n0 1\n0000000000 65535 f \n(\d+) 1\n(\d{10}) 00000 n \n", data[offset:])
    assert data[int(entry.group(2)):].startswith(entry.group(1) + b" 0 obj")
    assert b"/Producer" in data[int(entry.group(2)):offset]  # cairo's entries are kept
    if shutil.which("pdfinfo"):
        (tmp_path / "a.pdf").write_bytes(data)
        out = subprocess.run(["pdfinfo", "-custom", str(tmp_path / "a.pdf")], capture_output=True, text=True)
        assert out.returncode == 0 and KEY_A in out.stdout and "Error" not in out.stderr


def test_keys_cover_every_input():
    base = RenderOptions(("png",))
    key = output_key(b"spec", "name", "png", base)
    others = [
        output_key(b"spec!", "name", "png", base),
        output_key(b"spec", "other", "png", base),
        output_key(b"spec", "name", "svg", base),
        output_key(b"spec", "name", "png", base, "--view"),
        output_key(b"spec", "name", "png", RenderOptions(("png",), scale=2.0)),
        output_key(b"spec", "name", "png", RenderOptions(("png",), theme="dark")),
        output_key(b"spec", "name", "png", RenderOptions(("png",), legend=True)),
        output_key(b"spec", "name", "png", RenderOptions(("png",), annotate=True)),
        output_key(b"spec", "name", "png", RenderOptions(("png",), collapse=True)),
        output_key(b"spec", "name", "png", RenderOptions(("png",), annotate=True, collapse=True)),
    ]
    assert len({key, *others}) == len(others) + 1
    assert key == output_key(b"spec", "name", "png", RenderOptions(("png", "svg")))  # per output
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", graphviz_version())


# -- archgen build ------------------------------------------------------------------------

def test_edit_one_of_three_rebuilds_only_it(cli, tmp_path):
    specs = write_specs(tmp_path / "docs")
    out = tmp_path / "out"
    first = cli("build", tmp_path / "docs", "-o", out, "--jobs", "1")
    assert first.exit_code == 0, first.output
    assert summary(first) == {"built": 3, "unchanged": 0, "failed": 0, "removed": 0}
    names = sorted(p.name for p in out.iterdir())
    assert names == [MANIFEST_NAME] + [f"{n}.{e}" for n in ("alpha", "beta", "gamma") for e in ("png", "svg")]
    before = snapshot(out)
    again = cli("build", tmp_path / "docs", "-o", out)
    assert summary(again) == {"built": 0, "unchanged": 3, "failed": 0, "removed": 0}
    assert snapshot(out) == before  # nothing touched, not even the manifest
    specs[1].write_text(SMALL.format(title="Beta, edited"), encoding="utf-8")
    third = cli("build", tmp_path / "docs", "-o", out, "--jobs", "1")
    assert summary(third) == {"built": 1, "unchanged": 2, "failed": 0, "removed": 0}
    after = snapshot(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"beta.png", "beta.svg", MANIFEST_NAME}
    manifest = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert manifest["beta.svg"]["spec"] == "../docs/beta.archgen.yaml"
    assert manifest["beta.svg"]["key"] == read_key(out / "beta.svg")


def test_a_damaged_output_is_drawn_again(cli, tmp_path):
    write_specs(tmp_path / "docs", ["alpha"])
    out = tmp_path / "out"
    assert cli("build", tmp_path / "docs", "-o", out).exit_code == 0
    (out / "alpha.svg").write_text("<svg/>")  # edited by hand: no key inside
    result = cli("build", tmp_path / "docs", "-o", out)
    assert summary(result)["built"] == 1 and read_key(out / "alpha.svg") is not None


def test_prune_removes_only_recorded_outputs_of_gone_specs(cli, tmp_path):
    specs = write_specs(tmp_path / "docs")
    out = tmp_path / "out"
    assert cli("build", tmp_path / "docs", "-o", out, "-j", "1").exit_code == 0
    (out / "mine.png").write_bytes(b"not archgen's")
    specs[2].unlink()
    kept = cli("build", tmp_path / "docs", "-o", out, "--no-prune")
    assert summary(kept)["removed"] == 0 and (out / "gamma.png").exists()
    pruned = cli("build", tmp_path / "docs", "-o", out)
    assert summary(pruned) == {"built": 0, "unchanged": 2, "failed": 0, "removed": 2}
    assert not (out / "gamma.png").exists() and not (out / "gamma.svg").exists()
    assert (out / "mine.png").read_bytes() == b"not archgen's"
    assert "gamma.png" not in json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    # building one spec on its own does not prune the others
    alone = cli("build", specs[0], "-o", out)
    assert summary(alone)["removed"] == 0 and (out / "beta.png").exists()


def test_check_on_fresh_stale_and_missing_outputs(cli, tmp_path):
    specs = write_specs(tmp_path / "docs")
    out = tmp_path / "out"
    assert cli("build", tmp_path / "docs", "-o", out, "-j", "1").exit_code == 0
    fresh = cli("build", tmp_path / "docs", "-o", out, "--check")
    assert fresh.exit_code == 0 and fresh.stdout == ""
    before = snapshot(out)
    specs[0].write_text(SMALL.format(title="Alpha, edited"), encoding="utf-8")
    (out / "beta.svg").unlink()
    before.pop("beta.svg")
    stale = cli("build", tmp_path / "docs", "-o", out, "--check")
    assert stale.exit_code == 1
    lines = stale.stdout.splitlines()
    assert f"{out / 'alpha.png'}: stale" in "\n".join(lines)
    assert f"{out / 'alpha.svg'}: stale" in "\n".join(lines)
    assert f"{out / 'beta.svg'}: missing" in lines
    assert len(lines) == 3
    assert snapshot(out) == before  # --check writes nothing
    # a fresh clone has no manifest: the keys inside the committed files decide
    assert cli("build", tmp_path / "docs", "-o", out).exit_code == 0
    (out / MANIFEST_NAME).unlink()
    assert cli("build", tmp_path / "docs", "-o", out, "--check").exit_code == 0
    # other options make every output stale
    themed = cli("build", tmp_path / "docs", "-o", out, "--check", "--theme", "dark")
    assert themed.exit_code == 1 and len(themed.stdout.splitlines()) == 6


def test_check_lists_outputs_of_removed_specs(cli, tmp_path):
    specs = write_specs(tmp_path / "docs")
    out = tmp_path / "out"
    assert cli("build", tmp_path / "docs", "-o", out, "-j", "1").exit_code == 0
    specs[2].unlink()
    result = cli("build", tmp_path / "docs", "-o", out, "--check")
    assert result.exit_code == 1 and "gamma.png: stale (no spec draws it any more" in result.stdout
    assert cli("build", tmp_path / "docs", "-o", out, "--check", "--no-prune").exit_code == 0


def test_parallel_output_equals_serial_byte_for_byte(cli, tmp_path):
    for spec in ("clickstream", "iot-telemetry", "emr-spark", "log-analytics"):
        shutil.copy(ROOT / "specs" / f"{spec}.archgen.yaml", tmp_path / f"{spec}.archgen.yaml")
    serial = cli("build", tmp_path, "-o", tmp_path / "one", "--jobs", "1", "-T", "png,svg,dot")
    parallel = cli("build", tmp_path, "-o", tmp_path / "two", "--jobs", "2", "-T", "png,svg,dot")
    assert serial.exit_code == parallel.exit_code == 0
    assert summary(parallel)["built"] == 4
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    # 4 whole diagrams and clickstream's 5 view pictures, 3 formats each, and the manifest
    assert len(one) == (4 + 5) * 3 + 1 and sorted(one) == sorted(two)
    assert "clickstream--walkthrough-2.svg" in one
    for name in one:
        if name != MANIFEST_NAME:
            assert one[name][1] == two[name][1], name
    assert one[MANIFEST_NAME][1].replace(b"/one/", b"/two/") == two[MANIFEST_NAME][1]


def test_a_spec_with_errors_fails_after_the_others_are_built(cli, tmp_path):
    write_specs(tmp_path / "docs", ["alpha", "beta"])
    shutil.copy(ROOT / "tests" / "fixtures" / "codes" / "E301.fail.yaml", tmp_path / "docs" / "bad.archgen.yml")
    out = tmp_path / "out"
    result = cli("build", tmp_path / "docs", "-o", out)
    assert result.exit_code == 1
    assert summary(result) == {"built": 2, "unchanged": 0, "failed": 1, "removed": 0}
    assert re.search(r"bad\.archgen\.yml:\d+:\d+: E301 error", result.stderr)
    assert (out / "alpha.png").exists() and not list(out.glob("bad.*"))


def test_strict_warnings_fail_and_ignore_suppresses(cli, tmp_path):
    spec = tmp_path / "lonely.archgen.yaml"
    spec.write_text("archgen: 1\ntitle: Lonely\nsources:\n  web: kpl\n  spare: sdk\nstreams:\n"
                    "  clicks: kinesis-data-streams\nflows:\n  - web -> clicks\n")
    strict = cli("build", tmp_path, "-o", tmp_path / "out", "--strict")
    assert strict.exit_code == 1 and "W201" in strict.stderr and not (tmp_path / "out" / "lonely.png").exists()
    ignored = cli("build", tmp_path, "-o", tmp_path / "out", "--strict", "--ignore", "W2")
    assert ignored.exit_code == 0 and (tmp_path / "out" / "lonely.png").exists()


def test_discovery_and_usage_errors(cli, tmp_path):
    write_specs(tmp_path / "docs" / "a", ["same"])
    write_specs(tmp_path / "docs" / "b", ["same"])
    clash = cli("build", tmp_path / "docs", "-o", tmp_path / "out")
    assert clash.exit_code == 2 and "would both write same" in clash.stderr
    assert cli("build", tmp_path / "nowhere", "-o", tmp_path / "out").exit_code == 2
    hidden = write_specs(tmp_path / "tree" / ".git", ["secret"])
    write_specs(tmp_path / "tree" / "node_modules", ["dep"])
    plain = tmp_path / "tree" / "named.yaml"  # not *.archgen.yaml: only when named
    plain.write_text(SMALL.format(title="Named"))
    report = build([tmp_path / "tree"], tmp_path / "o1", BuildOptions(RenderOptions(("dot",)), jobs=1))
    assert [s.path.name for s in report.specs] == []
    report = build([tmp_path / "tree", plain, hidden[0]], tmp_path / "o2", BuildOptions(RenderOptions(("dot",))))
    assert sorted(s.path.name for s in report.specs) == ["named.yaml", "secret.archgen.yaml"]


def test_progress_is_reported_per_spec(tmp_path):
    write_specs(tmp_path / "docs")
    calls = []
    report = build([tmp_path / "docs"], tmp_path / "out", BuildOptions(RenderOptions(("svg",)), jobs=1),
                   progress=lambda done, total, spec: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)] and report.count("built") == 3


# -- check_rendered, for `archgen render --check` ---------------------------------------------

def test_check_rendered_api(tmp_path):
    spec = write_specs(tmp_path / "docs", ["alpha"])[0]
    options = RenderOptions(("png", "svg"))
    out = tmp_path / "out"

    def check():
        return check_rendered(check_file(spec).spec, str(spec), out, options)

    assert check() == [f"{out / 'alpha.png'}: missing", f"{out / 'alpha.svg'}: missing"]
    build([spec], out, BuildOptions(options))
    assert check() == []
    spec.write_text(SMALL.format(title="Changed"))
    problems = check()
    assert len(problems) == 2 and all(": stale (" in p for p in problems)


# -- init ---------------------------------------------------------------------------------

def test_init_writes_a_starter_that_checks_clean(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init")
    assert result.exit_code == 0 and "architecture.archgen.yaml" in result.stdout
    text = (tmp_path / "architecture.archgen.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=archgen.schema.json\n")
    assert text.count("\n#") > 5  # commented
    checked = cli("check", "architecture.archgen.yaml", "--strict")
    assert checked.exit_code == 0, checked.output
    again = cli("init")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert (tmp_path / "architecture.archgen.yaml").read_text() == text
    named = cli("init", "arch/click-stream")
    assert named.exit_code == 0
    assert "title: Click stream" in (tmp_path / "arch" / "click-stream.archgen.yaml").read_text()


# -- generated docs and packaging -------------------------------------------------------------

@pytest.mark.generated
def test_committed_spec_reference_is_current():
    from archgen.schema_docs import spec_markdown

    committed = (ROOT / "docs" / "reference" / "spec.md").read_text(encoding="utf-8")
    assert committed == spec_markdown(), "regenerate: python -m archgen.schema_docs docs/reference/spec.md"


def test_pre_commit_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["archgen-check"]["entry"] == "archgen check"
    assert re.search(hooks["archgen-check"]["files"], "docs/a.archgen.yml")
    assert not re.search(hooks["archgen-check"]["files"], "docs/a.yaml")
    assert hooks["archgen-render-check"]["entry"] == "archgen build --check"
    assert hooks["archgen-render-check"]["pass_filenames"] is False
    assert all(h["language"] == "python" for h in hooks.values())


def test_manifest_never_points_outside_its_folder(tmp_path):
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"version": 1, "outputs": {
        "../evil.png": {"spec": "x", "key": "k"}, ".hidden": {"spec": "x", "key": "k"},
        "ok.dot": {"spec": "../gone.archgen.yaml", "key": "k"}}}))
    assert list(Manifest.load(tmp_path).outputs) == ["ok.dot"]
    (tmp_path / "ok.dot").write_bytes(stamp("dot", b"digraph {}\n", "ab" * 32))  # archgen's: its key is inside
    outside = tmp_path.parent / "evil.png"
    report = build([write_specs(tmp_path / "docs", ["alpha"])[0]], tmp_path, BuildOptions(RenderOptions(("dot",))))
    assert report.removed == [tmp_path / "ok.dot"] and not outside.exists()
    assert os.path.exists(tmp_path / "alpha.dot")
