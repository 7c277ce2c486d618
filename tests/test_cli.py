"""CLI surface: version, python -m, catalogue listing, finding formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from archgen import __version__
from tests.conftest import ROOT, SPECS


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"archgen {__version__}"


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "archgen", "--version"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == f"archgen {__version__}"


def test_services_table_and_json(cli):
    table = cli("services")
    assert table.exit_code == 0 and "kinesis-data-streams" in table.stdout
    data = json.loads(cli("services", "--format", "json").stdout)["services"]
    by_id = {s["id"]: s for s in data}
    assert by_id["firehose"]["name"] == "Amazon Data Firehose"
    assert "AWS::KinesisFirehose::DeliveryStream" in by_id["firehose"]["aliases"]


def test_examples_check_clean(cli):
    result = cli("check", *SPECS, "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 0, findings
    assert not [f for f in findings if f["severity"] != "info"], findings


def test_bad_format_option_is_usage_error(cli, tmp_path):
    result = cli("render", ROOT / "specs" / "clickstream.archgen.yaml", "-o", tmp_path, "-T", "gif")
    assert result.exit_code == 2
    assert "unknown output format" in result.stderr


def test_warnings_render_but_strict_fails(cli, tmp_path):
    spec = tmp_path / "lonely.yaml"
    spec.write_text("archgen: 1\ntitle: Lonely\nsources:\n  web: kpl\n  spare: sdk\nstreams:\n"
                    "  clicks: kinesis-data-streams\nflows:\n  - web -> clicks\n")
    ok = cli("render", spec, "-o", tmp_path / "a")
    assert ok.exit_code == 0 and "W201" in ok.stderr
    assert (tmp_path / "a" / "lonely.png").exists()
    strict = cli("render", spec, "-o", tmp_path / "b", "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "b").exists()
