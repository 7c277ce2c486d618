"""Draw the neutral graph with Graphviz in-process (pygraphviz): one layout, many formats."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile

from archgen.errors import RenderError
from archgen.render.graph import GCluster, GNode, Graph, escape, wrap
from archgen.render.icons import data_uri, embedded_roots, faded_icon_path, icon_path
from archgen.render.themes import FONT, KIND_NAMES, THEMES, Theme

ICON_PT = 48
FORMATS = ("png", "svg", "pdf", "dot")


def _node_label(node: GNode, theme: Theme, faded: bool = False) -> str:
    text = "<BR/>".join(escape(line) for line in node.lines)
    icon = faded_icon_path(node.icon) if faded else icon_path(node.icon)
    text_colour = theme.faded if faded else theme.text
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_PT}" HEIGHT="{ICON_PT}">'
        f'<IMG SRC="{escape(str(icon))}" SCALE="TRUE"/></TD></TR>',
        f'<TR><TD><FONT POINT-SIZE="11" COLOR="{text_colour}">{text}</FONT></TD></TR>',
    ]
    if node.caption:
        colour = theme.edges["event"].color if node.badge else theme.muted
        colour = theme.faded if faded else colour
        rows.append(f'<TR><TD><FONT POINT-SIZE="9" COLOR="{colour}">{escape(node.caption)}</FONT></TD></TR>')
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _html(text: str, size: int, colour: str, bold: bool = False) -> str:
    body = "<BR/>".join(escape(line) for line in wrap(text, 40))
    if bold:
        body = f"<B>{body}</B>"
    return f'<<FONT POINT-SIZE="{size}" COLOR="{colour}">{body}</FONT>>'


@contextlib.contextmanager
def _captured_stderr():
    """Collect what C code writes to file descriptor 2 while the block runs.

    Graphviz reports layout trouble there, and the bundled fontconfig complains about
    newer system configuration files; the caller decides what to pass on.
    """
    lines: list[str] = []
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


def _layout(g) -> None:
    """Lay out with dot; if its cluster ranking loses edges, lay out again with `newrank`."""
    with _captured_stderr() as trouble:
        g.layout(prog="dot")
    if any(line.startswith("Error") for line in trouble):
        g.graph_attr["newrank"] = "true"
        with _captured_stderr() as trouble:
            g.layout(prog="dot")
    for line in trouble:
        if line.startswith("Error"):
            sys.stderr.write(f"graphviz: {line}\n")


def _node_order(graph: Graph) -> list[GNode]:
    """Nodes in creation order; EMR node groups reversed in LR/RL so primary ends up on top."""
    if graph.direction not in ("LR", "RL"):
        return list(graph.nodes)
    emr: set[str] = set()
    stack = list(graph.clusters)
    while stack:
        c = stack.pop()
        stack.extend(c.clusters)
        if c.kind == "emr":
            emr.update(c.nodes)
    plain = [n for n in graph.nodes if n.id not in emr]
    return plain + [n for n in reversed(graph.nodes) if n.id in emr]


def build_agraph(graph: Graph, legend: bool = False):
    """A pygraphviz graph for the model; node names are the spec ids."""
    return _build(graph, legend)[0]


def _build(graph: Graph, legend: bool):
    """The pygraphviz graph and its cluster subgraphs by cluster id."""
    import pygraphviz as pgv

    theme = THEMES[graph.theme]
    g = pgv.AGraph(directed=True, strict=False, name=graph.name)
    g.graph_attr.update(
        rankdir=graph.direction, splines="spline", compound="true",
        nodesep="0.45", ranksep="0.9", pad="0.25", bgcolor=theme.background, fontname=FONT,
        label=_html(graph.title, 18, theme.text, bold=True), labelloc="t", labeljust="c",
        outputorder="edgesfirst",
    )
    g.node_attr.update(shape="plain", fontname=FONT, margin="0")
    g.edge_attr.update(fontname=FONT, fontsize="9", arrowsize="0.8")

    def add_cluster(parent, cluster: GCluster, depth: int, counter: list[int]) -> None:
        counter[0] += 1
        safe = re.sub(r"[^A-Za-z0-9_]", "_", cluster.id)
        name = f"cluster_{counter[0]}_{safe}"
        fill = theme.emr_fill if cluster.kind == "emr" else theme.cluster_fills[depth % len(theme.cluster_fills)]
        sub = parent.add_subgraph(name=name, label=_html(cluster.label, 11, theme.text, bold=True),
                                  style="rounded,filled", fillcolor=fill, color=theme.cluster_border,
                                  labeljust="l", margin="12", fontname=FONT)
        cluster_names[cluster.id] = name
        subgraphs[cluster.id] = sub
        for nid in cluster.nodes:
            sub.add_node(nid)
        if cluster.kind == "emr" and len(cluster.nodes) > 1:
            # node groups side by side across the flow, in primary, core, task order
            sub.add_subgraph(list(cluster.nodes), name=f"rank_{counter[0]}_{safe}", rank="same")
        for child in cluster.clusters:
            add_cluster(sub, child, depth + 1, counter)

    cluster_names: dict[str, str] = {}
    subgraphs: dict[str, object] = {}
    for node in _node_order(graph):
        g.add_node(node.id, label=_node_label(node, theme))
    counter = [0]
    for cluster in graph.clusters:
        add_cluster(g, cluster, 0, counter)
    for i, edge in enumerate(graph.edges):
        style = theme.edges.get(edge.kind, theme.edges["unknown"])
        attrs = {"color": style.color, "style": style.style, "penwidth": style.penwidth,
                 "arrowhead": style.arrowhead, "key": str(i)}
        if edge.label:
            attrs["label"] = _html(edge.label, 9, theme.muted)
        if edge.source_cluster:
            attrs["ltail"] = cluster_names[edge.source_cluster]
        if edge.target_cluster:
            attrs["lhead"] = cluster_names[edge.target_cluster]
        g.add_edge(edge.source, edge.target, **attrs)
    if legend:
        _add_legend(g, graph, theme, counter)
    return g, subgraphs


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
                  legend: bool = False) -> dict[str, dict[str, bytes]]:
    """One layout of the full graph, drawn once per view state (None: the full diagram).

    Returns ``{suffix: {format: bytes}}``; every picture keeps the full layout's positions.
    """
    g, subgraphs = _build(graph, legend)
    try:
        _layout(g)
    except Exception as exc:  # pygraphviz raises plain exceptions for Graphviz failures
        raise RenderError(f"Graphviz could not lay out the diagram: {exc}") from exc
    theme = THEMES[graph.theme]
    out: dict[str, dict[str, bytes]] = {}
    with _captured_stderr():
        for state in states:
            undo = _apply_state(g, subgraphs, graph, theme, state) if state is not None else []
            try:
                out[state.suffix if state is not None else ""] = _draw(g, formats, scale)
            finally:
                for attrs, key, old in reversed(undo):
                    attrs[key] = old
    return out


def _set(undo: list, attrs, key: str, value: str, original: str | None = None) -> None:
    """Change one attribute and remember how to put it back.

    pygraphviz hands HTML labels back without their outer brackets, so labels are restored
    from the ``original`` the caller rebuilds, never from what was read.
    """
    undo.append((attrs, key, original if original is not None else (attrs.get(key) or "")))
    attrs[key] = value


def _walk(clusters):
    for c in clusters:
        yield c
        yield from _walk(c.clusters)


def _apply_state(g, subgraphs, graph: Graph, theme: Theme, state) -> list:
    """Hide what the state does not show and fade what it fades; returns how to undo it."""
    undo: list = []
    shown = state.components
    for node in graph.nodes:
        attrs = g.get_node(node.id).attr
        if shown is not None and node.component not in shown:
            _set(undo, attrs, "style", "invis")
        elif node.component in state.faded:
            _set(undo, attrs, "label", _node_label(node, theme, faded=True), _node_label(node, theme))
    for i, edge in enumerate(graph.edges):
        attrs = g.get_edge(edge.source, edge.target, key=str(i)).attr
        ends = (edge.source_component, edge.target_component)
        if shown is not None and not all(c in shown for c in ends):
            _set(undo, attrs, "style", "invis")
            if edge.label:
                _set(undo, attrs, "label", "", _html(edge.label, 9, theme.muted))
        elif any(c in state.faded for c in ends):
            _set(undo, attrs, "color", theme.faded)
            if edge.label:
                _set(undo, attrs, "label", _html(edge.label, 9, theme.faded), _html(edge.label, 9, theme.muted))
    for cluster in _walk(graph.clusters):
        attrs = subgraphs[cluster.id].graph_attr
        if cluster.kind == "emr":
            hidden = shown is not None and cluster.id not in shown
            faded = cluster.id in state.faded
        else:
            hidden = state.groups is not None and cluster.id not in state.groups
            faded = cluster.id in state.faded_groups
        label = _html(cluster.label, 11, theme.text, bold=True)
        if hidden:
            _set(undo, attrs, "style", "invis")
            _set(undo, attrs, "label", "", label)
        elif faded:
            _set(undo, attrs, "color", theme.faded)
            _set(undo, attrs, "fillcolor", theme.background)
            _set(undo, attrs, "label", _html(cluster.label, 11, theme.faded, bold=True), label)
    return undo


def _draw(g, formats: tuple[str, ...], scale: float) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        try:
            if fmt == "png" and scale != 1.0:
                g.graph_attr["dpi"] = str(round(96 * scale))
                data = g.draw(format="png")
                del g.graph_attr["dpi"]
            else:
                data = g.draw(format=fmt)
        except Exception as exc:
            raise RenderError(f"Graphviz could not draw {fmt.upper()}: {exc}") from exc
        if fmt == "svg":
            data = embed_icons(data)
        elif fmt == "dot":
            data = relative_icons(data)
        out[fmt] = data
    return out


_HREF = re.compile(rb'xlink:href="([^"]+)"')


def embed_icons(svg: bytes) -> bytes:
    """Replace icon file paths by data URIs so the SVG is self-contained and portable."""
    roots = [(str(root).encode() + b"/", prefix) for root, prefix in embedded_roots()]

    def swap(m: re.Match[bytes]) -> bytes:
        href = m.group(1)
        for root, prefix in roots:
            if href.startswith(root):
                rel = href[len(root):].decode()
                return b'xlink:href="' + data_uri(prefix + rel).encode() + b'"'
        return m.group(0)

    return _HREF.sub(swap, svg)


def relative_icons(dot: bytes) -> bytes:
    """Icon paths in DOT relative to the `diagrams` resources folder: no paths of this machine."""
    for root, prefix in embedded_roots():
        dot = dot.replace(str(root).encode() + b"/", prefix.encode())
    return dot
