"""Option values are converted without pydantic, to the very values and errors typer gives."""

from __future__ import annotations

import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import get_args, get_origin

import pytest
import typer.main
from typer._coercion import build_runtime_param

from archgen.cli import app
from archgen.cli_values import _PlainParam, lighten
from tests.conftest import ROOT

SPEC = ROOT / "specs" / "clickstream.archgen.yaml"
PROBE = """
import sys
sys.argv = ["archgen", *sys.argv[1:]]
from archgen.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("pydantic imported: %s\\n" % any(m.split(".")[0] == "pydantic" for m in sys.modules))
"""


@pytest.mark.parametrize("args", [
    ["check", str(SPEC), "-f", "json", "--ignore", "W", "--max-bytes", "100000", "--color", "never"],
    ["render", str(SPEC), "-o", "{out}", "-T", "svg", "--scale", "2", "--theme", "dark"],
    ["build", str(ROOT / "specs"), "-o", "{out}", "-T", "dot", "--jobs", "1", "--check-only"],
    ["services", "-f", "json"],
    ["check", "-h"],
])
def test_commands_run_without_importing_pydantic(tmp_path, args):
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=tmp_path)
    assert proc.stderr.rstrip().endswith("pydantic imported: False"), proc.stderr[-2000:]


def _sample(annotation):
    if get_origin(annotation) is list:
        return ("a/b", "c") if get_args(annotation)[0] in (str, Path) else None
    if annotation is str:
        return "some text"
    if annotation is int:
        return "12"
    if annotation is float:
        return "2.5"
    if annotation is bool:
        return True
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return list(annotation)[-1].value
    if annotation is Path:
        return "some/folder"
    return None


def test_every_plain_value_is_the_one_typers_adapter_gives():
    group = typer.main.get_command(app)
    compared = 0
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        lighten(command)
        for param in command.params:
            runtime = getattr(param, "_runtime_param", None)
            if not isinstance(runtime, _PlainParam):
                continue
            value = _sample(param.type_descriptor.annotation)
            if value is None or (param.type_descriptor.parameter_info.min or 0) > 12:
                continue
            ours = runtime._coerce_value(value, param=param, ctx=None)
            theirs = build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=None)
            assert (ours, type(ours)) == (theirs, type(theirs)), (name, param.name)
            compared += 1
    assert compared > 40


@pytest.mark.parametrize(("args", "message"), [
    (["render", str(SPEC), "--scale", "abc"], "Invalid value for '--scale': 'abc' is not a number"),
    (["render", str(SPEC), "--scale", "9"], "Invalid value for '--scale': '9' is out of range: use 0.25 to 8"),
    (["build", str(ROOT / "specs"), "--jobs", "0"],
     "Invalid value for '--jobs' / '-j': '0' is out of range: use 1 or more"),
    (["check", str(SPEC), "--max-bytes", "9223372036854775807"],
     "Invalid value for '--max-bytes': '9223372036854775807' is out of range: use 1 to 1,073,741,824"),
    (["build", str(ROOT / "specs"), "--jobs", "two"], "Invalid value for '--jobs' / '-j': 'two' is not a whole number"),
    (["check", str(SPEC), "-f", "nope"],
     "Invalid value for '--format' / '-f': 'nope' is not one of text, json, sarif, github"),
    (["render", str(SPEC), "--theme", "neon"], "Invalid value for '--theme': 'neon' is not one of light, dark"),
])
def test_a_bad_value_is_refused_in_a_plain_sentence(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output
