"""The MkDocs plugin, through real `mkdocs build --strict` runs of a fixture project in a temporary folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archgen.cache.stamp import read_key
from tests.conftest import FIXTURES, ROOT

pytest.importorskip("mkdocs")

PROJECT = FIXTURES / "docs-project"


def mkdocs_build(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=project,
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def drew(result) -> tuple[int, int]:
    m = re.search(r"archgen: drew (\d+) image\(s\), (\d+) from the cache", result.stderr)
    assert m, result.stderr
    return int(m.group(1)), int(m.group(2))


def set_plugin(project: Path, options: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - archgen\n", "  - archgen:\n" + options))


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def test_build_draws_into_the_site_and_a_second_build_draws_nothing(project):
    docs_before = tree(project / "docs")
    first = mkdocs_build(project)
    assert first.returncode == 0, first.stderr
    assert drew(first) == (3, 0)
    site = project / "site"
    images = sorted(p.relative_to(site).as_posix() for p in (site / "assets" / "archgen").iterdir())
    assert [re.sub(r"-[0-9a-f]{12}\.", "-KEY.", i) for i in images] == [
        "assets/archgen/clickstream--ingest-KEY.svg", "assets/archgen/clickstream-KEY.svg",
        "assets/archgen/logs-KEY.svg"]
    for image in images:
        svg = (site / image).read_text()
        assert "<svg" in svg and read_key(site / image).startswith(image.rsplit("-", 1)[1][:12])
    index = (site / "index.html").read_text()
    home = re.findall(r'<img alt="([^"]*)" src="([^"]+)"', index)
    assert [alt for alt, _ in home] == ["Clickstream", "Ingestion"]
    assert all((site / src).is_file() for _, src in home)
    assert 'title="The clickstream pipeline"' in index
    guide = (site / "guide" / "pipeline" / "index.html").read_text()
    (src,) = re.findall(r'<img alt="Log analytics" src="([^"]+)"', guide)
    assert src.startswith("../../assets/archgen/logs-") and (site / "guide" / "pipeline" / src).resolve().is_file()
    # code is left alone
    assert "<code>![Clickstream](arch/clickstream.archgen.yaml)</code>" in index
    assert "![Not an image](arch/nowhere.archgen.yaml)" in index
    # nothing was written into docs_dir; the cache is outside it
    assert tree(project / "docs") == docs_before
    cache = project / ".cache" / "archgen"
    cached = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(cached) == 3
    second = mkdocs_build(project)
    assert second.returncode == 0, second.stderr
    assert drew(second) == (0, 3)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == cached
    # an edited spec gets a new key: only it is drawn again, under a new name
    spec = project / "docs" / "arch" / "logs.archgen.yaml"
    spec.write_text(spec.read_text().replace("title: ", "title: Edited "))
    third = mkdocs_build(project)
    assert third.returncode == 0, third.stderr
    assert drew(third) == (1, 2)
    (new_src,) = re.findall(r'<img alt="Log analytics" src="([^"]+)"',
                            (site / "guide" / "pipeline" / "index.html").read_text())
    assert new_src != src
    assert len(list(cache.iterdir())) == 3  # the old picture left the cache


def test_errors_fail_the_build_listing_every_finding(project):
    shutil.copy(FIXTURES / "codes" / "E301.fail.yaml", project / "docs" / "arch" / "bad.archgen.yaml")
    shutil.copy(FIXTURES / "codes" / "E201.fail.yaml", project / "docs" / "arch" / "worse.archgen.yaml")
    page = project / "docs" / "guide" / "pipeline.md"
    page.write_text(page.read_text() + "\n![Bad](../arch/bad.archgen.yaml)\n\n![Worse](/arch/worse.archgen.yaml)\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "Aborted with a BuildError" in result.stdout + result.stderr
    assert re.search(r"docs/arch/bad\.archgen\.yaml:10:22: E301 error: Kinesis Data Streams cannot deliver",
                     result.stderr)
    assert re.search(r"docs/arch/worse\.archgen\.yaml:\d+:\d+: E201 error", result.stderr)
    # fail_on_error: false logs them as warnings: a plain build passes, a strict one does not
    set_plugin(project, "      fail_on_error: false\n")
    lenient = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True,
                             text=True, timeout=120)
    assert lenient.returncode == 0, lenient.stderr
    assert re.search(r"WARNING\s+-\s+archgen: docs/arch/bad\.archgen\.yaml:10:22: E301", lenient.stderr)
    assert "has errors and was not drawn" in (project / "site" / "guide" / "pipeline" / "index.html").read_text()
    assert mkdocs_build(project).returncode == 1


def test_warnings_fail_a_strict_build(project):
    spec = project / "docs" / "arch" / "logs.archgen.yaml"
    spec.write_text(spec.read_text() + "\n")
    shutil.copy(FIXTURES / "codes" / "W201.fail.yaml", spec)
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert re.search(r"WARNING\s+-\s+archgen: docs/arch/logs\.archgen\.yaml:\d+:\d+: W201 warning", result.stderr)
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr


def test_unknown_view_is_a_warning(project):
    page = project / "docs" / "guide" / "pipeline.md"
    page.write_text(page.read_text() + "\n![x](../arch/clickstream.archgen.yaml#view=nope)\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "has no view named 'nope'" in result.stderr


def test_dark_mode_draws_a_marked_pair(project):
    set_plugin(project, "      dark_mode: true\n      format: png\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    index = (project / "site" / "index.html").read_text()
    light = re.findall(r'src="(assets/archgen/clickstream-[0-9a-f]{12}\.png)#only-light"', index)
    dark = re.findall(r'src="(assets/archgen/clickstream-[0-9a-f]{12}\.png)#only-dark"', index)
    assert len(light) == len(dark) == 1 and light != dark
    from PIL import Image

    def corner(src: str) -> tuple[int, ...]:
        with Image.open(project / "site" / src) as image:
            return image.convert("RGB").getpixel((2, 2))

    assert sum(corner(light[0])) > 600 and sum(corner(dark[0])) < 200


def test_cache_dir_inside_docs_dir_is_refused(project):
    set_plugin(project, "      cache_dir: docs/.cache\n")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "inside docs_dir" in result.stderr


def test_the_archgen_docs_site_builds(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ARCHGEN_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text()
    (src,) = re.findall(r'<img alt="Clickstream analytics" src="([^"]+)"', index)
    assert (tmp_path / "site" / src).is_file()
    for page in ("reference/spec", "reference/rules", "reference/lsp-transcript", "build", "ci", "editor"):
        assert (tmp_path / "site" / page / "index.html").is_file()
