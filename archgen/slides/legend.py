"""Legend samples: each edge kind drawn by Graphviz in the very style the diagrams use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from archgen.render.themes import THEMES

SAMPLE_LENGTH_IN = 0.9  # the line between the two ends
ARROWSIZE = "0.8"  # as in the diagrams


@dataclass(frozen=True)
class EdgeSample:
    kind: str
    png: bytes  # at the deck's PNG scale
    svg: bytes


def _sample_graph(kind: str, theme: str):
    import pygraphviz as pgv

    style = THEMES[theme].edges[kind]
    g = pgv.AGraph(directed=True, name=f"legend_{kind.replace('-', '_')}")
    g.graph_attr.update(rankdir="LR", bgcolor="transparent", pad="0.04", ranksep=str(SAMPLE_LENGTH_IN),
                        nodesep="0")
    g.node_attr.update(shape="none", width="0.01", height="0.16", fixedsize="true", label="")
    g.add_edge("a", "b", color=style.color, style=style.style, penwidth=style.penwidth,
               arrowhead=style.arrowhead, arrowsize=ARROWSIZE)
    return g


@lru_cache(maxsize=64)
def edge_sample(kind: str, theme: str, scale: float) -> EdgeSample:
    """A short edge of ``kind`` in ``theme``: PNG at ``scale`` for PPTX, SVG for HTML."""
    g = _sample_graph(kind, theme)
    g.layout(prog="dot")
    svg = g.draw(format="svg")
    g.graph_attr["dpi"] = str(round(96 * scale))
    png = g.draw(format="png")
    return EdgeSample(kind, png, _bare_svg(svg))


def _bare_svg(svg: bytes) -> bytes:
    """Only the <svg> element: no XML prolog, DOCTYPE or generator comments."""
    text = svg.decode("utf-8")
    text = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", text, flags=re.S)
    return text.strip().encode("utf-8")
