"""`archgen import` and `archgen diff` read the project configuration (`.archgen.yaml`,
`[tool.archgen]` in pyproject.toml, `--config FILE`), as whole processes run in a project.

Keys that apply: `ignore`, `per-file-ignores` (by the file a finding points into: a template,
a plan, or the spec), `strict` (the import's own warnings fail too), `max-bytes` (the spec
written or compared); for import's `--render`, `formats`, `output`, `theme` and `scale`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import FIXTURES

IAC = FIXTURES / "iac"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "archgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


def project(tmp_path, config_name: str, config: str, *fixtures: str):
    """A project folder holding a configuration file and copies of some fixtures under iac/."""
    (tmp_path / "iac").mkdir()
    for name in fixtures:
        source = IAC / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / "iac" / name)
        else:
            shutil.copy(source, tmp_path / "iac" / name)
    (tmp_path / config_name).write_text(config, encoding="utf-8")
    return tmp_path


def codes_of(stderr: str) -> list[tuple[str, str]]:
    """(file:line:col, code) of each finding line."""
    out = []
    for line in stderr.splitlines():
        parts = line.split(": ")
        if len(parts) >= 3 and parts[1][:1] in "EWI" and parts[1].split(" ")[0][1:].isdigit():
            out.append((parts[0], parts[1].split(" ")[0]))
    return out


def test_without_configuration_import_reports_everything(tmp_path):
    root = project(tmp_path, "README", "", "unmapped.yaml")
    result = run("import", "iac/unmapped.yaml", "-o", "spec.yaml", cwd=root)
    assert result.returncode == 0
    assert codes_of(result.stderr) == [("iac/unmapped.yaml:2:3", "W601"), ("iac/unmapped.yaml:19:3", "W601"),
                                       ("iac/unmapped.yaml:24:7", "W602")]


def test_import_ignore_and_per_file_ignores_from_archgen_yaml(tmp_path):
    root = project(tmp_path, ".archgen.yaml", 'ignore: [W602]\nper-file-ignores:\n  "iac/*.yaml": [W601]\n',
                   "unmapped.yaml", "streaming-lake.yaml")
    result = run("import", "iac/unmapped.yaml", "-o", "spec.yaml", cwd=root)
    assert (result.returncode, codes_of(result.stderr)) == (0, [])
    assert result.stderr == "wrote spec.yaml (2 components, 1 flows)\n"
    # per-file-ignores match by file: the same template elsewhere keeps its W601
    (root / "other").mkdir()
    shutil.copy(IAC / "unmapped.yaml", root / "other" / "unmapped.yaml")
    result = run("import", "other/unmapped.yaml", "-o", "spec.yaml", cwd=root)
    assert codes_of(result.stderr) == [("other/unmapped.yaml:2:3", "W601"), ("other/unmapped.yaml:19:3", "W601")]


def test_import_strict_from_pyproject_fails_on_what_was_left_out(tmp_path):
    root = project(tmp_path, "pyproject.toml", "[project]\nname = 'lake'\n\n[tool.archgen]\nstrict = true\n",
                   "unmapped.yaml", "streaming-lake.yaml")
    result = run("import", "iac/unmapped.yaml", "-o", "spec.yaml", cwd=root)
    assert result.returncode == 1
    assert [code for _, code in codes_of(result.stderr)] == ["W601", "W601", "W602"]
    # the spec is still written: strict says the import is incomplete, not that it is wrong
    assert (root / "spec.yaml").is_file()
    # a template that imports completely passes under strict too
    assert run("import", "iac/streaming-lake.yaml", "-o", "lake.yaml", cwd=root).returncode == 0


def test_import_render_takes_output_formats_and_theme_from_the_configuration(tmp_path):
    root = project(tmp_path, ".archgen.yaml", "formats: [svg]\noutput: docs/img\ntheme: dark\n",
                   "streaming-lake.yaml")
    result = run("import", "iac/streaming-lake.yaml", "-o", "lake.yaml", "--render", cwd=root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "docs" / "img").iterdir()) == ["lake.svg"]
    assert not (root / "output").exists()
    svg = (root / "docs" / "img" / "lake.svg").read_text(encoding="utf-8")
    light = run("render", "lake.yaml", "-T", "svg", "--theme", "light", "-o", "light", cwd=root)
    assert light.returncode == 0
    assert svg != (root / "light" / "lake.svg").read_text(encoding="utf-8")
    assert run("render", "lake.yaml", "-T", "svg", "-o", "dark", cwd=root).returncode == 0  # same configuration
    assert svg == (root / "dark" / "lake.svg").read_text(encoding="utf-8")
    # the command line wins over the configuration
    result = run("import", "iac/streaming-lake.yaml", "-o", "lake.yaml", "--render", "--render-dir", "pics",
                 "-T", "png", cwd=root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "pics").iterdir()) == ["lake.png"]


def test_import_unknown_configuration_key_is_a_warning(tmp_path):
    root = project(tmp_path, ".archgen.yaml", "ignroe: [W601]\n", "streaming-lake.yaml")
    result = run("import", "iac/streaming-lake.yaml", "-o", "lake.yaml", cwd=root)
    assert result.returncode == 0
    assert result.stderr.splitlines()[:2] == [
        ".archgen.yaml:1:1: W501 warning: unknown configuration key `ignroe`",
        "    hint: did you mean `ignore`?",
    ]


def test_diff_ignore_from_an_explicit_config_file(tmp_path):
    root = project(tmp_path, "ci.archgen.yaml", "ignore: [E612, E614]\n", "streaming-lake.yaml")
    shutil.copytree(IAC / "diff", root / "iac" / "diff")
    args = ("diff", "iac/diff/streaming-lake.drifted.yaml", "--against", "iac/streaming-lake.yaml")
    assert [code for _, code in codes_of(run(*args, cwd=root).stdout)] == ["E611", "E613", "E614", "E612"]
    result = run(*args, "--config", "ci.archgen.yaml", "-f", "json", cwd=root)
    assert result.returncode == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["E611", "E613"]


def test_diff_per_file_ignores_match_the_spec_or_the_code(tmp_path):
    root = project(tmp_path, ".archgen.yaml", 'per-file-ignores:\n  "iac/diff/*.yaml": [E611, E613]\n',
                   "streaming-lake.yaml")
    shutil.copytree(IAC / "diff", root / "iac" / "diff")
    result = run("diff", "iac/diff/streaming-lake.drifted.yaml", "--against", "iac/streaming-lake.yaml", cwd=root)
    assert result.returncode == 1
    # the spec's findings are silenced, the template's (E612, E614) are not
    assert codes_of(result.stdout) == [("iac/streaming-lake.yaml:123:3", "E614"),
                                       ("iac/streaming-lake.yaml:153:3", "E612")]
    (root / ".archgen.yaml").write_text('per-file-ignores:\n  "iac/streaming-lake.yaml": [E61]\n', encoding="utf-8")
    result = run("diff", "iac/diff/streaming-lake.drifted.yaml", "--against", "iac/streaming-lake.yaml", cwd=root)
    assert [code for _, code in codes_of(result.stdout)] == ["E611", "E613"]


def test_diff_strict_counts_what_the_import_left_out(tmp_path):
    root = project(tmp_path, "pyproject.toml", "[tool.archgen]\nstrict = true\n", "unmapped.yaml")
    (root / "spec.yaml").write_text(run("import", "iac/unmapped.yaml", cwd=tmp_path).stdout, encoding="utf-8")
    result = run("diff", "spec.yaml", "--against", "iac/unmapped.yaml", cwd=root)
    assert result.returncode == 1
    assert codes_of(result.stdout) == [("iac/unmapped.yaml:2:3", "W601"), ("iac/unmapped.yaml:19:3", "W601"),
                                       ("iac/unmapped.yaml:24:7", "W602")]
    assert result.stderr.splitlines()[-1] == "spec.yaml against unmapped.yaml (CloudFormation): 3 difference(s)"
    # without strict, the same comparison is clean
    (root / "pyproject.toml").write_text("[tool.archgen]\nstrict = false\n", encoding="utf-8")
    result = run("diff", "spec.yaml", "--against", "iac/unmapped.yaml", cwd=root)
    assert (result.returncode, result.stdout) == (0, "")


def test_diff_max_bytes_applies_to_the_spec(tmp_path):
    root = project(tmp_path, ".archgen.yaml", "max-bytes: 100\n", "streaming-lake.yaml")
    shutil.copy(IAC / "expected" / "streaming-lake.yaml", root / "spec.yaml")
    result = run("diff", "spec.yaml", "--against", "iac/streaming-lake.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("spec.yaml:1:1: E005 error: the file is ")
    assert result.stderr.splitlines()[-1] == "spec.yaml: cannot be compared (fix the errors above)"
