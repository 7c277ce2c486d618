"""Draw the neutral graph with Graphviz in-process (pygraphviz): one layout, many formats."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace

from archgen.errors import GraphvizWarning, RenderError
from archgen.render import isolated
from archgen.render.geometry import Box
from archgen.render.graph import NODE_WRAP, GCluster, GNode, Graph, cluster_members, escape, walk_clusters, wrap
from archgen.render.icons import data_uri, embedded_roots, faded_icon_path, icon_path, icon_pixels
from archgen.render.naming import output_name
from archgen.render.quality import DETOUR_WEIGHT, ROWS, VARIANTS, Variant, backtrack, measure, place_labels, wrong_way
from archgen.render.rows import cut
from archgen.render.themes import FONT, KIND_NAMES, THEMES, Theme
from archgen.render.tooltips import TOKEN, apply_tooltips, edge_token, node_token, strip_tokens

ICON_PT = 44
PAD_PT = 10.8  # the margin around a picture, and around a cropped view
GROUP_ICON_PT = 30
NODE_PT, CAPTION_PT, EDGE_PT, GROUP_PT, TITLE_PT = 14, 13, 13, 14, 22
EDGE_WRAP = 14
MCLIMIT = 3  # dot's crossing-minimisation effort (its default is 1)
WARN = "\u26a0"  # the warning sign on badges


def _font(text: str, size: int, colour: str, bold: bool = False) -> str:
    """Text in a size and colour; empty text is no element at all (Graphviz reads an empty
    ``<FONT>`` or ``<B>`` as a syntax error)."""
    if not text:
        return ""
    body = f"<B>{text}</B>" if bold else text
    return f'<FONT POINT-SIZE="{size}" COLOR="{colour}">{body}</FONT>'


def _icon_cell(icon, size: int, port: str | None = None) -> str:
    """A cell holding the icon in a table of its own size, so a port on it is the icon's box."""
    port_attr = f' PORT="{port}"' if port else ""
    return (f'<TD><TABLE FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}" BORDER="0" CELLBORDER="0" '
            f'CELLSPACING="0" CELLPADDING="0"><TR><TD{port_attr} FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}">'
            f'<IMG SRC="{escape(str(icon))}" SCALE="TRUE"/></TD></TR></TABLE></TD>')


def _warn_colour(theme: Theme, faded: bool) -> str:
    return theme.faded if faded else theme.edges["event"].color


def _node_label(node: GNode, theme: Theme, faded: bool = False) -> str:
    """The icon (port ``icon``, where arrows end) above the component's name and service."""
    if node.groups:
        return _emr_label(node, theme, faded)
    text = "<BR/>".join(escape(line) for line in node.lines)
    icon = faded_icon_path(node.icon) if faded else icon_path(node.icon)
    text_colour = theme.faded if faded else theme.text
    rows = [f"<TR>{_icon_cell(icon, ICON_PT, 'icon')}</TR>",
            f"<TR><TD>{_font(text, NODE_PT, text_colour)}</TD></TR>"]
    if node.caption:
        colour = theme.edges["event"].color if node.badge else theme.muted
        colour = theme.faded if faded else colour
        caption = "<BR/>".join(escape(line) for line in wrap(node.caption, NODE_WRAP))
        rows.append(f"<TR><TD>{_font(caption, CAPTION_PT, colour)}</TD></TR>")
    if node.warning:
        rows.append(f"<TR><TD>{_font(WARN + ' ' + escape(node.warning), CAPTION_PT, _warn_colour(theme, faded), True)}"
                    "</TD></TR>")
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _emr_label(node: GNode, theme: Theme, faded: bool) -> str:
    """An EMR cluster: a header with the EMR icon, then one cell per node group with a count badge."""
    text_colour = theme.faded if faded else theme.text
    muted = theme.faded if faded else theme.muted

    def icon(path: str):
        return faded_icon_path(path) if faded else icon_path(path)

    warn = ("" if not node.warning else
            f"<TD>{_font(WARN + ' ' + escape(node.warning), CAPTION_PT, _warn_colour(theme, faded), True)}</TD>")
    title = escape(node.lines[0])
    subtitle = escape(node.lines[1]) if len(node.lines) > 1 else ""
    header = ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"><TR>'
              f"{_icon_cell(icon(node.icon), 34, 'icon')}"
              f'<TD ALIGN="LEFT" BALIGN="LEFT">{_font(title, NODE_PT, text_colour, True)}<BR/>'
              f"{_font(subtitle, CAPTION_PT, muted)}</TD>"
              f"{warn}"
              "</TR></TABLE>")
    cells = []
    for group in node.groups:
        badge_fill = theme.faded if faded else theme.edges["stream"].color
        count = f"×{group.count}"
        w, h = 10 + 8 * len(count), 17
        badge = (f'<TD VALIGN="TOP"><TABLE FIXEDSIZE="TRUE" WIDTH="{w}" HEIGHT="{h}" BORDER="0" CELLBORDER="0" '
                 f'CELLSPACING="0" CELLPADDING="0"><TR><TD FIXEDSIZE="TRUE" WIDTH="{w}" HEIGHT="{h}" '
                 f'BGCOLOR="{badge_fill}" STYLE="ROUNDED">{_font(count, CAPTION_PT, theme.background, True)}'
                 "</TD></TR></TABLE></TD>")
        market = "Spot" if group.spot else "On-Demand"
        market_colour = _warn_colour(theme, faded) if group.spot else muted
        rows = [f'<TR>{_icon_cell(icon(group.icon), GROUP_ICON_PT)}{badge}</TR>',
                f'<TR><TD COLSPAN="2">{_font(group.role.capitalize(), CAPTION_PT, text_colour, True)}</TD></TR>',
                f'<TR><TD COLSPAN="2">{_font(escape(group.instance), CAPTION_PT, text_colour)}</TD></TR>',
                f'<TR><TD COLSPAN="2">{_font(market, CAPTION_PT, market_colour)}</TD></TR>']
        if group.warning:
            warn_fill = _warn_colour(theme, faded)
            rows.append(f'<TR><TD COLSPAN="2" BGCOLOR="{warn_fill}" STYLE="ROUNDED">'
                        f"{_font(WARN + ' ' + escape(group.warning), CAPTION_PT, theme.background, True)}</TD></TR>")
        cells.append('<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
                     + "".join(rows) + "</TABLE></TD>")
    fill = theme.background if faded else theme.emr_fill
    border = theme.faded if faded else theme.cluster_border
    return (f'<<TABLE BORDER="1" STYLE="ROUNDED" COLOR="{border}" BGCOLOR="{fill}" CELLBORDER="0" '
            f'CELLSPACING="4" CELLPADDING="2"><TR><TD ALIGN="LEFT" COLSPAN="{len(cells)}">{header}</TD></TR>'
            f'<TR>{"".join(cells)}</TR></TABLE>>')


def _edge_label(text: str, colour: str, warning: str | None = None, theme: Theme | None = None,
                faded: bool = False) -> str:
    """An edge label: wrapped short, padded so that lines pass beside the text, not through it."""
    body = "<BR/>".join(escape(line) for line in wrap(text, EDGE_WRAP)) if text else ""
    if not body and not (warning and theme is not None):
        return ""  # a label of only spaces: no label (an empty <FONT> is a Graphviz syntax error)
    if warning and theme is not None:
        mark = _font(WARN + " " + escape(warning), EDGE_PT, _warn_colour(theme, faded), True)
        body = f"{body}<BR/>{mark}" if body else mark
        return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="2"><TR><TD>'
                f'<FONT POINT-SIZE="{EDGE_PT}" COLOR="{colour}">{body}</FONT></TD></TR></TABLE>>')
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="2"><TR><TD>'
            f'<FONT POINT-SIZE="{EDGE_PT}" COLOR="{colour}">{body}</FONT></TD></TR></TABLE>>')


def _html(text: str, size: int, colour: str, bold: bool = False) -> str:
    """A title or group label; text of only spaces and line feeds is no label."""
    body = "<BR/>".join(escape(line) for line in wrap(text, 80))
    if not body:
        return ""
    if bold:
        body = f"<B>{body}</B>"
    return f'<<FONT POINT-SIZE="{size}" COLOR="{colour}">{body}</FONT>>'


@contextlib.contextmanager
def _captured_stderr():
    """Collect what C code writes to file descriptor 2 while the block runs.

    Graphviz reports layout trouble there, and the bundled fontconfig complains about
    newer system configuration files; the caller decides what to pass on. In a drawing
    child (``archgen.render.isolated``) standard error already is a file the parent reads, so
    the text is read from it and stays there: if Graphviz ends the process, its message is
    not lost with a temporary file.
    """
    lines: list[str] = []
    if isolated.in_child():
        start = isolated.stderr_offset()
        try:
            yield lines
        finally:
            text = isolated.stderr_since(start)
            lines.extend(x for x in text.splitlines() if not x.startswith("Fontconfig warning"))
        return
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield lines
        return
    with tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace")
            lines.extend(x for x in text.splitlines() if not x.startswith("Fontconfig warning"))


BROKEN = re.compile(r"syntax error|not well-formed|out of memory", re.IGNORECASE)
MARKUP_HINT = "Graphviz was given a label it cannot read; please report this with the spec that caused it"
FAILED = re.compile(r"^Error\b|" + BROKEN.pattern, re.IGNORECASE)


def failures(lines: list[str]) -> list[str]:
    """The lines of Graphviz's output that say a picture was not drawn as asked."""
    return [line.strip() for line in lines if FAILED.search(line)]


def _layout(g) -> None:
    """Lay out with dot; if its cluster ranking loses edges, lay out again with `newrank`."""
    with _captured_stderr() as trouble:
        g.layout(prog="dot")
    if any(line.startswith("Error") for line in trouble):
        g.graph_attr["newrank"] = "true"
        with _captured_stderr() as trouble:
            g.layout(prog="dot")
    broken = [line.strip() for line in trouble if BROKEN.search(line)]
    if broken:  # a label Graphviz could not read is drawn as raw text or left empty: a failure
        raise RenderError(f"Graphviz could not lay out the diagram: {'; '.join(broken[:5])}", hint=MARKUP_HINT)
    for line in trouble:
        if line.startswith("Error"):
            warnings.warn(line, GraphvizWarning, stacklevel=2)


def _node_order(graph: Graph) -> list[GNode]:
    """Nodes in creation order (spec order): the same spec always gives the same picture."""
    return list(graph.nodes)


def _reverse_clusters(clusters, index: dict[str, int]) -> list[GCluster]:
    """Groups in reverse order of their last member in the spec."""
    def last(c: GCluster) -> int:
        return max((index[n] for n in cluster_members(c)), default=-1)
    return sorted(clusters, key=last, reverse=True)


def build_agraph(graph: Graph, legend: bool = False):
    """A pygraphviz graph for the model; node names are the spec ids."""
    return _build(graph, legend)[0]


def _build(graph: Graph, legend: bool, variant: Variant = VARIANTS[0]):
    """The pygraphviz graph and its cluster subgraphs by cluster id, with ``variant``'s settings."""
    import pygraphviz as pgv

    theme = THEMES[graph.theme]
    g = pgv.AGraph(directed=True, strict=False, name=graph.name)
    g.graph_attr.update(
        rankdir=graph.direction, splines="spline", compound="true",
        nodesep="0.15", ranksep="0.3", pad=str(PAD_PT / 72), bgcolor=theme.background, fontname=FONT,
        outputorder="edgesfirst",
    )
    if graph.title:  # slides leave it out: the slide has the title
        g.graph_attr.update(label=_html(graph.title, TITLE_PT, theme.text, bold=True), labelloc="t", labeljust="c")
    if variant.newrank:
        g.graph_attr["newrank"] = "true"
    g.graph_attr.update(mclimit=str(MCLIMIT), remincross="true")  # dot works harder at fewer crossings
    g.node_attr.update(shape="plain", fontname=FONT, margin="0")
    g.edge_attr.update(fontname=FONT, fontsize=str(EDGE_PT), arrowsize="0.8")

    def add_cluster(parent, cluster: GCluster, depth: int, counter: list[int]) -> None:
        counter[0] += 1
        safe = re.sub(r"[^A-Za-z0-9_]", "_", cluster.id)
        name = f"cluster_{counter[0]}_{safe}"
        fill = theme.emr_fill if cluster.kind == "emr" else theme.cluster_fills[depth % len(theme.cluster_fills)]
        sub = parent.add_subgraph(name=name, label=_html(cluster.label, GROUP_PT, theme.text, bold=True),
                                  style="rounded,filled", fillcolor=fill, color=theme.cluster_border,
                                  labeljust="l", margin="8", fontname=FONT)
        cluster_names[cluster.id] = name
        subgraphs[cluster.id] = sub
        for nid in (reversed(cluster.nodes) if variant.reverse else cluster.nodes):
            sub.add_node(nid)
        for child in (_reverse_clusters(cluster.clusters, index) if variant.reverse else cluster.clusters):
            add_cluster(sub, child, depth + 1, counter)

    cluster_names: dict[str, str] = {}
    subgraphs: dict[str, object] = {}
    home = {nid: c.id for c in walk_clusters(graph.clusters) for nid in c.nodes}  # innermost group
    index = {node.id: i for i, node in enumerate(graph.nodes)}
    nodes = _node_order(graph)
    for node in (reversed(nodes) if variant.reverse else nodes):
        g.add_node(node.id, label=_node_label(node, theme), **_link(node_token(index[node.id]), node.url))
    counter = [0]
    for cluster in (_reverse_clusters(graph.clusters, index) if variant.reverse else graph.clusters):
        add_cluster(g, cluster, 0, counter)
    plain = {n.id for n in graph.nodes if not n.groups}
    tail_side, head_side = PORTS[graph.direction]
    freed = cut(graph, variant.rows - 1, variant.bands) if variant.rows else frozenset()
    for i, edge in enumerate(graph.edges):
        style = theme.edges.get(edge.kind, theme.edges["unknown"])
        width = float(style.penwidth) + (min(edge.count, 16) ** 0.5 - 1 if edge.count > 1 else 0)
        attrs = {"color": style.color, "style": style.style, "penwidth": f"{width:g}",
                 "arrowhead": style.arrowhead, "key": str(i), **_link(edge_token(i), edge.url)}
        if edge.label or edge.warning:
            attrs["label"] = _edge_label(edge.label or "", theme.muted, edge.warning, theme)
        # arrows start and end at the icon, not at the text under it
        if edge.source in plain and tail_side:
            attrs["tailport"] = tail_side
        if edge.target in plain:
            attrs["headport"] = head_side
        if variant.cross_minlen > 1 and home.get(edge.source) != home.get(edge.target):
            attrs["minlen"] = str(variant.cross_minlen)
        if i in freed:  # the flows from one row into the next do not rank their ends
            attrs["constraint"] = "false"
        g.add_edge(edge.source, edge.target, **attrs)
    if legend:
        _add_legend(g, graph, theme, counter)
    return g, subgraphs


# where an edge leaves and enters a node: the icon, on no fixed side, so Graphviz takes the
# shortest way in (a fixed east/west side made crowded fan-ins cross near the icon); in TB/BT
# it leaves from under the text, so it never crosses it
PORTS = {"LR": ("", "icon"), "RL": ("", "icon"), "TB": ("", "icon"), "BT": ("icon", "")}

def _link(token: str, url: str) -> dict[str, str]:
    """Tooltip token and doc link of a node or edge (texts: ``archgen.render.tooltips``)."""
    return {"tooltip": token, "labeltooltip": token, **({"URL": url} if url else {})}


LINE_SAMPLES = {"solid": "━━━━━━", "dashed": "━ ━ ━ ━", "dotted": "┈┈┈┈┈┈"}
HEAD_SAMPLES = {"normal": "▶", "vee": "➤", "onormal": "▷", "odot": "○", "empty": "▷"}


def _add_legend(g, graph: Graph, theme: Theme, counter: list[int]) -> None:
    """One table node: a sample of each edge kind used, drawn in its colour and line style."""
    kinds = [k for k in KIND_NAMES if k in graph.kinds] or list(KIND_NAMES)
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B><FONT POINT-SIZE="10" COLOR="{theme.text}">'
            f"Legend</FONT></B></TD></TR>"]
    for kind in kinds:
        style = theme.edges[kind]
        sample = LINE_SAMPLES.get(style.style, LINE_SAMPLES["solid"]) + HEAD_SAMPLES.get(style.arrowhead, "▶")
        rows.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{style.color}">{sample}</FONT></TD>'
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{theme.text}">{escape(KIND_NAMES[kind])}'
            f"</FONT></TD></TR>")
    label = (f'<<TABLE BORDER="1" COLOR="{theme.cluster_border}" CELLBORDER="0" CELLSPACING="2" '
             f'CELLPADDING="2" STYLE="ROUNDED">' + "".join(rows) + "</TABLE>>")
    g.add_node("legend:", shape="plain", label=label)


def render(graph: Graph, formats: tuple[str, ...], scale: float = 1.0,
           legend: bool = False) -> dict[str, bytes]:
    """Lay the graph out once and draw each format into memory."""
    return render_states(graph, [None], formats, scale, legend)[""]


def render_states(graph: Graph, states: list, formats: tuple[str, ...], scale: float = 1.0,
                  legend: bool = False, fit: Fit | None = None) -> dict[str, dict[str, bytes]]:
    """One layout of the full graph, drawn once per view state (None: the full diagram).

    Returns ``{suffix: {format: bytes}}``; every picture keeps the full layout's positions.
    With ``fit`` (a slide's picture box), each PNG has ``scale`` times 96 dpi once fitted
    into that box, however small the picture is. Graphviz runs in a child process
    (``archgen.render.isolated``): if it fails, ends the process or crashes, this raises a
    ``RenderError`` with its message.
    """
    return isolated.run(_render_states, graph, states, formats, scale, legend, fit)


def _render_states(graph: Graph, states: list, formats: tuple[str, ...], scale: float,
                   legend: bool, fit: Fit | None) -> dict[str, dict[str, bytes]]:
    return _searched(graph, legend, _draw_states, (states, formats, scale, fit))


def _draw_states(g, subgraphs: dict, graph: Graph, states: list, formats: tuple[str, ...], scale: float,
                 fit: Fit | None) -> dict[str, dict[str, bytes]]:
    """The laid-out graph ``g`` drawn once per view state, in each format."""
    theme = THEMES[graph.theme]
    x0, y0, x1, y1 = (float(v) for v in str(g.graph_attr["bb"]).split(","))
    full = (x1 - x0 + 2 * PAD_PT, y1 - y0 + 2 * PAD_PT)  # read before drawing: a draw rewrites bb
    out: dict[str, dict[str, bytes]] = {}
    with _captured_stderr() as trouble:
        extents = _extents(g) if any(s is not None and s.frame is not None for s in states) else None
        for state in states:
            undo = _apply_state(g, subgraphs, graph, theme, state) if state is not None else []
            if extents is not None and state is not None and state.frame is not None:
                _crop(g, undo, graph, state, extents, subgraphs)
            try:
                png = output_name(graph.name, state.suffix if state is not None else "", "png")
                drawn = _draw(g, formats, _png_scale(g, scale, fit, full), png)
                out[state.suffix if state is not None else ""] = _with_tooltips(drawn, graph)
            finally:
                for attrs, key, old in reversed(undo):
                    attrs[key] = old
    failed = failures(trouble)
    if failed:  # Graphviz drew something else than asked (a label it could not read): never a success
        raise RenderError(f"Graphviz could not draw the diagram: {'; '.join(failed[:5])}", hint=MARKUP_HINT)
    return out


SLIDE = (1280.0, 720.0)
SWITCH = 1.1  # TB replaces LR only when its text is this much larger on a slide
SEARCH_NODES = 60  # up to this many nodes every variant is laid out and measured
# ... and up to this many edges: a layout's time grows about with the fourth power of the edges
# (benchmarks/bench_layout_cost.py: 60 nodes and 227 edges took 25 s CPU searching), so a dense
# graph is laid out once or twice, like a large one
SEARCH_EDGES = 150
KEEP_FIT = 0.85  # a layout competes when its text is at least this share of the largest on a slide
TEXT_WEIGHT = 30  # score points per 100% of text size lost on a slide
# wrapping a strip into two rows halves one side and doubles the other: it suits a 16:9
# slide better once the strip is wider than about twice the slide's own aspect (or taller
# than about half of it); tried from a little before that, and measured
WIDE, TALL = 3.0, 1.0
LEGIBLE_PX = 18  # text this tall on a slide reads easily: larger is no gain worth a worse layout
COVER_WEIGHT = 6  # score points for a picture that would leave its whole slide box empty


PARALLEL_SIZE = 40  # nodes plus edges from which the search is shared between processes
# (below it, starting a process costs more than it saves: benchmarks/README.md)


def _best_layout(graph: Graph, legend: bool):
    """The laid-out pygraphviz graph, its subgraphs and the graph model it was drawn from,
    searched in this process alone (``_searched`` describes the search)."""
    return _searched(graph, legend, _chosen, (), processes=1)


def _chosen(g, subgraphs: dict, graph: Graph):
    return g, subgraphs, graph


def _directions(graph: Graph) -> list[Graph]:
    """The graph as the spec gives it and, when its direction is left out, top to bottom too."""
    directions = [graph]
    if graph.auto_direction and len(graph.nodes) > 2 and graph.direction in ("LR", "RL"):
        directions.append(replace(graph, direction="TB"))
    return directions


def _parallel(graph: Graph) -> bool:
    return len(graph.nodes) + len(graph.edges) >= PARALLEL_SIZE


Key = tuple[int, int]  # (direction, candidate): a direction's variants, then its wrapped rows


def _shares(directions: int, variants: int, processes: int) -> list[list[Key]]:
    """The plain candidates each process lays out, in the order one process would: whole
    directions dealt out when there are several, else the one direction's variants dealt
    round-robin (its wrapped rows go with its first variant, whose layout decides whether
    they are tried)."""
    if directions > 1 or processes <= 1 or variants == 1:
        count = max(1, min(processes, directions))
        return [[(d, v) for d in range(directions) if d % count == p for v in range(variants)]
                for p in range(count)]
    count = min(processes, variants)
    return [[(0, v) for v in range(p, variants, count)] for p in range(count)]


class Search:
    """One process's share of a layout search: its candidates laid out, measured and, if one
    of them is chosen, drawn (``draw(g, subgraphs, graph, *draw_args)``)."""

    def __init__(self, graph: Graph, legend: bool, share: list[Key], searched: bool,
                 draw: Callable, draw_args: tuple) -> None:
        self.graph, self.legend, self.share, self.searched = graph, legend, share, searched
        self.directions = _directions(graph)
        self.variants = VARIANTS if searched else VARIANTS[:1]
        self.draw_fn, self.draw_args = draw, draw_args
        self.layouts: dict[Key, tuple] = {}

    def lay_out(self) -> dict[Key, float]:
        """Each candidate's scale on a slide, by key (top to bottom counts ``SWITCH`` times
        smaller than it is)."""
        fits: dict[Key, float] = {}

        def add(key: Key, d: Graph, variant: Variant) -> object:
            g, subgraphs = _laid_out(d, self.legend, variant)
            if variant.rows and _wrong_way(g):
                return g
            fits[key] = _slide_fit(g) / (SWITCH if key[0] else 1.0)
            self.layouts[key] = (g, subgraphs, d, fits[key])
            return g

        for key in self.share:
            d = self.directions[key[0]]
            plain = add(key, d, self.variants[key[1]])
            if key[1] or not self.searched or not _strip(plain, d.direction):
                continue
            aspect = _aspect(plain, d.direction)
            for i, variant in enumerate(ROWS):  # a long chain drawn as a strip: also wrapped into rows
                if variant.bands ** 2 > 2 * aspect or not cut(d, variant.rows - 1, variant.bands):
                    continue  # so many rows would make it twice as tall as wide
                add((key[0], len(self.variants) + i), d, variant)
        return fits

    def score(self, largest: float, kept: list[Key], total: bool) -> dict[Key, float]:
        """Labels moved clear of lines in the kept candidates (moving labels keeps the box)
        and, with ``total``, each one's ``_total``."""
        totals: dict[Key, float] = {}
        for key in kept:
            g, subgraphs, d, fit = self.layouts[key]
            place_labels(g, d, subgraphs, EDGE_PT, EDGE_WRAP, GROUP_PT)
            if total:
                totals[key] = _total(g, subgraphs, d, fit, largest)
        return totals

    def draw(self, key: Key):
        g, subgraphs, d, _ = self.layouts[key]
        return self.draw_fn(g, subgraphs, d, *self.draw_args)


def _searched(graph: Graph, legend: bool, draw: Callable, draw_args: tuple, processes: int | None = None):
    """``draw(g, subgraphs, graph, *draw_args)`` for the best layout of the graph.

    A graph whose direction is left out is also laid out top to bottom; up to
    ``SEARCH_NODES`` nodes and ``SEARCH_EDGES`` edges, each direction with every
    ``quality.VARIANTS`` setting and, when its plain layout is a strip (``WIDE``/``TALL``),
    wrapped into two rows at each of the best boundaries and into more rows while they
    leave it no more than twice as tall as wide (``quality.ROWS``, ``rows.cut``; a wrap that
    Graphviz draws with an arrow the wrong way is left out). Struck and stray
    labels are moved by ``quality.place_labels``. Each layout's measured score (crossings,
    struck and far labels, detours) grows by ``DETOUR_WEIGHT`` per picture width that its
    flows run backwards, by ``COVER_WEIGHT`` per slide box left empty, and by
    ``TEXT_WEIGHT`` per 100% of text size lost on a slide against the layout whose text is
    largest (text counts up to ``LEGIBLE_PX``: larger is no gain); layouts under
    ``KEEP_FIT`` of it are left out; the lowest total wins, ties keep the earlier. Larger
    graphs are only laid out plainly, and the larger text wins. Top to bottom counts
    ``SWITCH`` times smaller than it is, so it replaces the spec's left-to-right only when
    it reads clearly better.

    From ``PARALLEL_SIZE`` nodes and edges, the candidates are shared between as many
    processes as there are CPUs (``_shares``, ``isolated.Worker``); the result is the same
    as in one process, since every candidate is laid out and scored alike and the keys keep
    the order in which one process would try them.
    """
    searched = len(graph.nodes) <= SEARCH_NODES and len(graph.edges) <= SEARCH_EDGES
    variants = len(VARIANTS) if searched else 1
    if processes is None:
        processes = isolated.processes() if _parallel(graph) else 1
    shares = _shares(len(_directions(graph)), variants, processes)
    args = (graph, legend)
    workers: list[isolated.Worker] = []
    try:
        try:
            for share in shares[1:]:
                workers.append(isolated.Worker(Search, *args, share, searched, draw, draw_args))
        except OSError:  # no more processes may start here: the search stays in this one
            for worker in workers:
                worker.close()
            workers = []
            shares = _shares(len(_directions(graph)), variants, 1)
        searches = [isolated.Local(Search, *args, shares[0], searched, draw, draw_args), *workers]
        for search in workers + searches[:1]:  # the workers start first, then this process works too
            search.ask("lay_out")
        fits: dict[Key, float] = {}
        owner: dict[Key, object] = {}
        for search in searches:
            found = search.answer()
            fits.update(found)
            owner.update(dict.fromkeys(found, search))
        largest = max(_legible(f) for f in fits.values())
        kept = sorted(key for key, f in fits.items() if _legible(f) >= KEEP_FIT * largest)
        if searched:  # labels that a line runs through or that stray are moved beside their line
            total = len(kept) > 1
            asked = [s for s in searches if any(owner[k] is s for k in kept)]
            for search in [s for s in asked if s is not searches[0]] + [s for s in asked if s is searches[0]]:
                search.ask("score", largest, [k for k in kept if owner[k] is search], total)
            totals: dict[Key, float] = {}
            for search in asked:
                totals.update(search.answer())
        if not searched or len(kept) == 1:  # too large to measure: the larger text wins
            chosen = max(kept, key=lambda k: fits[k])
        else:
            chosen = min(kept, key=lambda k: totals[k])
        owner[chosen].ask("draw", chosen)
        return owner[chosen].answer()
    finally:
        for worker in workers:
            worker.close()


def _total(g, subgraphs: dict, graph: Graph, fit: float, largest: float) -> float:
    """A laid-out candidate's total in the layout search (lower is better): its measured
    score, its flows run backwards, its slide box left empty and its text lost on a slide
    against ``largest`` (both as ``_legible`` scales)."""
    quality = measure(g, graph, subgraphs, EDGE_PT, EDGE_WRAP, ICON_PT)
    return (quality.score + DETOUR_WEIGHT * backtrack(g, graph) + COVER_WEIGHT * (1 - _slide_cover(g))
            + TEXT_WEIGHT * (largest / _legible(fit) - 1))


def _wrong_way(g) -> bool:
    """True when Graphviz drew an arrow at the tail's end of its edge (it does for some flows
    freed from ranking whose ends land on one rank): such a layout says the wrong thing."""
    return any(wrong_way(e.attr.get("pos") or "") for e in g.edges())


def _legible(fit: float) -> float:
    """A layout's scale on a slide, as far as it makes text easier to read: up to the scale
    at which edge labels are ``LEGIBLE_PX`` tall."""
    return min(fit, LEGIBLE_PX / EDGE_PT)


def _slide_cover(g) -> float:
    """The share of its slide's picture box that the laid-out graph covers, placed as a slide
    places it (``archgen/slides/layout.py``; not magnified)."""
    from archgen.slides.layout import coverage  # plain geometry: no slides stack

    return coverage(_size(g), float("inf"))


def _aspect(g, direction: str) -> float:
    """The laid-out graph's length along its direction over its breadth across it."""
    w, h = _size(g)
    return w / h if direction in ("LR", "RL") else h / w


def _strip(g, direction: str) -> bool:
    """True when the laid-out graph is a strip far wider (left to right) or taller (top to
    bottom) than a slide, along its direction."""
    return _aspect(g, direction) > (WIDE if direction in ("LR", "RL") else 1 / TALL)


def _laid_out(graph: Graph, legend: bool, variant: Variant = VARIANTS[0]):
    g, subgraphs = _build(graph, legend, variant)
    try:
        _layout(g)
    except RenderError:
        raise
    except Exception as exc:  # pygraphviz raises plain exceptions for Graphviz failures
        raise RenderError(f"Graphviz could not lay out the diagram: {exc}", hint=isolated.HINT) from exc
    return g, subgraphs


def _size(g) -> tuple[float, float]:
    """The laid-out graph's width and height in points (at least 1 each)."""
    x0, y0, x1, y1 = (float(v) for v in str(g.graph_attr["bb"]).split(","))
    return max(x1 - x0, 1.0), max(y1 - y0, 1.0)


def _slide_fit(g) -> float:
    """The scale at which the laid-out graph fits a 1280×720 slide."""
    w, h = _size(g)
    return min(SLIDE[0] / w, SLIDE[1] / h)


def _points_box(points) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _ops_box(ops) -> Box | None:
    """What xdot drawing operations cover: their points, and each text's box."""
    box, size = None, 14.0
    for op in ops:
        kind = op.get("op")
        if kind == "F":
            size = float(op["size"])
        elif kind == "T":
            x, y, w = float(op["pt"][0]), float(op["pt"][1]), float(op["width"])
            x0 = {"l": x, "r": x - w}.get(op.get("align"), x - w / 2)
            part = Box(x0, y - 0.25 * size, x0 + w, y + size)
            box = part if box is None else box.union(part)
        elif "points" in op:
            part = _points_box(op["points"])
            box = part if box is None else box.union(part)
        elif kind in ("E", "e"):  # an ellipse: centre and radii
            (cx, cy), (rx, ry) = op["rect"][:2], op["rect"][2:]
            part = Box(cx - rx, cy - ry, cx + rx, cy + ry)
            box = part if box is None else box.union(part)
    return box


XDOT = ("_draw_", "_hdraw_", "_tdraw_", "_ldraw_", "_hldraw_", "_tldraw_")


def _forget_drawing(g) -> None:
    """Empty the xdot drawing operations that a JSON draw leaves on the graph: every later draw
    re-reads the layout from the attributes (``nop2``), and would take the background drawn
    there for part of the picture (the margin twice, a second background)."""
    graphs = [g]
    while graphs:
        sub = graphs.pop()
        for key in XDOT:
            if sub.graph_attr.get(key):
                sub.graph_attr[key] = ""
        graphs.extend(sub.subgraphs())
    for item in (*g.nodes(), *g.edges()):
        for key in XDOT:
            if item.attr.get(key):
                item.attr[key] = ""


@dataclass(frozen=True)
class Extents:
    """Where each part of the laid-out picture is: nodes by id, edges by index, clusters by name."""

    nodes: dict[str, Box]
    edges: dict[int, Box]
    clusters: dict[str, Box]


def _extents(g) -> Extents:
    """The boxes of every node, edge (line, head and label) and cluster, as Graphviz drew them."""
    drawn = json.loads(g.draw(format="json"))
    _forget_drawing(g)
    nodes: dict[str, Box] = {}
    clusters: dict[str, Box] = {}
    for obj in drawn.get("objects", []):
        if "bb" in obj:
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            clusters[obj["name"]] = Box(x0, y0, x1, y1)
        elif "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            w, h = float(obj["width"]) * 36, float(obj["height"]) * 36
            nodes[obj["name"]] = Box(x - w, y - h, x + w, y + h)
    edges: dict[int, Box] = {}
    for edge in drawn.get("edges", []):
        token, prefix = edge.get("tooltip", ""), f"{TOKEN}e"
        if not token.startswith(prefix):
            continue
        ops = [op for key in XDOT for op in edge.get(key, [])]
        box = _ops_box(ops)
        if box is not None:
            edges[int(token[len(prefix):])] = box
    return Extents(nodes, edges, clusters)


def frame_box(graph: Graph, state, extents: Extents, subgraph_names: dict[str, str]) -> Box | None:
    """What a view shows of the full layout: its components, the flows among them and its groups."""
    frame = state.frame
    box: Box | None = None
    parts = [extents.nodes.get(n.id) for n in graph.nodes if n.component in frame]
    parts += [extents.edges.get(i) for i, e in enumerate(graph.edges)
              if e.source_component in frame and e.target_component in frame]
    for cluster in walk_clusters(graph.clusters):
        shown = cluster.id in frame if cluster.kind == "emr" else (
            state.groups is None or cluster.id in state.groups)
        if shown:
            parts.append(extents.clusters.get(subgraph_names.get(cluster.id, "")))
    for part in parts:
        if part is not None:
            box = part if box is None else box.union(part)
    return box


def _crop(g, undo: list, graph: Graph, state, extents: Extents, subgraphs: dict) -> None:
    """Crop the picture to the view's frame (a Graphviz viewport) and leave the title out: it
    is placed over the whole layout, so a crop would cut it."""
    names = {cid: str(sub.name) for cid, sub in subgraphs.items()}
    box = frame_box(graph, state, extents, names)
    if box is None:
        return
    w, h = box.x1 - box.x0 + 2 * PAD_PT, box.y1 - box.y0 + 2 * PAD_PT
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    _set(undo, g.graph_attr, "viewport", f"{w:.2f},{h:.2f},1,{cx:.2f},{cy:.2f}")
    if g.graph_attr.get("label"):
        _set(undo, g.graph_attr, "label", "", _html(graph.title, TITLE_PT, THEMES[graph.theme].text, bold=True))


def _with_tooltips(pictures: dict[str, bytes], graph: Graph) -> dict[str, bytes]:
    texts = {f"n{i}": n.tooltip for i, n in enumerate(graph.nodes)}
    texts.update({f"e{i}": e.tooltip for i, e in enumerate(graph.edges)})
    if "svg" in pictures:
        pictures["svg"] = apply_tooltips(pictures["svg"], texts)
    if "dot" in pictures:
        pictures["dot"] = strip_tokens(pictures["dot"])
    return pictures


def _set(undo: list, attrs, key: str, value: str, original: str | None = None) -> None:
    """Change one attribute and remember how to put it back.

    pygraphviz hands HTML labels back without their outer brackets, so labels are restored
    from the ``original`` the caller rebuilds, never from what was read.
    """
    undo.append((attrs, key, original if original is not None else (attrs.get(key) or "")))
    attrs[key] = value


def _unlink(undo: list, attrs) -> None:
    """A hidden part has no tooltip or link either (Graphviz would draw an empty anchor)."""
    for key in ("tooltip", "labeltooltip", "URL"):
        if attrs.get(key):
            _set(undo, attrs, key, "")


def _apply_state(g, subgraphs, graph: Graph, theme: Theme, state) -> list:
    """Hide what the state does not show and fade what it fades; returns how to undo it."""
    undo: list = []
    shown = state.components
    for node in graph.nodes:
        attrs = g.get_node(node.id).attr
        if shown is not None and node.component not in shown:
            _set(undo, attrs, "style", "invis")
            _unlink(undo, attrs)
        elif node.component in state.faded:
            _set(undo, attrs, "label", _node_label(node, theme, faded=True), _node_label(node, theme))
    for i, edge in enumerate(graph.edges):
        attrs = g.get_edge(edge.source, edge.target, key=str(i)).attr
        ends = (edge.source_component, edge.target_component)
        if shown is not None and not all(c in shown for c in ends):
            _set(undo, attrs, "style", "invis")
            _unlink(undo, attrs)
            if edge.label or edge.warning:
                _set(undo, attrs, "label", "", _edge_label(edge.label or "", theme.muted, edge.warning, theme))
        elif any(c in state.faded for c in ends):
            _set(undo, attrs, "color", theme.faded)
            if edge.label or edge.warning:
                _set(undo, attrs, "label", _edge_label(edge.label or "", theme.faded, edge.warning, theme, True),
                     _edge_label(edge.label or "", theme.muted, edge.warning, theme))
    for cluster in walk_clusters(graph.clusters):
        attrs = subgraphs[cluster.id].graph_attr
        if cluster.kind == "emr":
            hidden = shown is not None and cluster.id not in shown
            faded = cluster.id in state.faded
        else:
            hidden = state.groups is not None and cluster.id not in state.groups
            faded = cluster.id in state.faded_groups
        label = _html(cluster.label, GROUP_PT, theme.text, bold=True)
        if hidden:
            _set(undo, attrs, "style", "invis")
            _set(undo, attrs, "label", "", label)
        elif faded:
            _set(undo, attrs, "color", theme.faded)
            _set(undo, attrs, "fillcolor", theme.background)
            _set(undo, attrs, "label", _html(cluster.label, GROUP_PT, theme.faded, bold=True), label)
    return undo


@dataclass(frozen=True)
class Fit:
    """The box a picture is fitted into (points) and how far it may be magnified."""

    width: float
    height: float
    max_zoom: float


def picture_size(g, full: tuple[float, float]) -> tuple[float, float]:
    """The size in points of the picture drawn next: its viewport, or the whole layout ``full``."""
    viewport = str(g.graph_attr.get("viewport") or "")
    if viewport:
        w, h = (float(v) for v in viewport.split(",")[:2])
        return w, h
    return full


def zoom(size: tuple[float, float], fit: Fit) -> float:
    """How much a picture of ``size`` points is magnified when fitted into ``fit``."""
    return min(fit.width / size[0], fit.height / size[1], fit.max_zoom)


def _png_scale(g, scale: float, fit: Fit | None, full: tuple[float, float]) -> float:
    return scale if fit is None else scale * max(1.0, zoom(picture_size(g, full), fit))


PNG_SIDE = 32767  # cairo's largest image side, in pixels
_SCALED = re.compile(r"too large for cairo-renderer bitmaps\. Scaling by ([0-9.eE+-]+) to fit")
DOWNSCALED_HINT = ("draw parts of it as views (--view), an overview with --collapse, the other direction "
                   "(`direction: TB` or `LR`), or use a lower --scale")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _downscaled(file: str, data: bytes, factor: float) -> str:
    w, h = png_size(data)
    iw, ih = round(w / factor), round(h / factor)
    return (f"{file} is drawn at {w:,}×{h:,} px instead of {iw:,}×{ih:,} px: a PNG has at most "
            f"{PNG_SIDE:,} px a side, so Graphviz scaled the picture down to {factor:.1%}\n"
            f"    hint: {DOWNSCALED_HINT}")


def _draw(g, formats: tuple[str, ...], scale: float, png_file: str = "picture.png") -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        try:
            with _captured_stderr() as said:
                if fmt == "png" and scale != 1.0:
                    g.graph_attr["dpi"] = str(round(96 * scale))
                    data = g.draw(format="png")
                    del g.graph_attr["dpi"]
                else:
                    data = g.draw(format=fmt)
        except Exception as exc:
            raise RenderError(f"Graphviz could not draw {fmt.upper()}: {exc}") from exc
        scaled = next((m for m in map(_SCALED.search, said) if m), None)
        if fmt == "png" and scaled:  # cairo's limit: Graphviz shrinks the picture and says so only here
            warnings.warn(_downscaled(png_file, data, float(scaled.group(1))), GraphvizWarning, stacklevel=2)
        if fmt == "svg":
            data = embed_icons(data)
        elif fmt == "dot":
            data = relative_icons(_without_drawing(data))
        out[fmt] = data
    return out


_IMAGE = re.compile(rb'<image xlink:href="([^"]+)"([^>]*?)\s*/>')
_ASPECT = re.compile(rb'\s+preserveAspectRatio="([^"]*)"')
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")
ICON_ID = "archgen-icon-"


def embed_icons(svg: bytes) -> bytes:
    """Each icon's PNG once, in a ``<symbol>`` at the top; every node's picture a ``<use>`` of it.

    Graphviz writes one ``<image>`` per node with the icon's file path. The SVG becomes
    self-contained (no paths of this machine) and each distinct icon is embedded once:
    ``<symbol viewBox="0 0 W H">`` (W×H the PNG's pixel size) with Graphviz's
    ``preserveAspectRatio`` draws it in the ``<use>``'s box exactly as the ``<image>`` did.
    Symbol ids come from the icon's bytes, so several SVGs inlined in one HTML page (a slide
    deck) never point at each other's icons by mistake.
    """
    roots = [(str(root).encode() + b"/", prefix) for root, prefix in embedded_roots()]
    symbols: dict[bytes, bytes] = {}

    def symbol(name: str, aspect: bytes) -> bytes:
        uri = data_uri(name)
        digest = hashlib.sha256(uri.encode() + b"\0" + aspect).hexdigest()[:16]
        ident = (ICON_ID + digest).encode()
        if ident not in symbols:
            width, height = icon_pixels(name)
            symbols[ident] = (b'<symbol id="' + ident + b'" viewBox="0 0 ' + str(width).encode() + b" "
                              + str(height).encode() + b'" preserveAspectRatio="' + aspect + b'">'
                              + b'<image xlink:href="' + uri.encode() + b'" width="' + str(width).encode()
                              + b'" height="' + str(height).encode() + b'"/></symbol>')
        return ident

    def swap(m: re.Match[bytes]) -> bytes:
        href, rest = m.group(1), m.group(2)
        for root, prefix in roots:
            if href.startswith(root):
                name = prefix + href[len(root):].decode()
                if icon_pixels(name) is None:  # not a PNG: embedded where it stands
                    return b'<image xlink:href="' + data_uri(name).encode() + b'"' + rest + b"/>"
                aspect = _ASPECT.search(rest)
                ident = symbol(name, aspect.group(1) if aspect else b"xMidYMid meet")
                return b'<use xlink:href="#' + ident + b'"' + _ASPECT.sub(b"", rest) + b"/>"
        return m.group(0)

    body = _IMAGE.sub(swap, svg)
    opening = _SVG_OPEN.search(body)
    if not symbols or opening is None:
        return body
    defs = b"\n<defs>\n" + b"\n".join(symbols.values()) + b"\n</defs>"
    return body[: opening.end()] + defs + body[opening.end():]


_DRAWING = re.compile(rb'_(?:h|t|hl|tl|l)?draw_="(?:[^"\\]|\\.)*",?\s*|,\s*xdotversion="?[0-9.]+"?', re.DOTALL)


def _without_drawing(dot: bytes) -> bytes:
    """DOT without what measuring a view's frame leaves on the graph: the (emptied) xdot drawing
    attributes and ``xdotversion``, so that a layout's DOT is the same with views drawn or not."""
    return _DRAWING.sub(b"", dot)


def relative_icons(dot: bytes) -> bytes:
    """Icon paths in DOT relative to the `diagrams` resources folder: no paths of this machine."""
    for root, prefix in embedded_roots():
        dot = dot.replace(str(root).encode() + b"/", prefix.encode())
    return dot
