"""Views: `show` draws exactly its parts, `focus` fades the rest, steps build up, positions stay."""

from __future__ import annotations

import re

from tests.conftest import ROOT

SPEC = ROOT / "specs" / "clickstream.yaml"


def nodes(svg: str) -> list[str]:
    return re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]+)</title>', svg)


def positions(svg: str) -> dict[str, str]:
    out = {}
    for name, body in re.findall(r'class="node">\s*<title>([^<]+)</title>(.*?)</g>', svg, re.S):
        m = re.search(r'<image [^>]*x="([^"]+)" y="([^"]+)"', body)
        out[name] = m.groups() if m else None
    return out


def render(cli, tmp_path, *args):
    result = cli("render", SPEC, "-o", tmp_path, "-T", "svg", *args)
    assert result.exit_code == 0, result.output
    return {p.name: p.read_text() for p in tmp_path.glob("*.svg")}


def test_view_show_draws_exactly_its_parts(cli, tmp_path):
    out = render(cli, tmp_path, "--view", "ingest")
    assert sorted(out) == ["clickstream--ingest.svg"]
    svg = out["clickstream--ingest.svg"]
    # `ingestion` is a group: its members come with it
    assert sorted(nodes(svg)) == ["clicks", "delivery", "lake", "web"]
    clusters = re.findall(r'class="cluster">\s*<title>[^<]*</title>\s*<path[^>]*>\s*<text[^>]*>([^<]+)</text>', svg)
    assert clusters == ["Ingestion"]  # not the Storage group
    edges = re.findall(r'class="edge">\s*<title>([^<]+)</title>', svg)
    # edges end at ports on the icons (`clicks:e`): compare the node names only
    assert sorted("->".join(end.split(":")[0] for end in e.split("&#45;&gt;")) for e in edges) == [
        "clicks->delivery", "delivery->lake", "web->clicks"]


def test_focus_fades_the_rest(cli, tmp_path):
    svg = render(cli, tmp_path, "--view", "query")["clickstream--query.svg"]
    assert len(nodes(svg)) == 8  # everything is drawn
    faded = "#d1d5db"
    web = re.search(r"<title>web</title>(.*?)</g>", svg, re.S).group(1)
    lake = re.search(r"<title>lake</title>(.*?)</g>", svg, re.S).group(1)
    assert faded in web.lower() and faded not in lake.lower()


def test_steps_are_cumulative_and_keep_positions(cli, tmp_path):
    out = render(cli, tmp_path, "--all-views")
    full = positions(out["clickstream.svg"])
    steps = [nodes(out[f"clickstream--walkthrough-{n}.svg"]) for n in (1, 2, 3)]
    assert sorted(steps[0]) == ["clicks", "web"]
    assert set(steps[0]) < set(steps[1]) < set(steps[2])
    assert sorted(steps[2]) == sorted(full)
    for n in (1, 2, 3):
        pos = positions(out[f"clickstream--walkthrough-{n}.svg"])
        assert all(pos[k] == full[k] for k in pos)


def test_unknown_view_is_usage_error(cli, tmp_path):
    result = cli("render", SPEC, "-o", tmp_path, "--view", "nope")
    assert result.exit_code == 2
    assert "ingest" in result.stderr
