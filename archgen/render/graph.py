"""The neutral graph model the renderer draws, built from a checked spec."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from archgen.catalog.integrations import Rule, RuleBook, load_rules
from archgen.catalog.services import Service, ServiceCatalog, load_services
from archgen.findings import Finding
from archgen.model.model import Component, Spec
from archgen.render.icons import themed_icon
from archgen.render.themes import THEMES

WRAP = 20
NODE_WRAP = 14  # component names and service names: narrow nodes keep a picture small enough to read
MAX_LINES = 6


@dataclass(frozen=True)
class GNodeGroup:
    """One node group of an EMR cluster, drawn inside the cluster's node."""

    role: str  # primary | core | task
    instance: str
    count: int
    spot: bool
    icon: str
    warning: str | None = None  # the codes of the findings on this node group ("W403")


@dataclass(frozen=True)
class GNode:
    id: str
    lines: tuple[str, ...]
    caption: str | None  # the service name under a custom label
    icon: str  # path relative to the diagrams resources folder
    badge: str | None = None  # e.g. "Spot"
    component: str = ""  # the spec component drawn
    groups: tuple[GNodeGroup, ...] = ()  # an EMR cluster's node groups
    warning: str | None = None  # codes of the warnings on this component (``annotate``)
    count: int = 0  # a collapsed group: how many components it stands for
    tooltip: str = ""  # service, status, description and doc page, shown on hover in SVG
    url: str = ""  # the service's AWS documentation page


@dataclass(frozen=True)
class GCluster:
    id: str
    label: str
    nodes: tuple[str, ...]
    clusters: tuple[GCluster, ...] = ()
    kind: str = "group"  # group | emr


@dataclass(frozen=True)
class GEdge:
    source: str
    target: str
    label: str | None
    kind: str
    source_cluster: str | None = None
    target_cluster: str | None = None
    source_component: str = ""
    target_component: str = ""
    written: bool = False  # the label is the spec's own, never dropped
    warning: str | None = None  # codes of the warnings on this flow (``annotate``)
    count: int = 1  # a collapsed edge: how many flows it stands for
    tooltip: str = ""  # the mechanism, the rule and its doc page, shown on hover in SVG
    url: str = ""  # the rule's AWS documentation page


@dataclass(frozen=True)
class Graph:
    name: str
    title: str
    direction: str
    theme: str
    nodes: tuple[GNode, ...]
    edges: tuple[GEdge, ...]
    clusters: tuple[GCluster, ...]
    kinds: tuple[str, ...] = field(default=())
    auto_direction: bool = False  # try TB as well and keep the layout that fits a slide best


def walk_clusters(clusters: Iterable[GCluster]):
    """Every group, nested ones too, each before the groups inside it."""
    for c in clusters:
        yield c
        yield from walk_clusters(c.clusters)


def cluster_members(cluster: GCluster) -> list[str]:
    """The nodes of a group and of the groups inside it."""
    return [nid for inner in walk_clusters([cluster]) for nid in inner.nodes]


def wrap(text: str, width: int = WRAP) -> tuple[str, ...]:
    """Wrap a label into lines; very long labels end in an ellipsis instead of growing forever."""
    lines: list[str] = []
    for para in str(text).splitlines() or [""]:
        lines.extend(textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False) or [""])
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: width - 1] + "…"
    return tuple(lines)


def escape(text: str) -> str:
    """Text for a Graphviz HTML label: every character literal, nothing interpreted.

    Graphviz expands ``\\N``, ``\\G`` and friends even inside HTML labels (after decoding
    character references), and reads a doubled backslash as one literal backslash.
    """
    return html.escape(text, quote=True).replace("\\", "\\\\")


def edge_label(rule: Rule, services: ServiceCatalog) -> str:
    """The mechanism's label, naming the AWS-internal hop when the flow skips it."""
    if not rule.hop:
        return rule.label
    hop = services.services.get(rule.hop)
    hop_name = hop.short if hop else rule.hop
    if rule.label.lower() in hop_name.lower() or hop_name.lower() in rule.label.lower():
        return rule.label
    return f"{rule.label} via {hop_name}"


def _emr_title(comp: Component) -> tuple[str, ...]:
    """The header of an EMR cluster: its label over the service, workload and lifetime; an
    unlabelled cluster is titled by its service, like every other component, never by its id."""
    extras = ", ".join(x for x in (comp.emr.workload, comp.emr.lifetime) if x)
    if not comp.label:
        return ("Amazon EMR", extras) if extras else ("Amazon EMR",)
    return (comp.label, "Amazon EMR" + (f" · {extras}" if extras else ""))


def _emr_node(comp: Component, icon: str, warnings: dict[tuple, list[str]]) -> GNode:
    """An EMR cluster as one node: a header with the EMR icon and a cell per node group."""
    groups = []
    for group in comp.emr.nodes:
        spot = group.market == "spot"
        codes = warnings.get(tuple(group.path), [])
        groups.append(GNodeGroup(
            role=group.role, instance=group.instance, count=group.count, spot=spot,
            icon="aws/compute/ec2-spot-instance.png" if spot else "aws/compute/ec2-instances.png",
            warning=", ".join(codes) or None))
    return GNode(comp.id, _emr_title(comp), None, icon, component=comp.id, groups=tuple(groups))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _repeats_name(label: str, names: Iterable[str]) -> bool:
    """True when a mechanism label only says what an end's name already says ("KPL" from a KPL,
    "DMS" into a DMS task)."""
    lab = _norm(label)
    return any(lab and (lab == _norm(n) or lab in _norm(n)) for n in names if n)


def tidy_labels(edges: list[GEdge], names: dict[str, tuple[str, ...]],
                groups: dict[str, str] | None = None) -> list[GEdge]:
    """Drop generated labels that add nothing; labels written in the spec always stay.

    A generated label goes when it repeats its source's or target's name, when it is only the name of
    the line's kind ("query" on a query line), or when it repeats, with the same line kind, a label
    that already stands on a neighbouring edge: one that shares an end with it (a fan-out from one
    source, a fan-in into one target, or the next edge of a chain through a component), or one
    between the same two groups (``groups``: each component's innermost group), a bundle of parallel
    edges. A label stands on an edge where it is drawn or where it was dropped as such a repeat, so
    a chain or a bundle is labelled once; a label that an end's name says does not stand, so the
    other edges of that end keep theirs. An edge that stands for several flows (``count``) keeps
    its count.
    """
    groups = groups or {}
    out: list[GEdge] = []
    seen: set[tuple[str, ...]] = set()
    for edge in edges:
        label = edge.label
        if label and not edge.written and edge.count == 1:
            key = _norm(label)
            src, dst = edge.source_component, edge.target_component
            near = [("at", src, edge.kind, key), ("at", dst, edge.kind, key)]
            a, b = groups.get(src), groups.get(dst)
            if a and b and a != b:
                near.append(("between", a, b, edge.kind, key))
            if (_repeats_name(label, names.get(src, ())) or _repeats_name(label, names.get(dst, ()))
                    or key == _norm(edge.kind)):
                label = None
            else:
                if any(k in seen for k in near):
                    label = None
                seen.update(near)
        out.append(edge if label == edge.label else replace(edge, label=label))
    return out


def _warnings(findings: Iterable[Finding]) -> dict[tuple, list[str]]:
    """Codes of warning findings by every prefix of their path."""
    out: dict[tuple, list[str]] = {}
    for f in findings:
        if f.severity != "warning":
            continue
        path = tuple(f.path)
        for n in range(1, len(path) + 1):
            codes = out.setdefault(path[:n], [])
            if f.code not in codes:
                codes.append(f.code)
    return out


def _emr_findings(spec: Spec) -> list[Finding]:
    """The EMR checks' findings, which the picture shows as badges on node groups."""
    from archgen.checks import Context
    from archgen.checks.emr import check

    comps = {tuple(c.path): c for c in spec.components.values()}
    out = []
    for f in check(Context.for_spec(spec)):
        comp = comps.get(tuple(f.path[:2]))
        if comp is None or not any(f.code.startswith(i) for i in comp.ignore):
            out.append(f)
    return out


def service_tooltip(service: Service, label: str | None = None) -> str:
    """Hover text of a component: what it is, its lifecycle status, what it does, its doc page."""
    lines = [f"{label} · {service.name}" if label and label != service.name else service.name]
    status = "status: current" if service.is_current else f"status: {service.status}"
    if not service.is_current:
        status += (f" since {service.since}" if service.since else "") + (
            f"; use {service.successor}" if service.successor else "")
    lines += [status, service.description]
    if service.doc:
        lines.append(service.doc)
    return "\n".join(line for line in lines if line)


def flow_tooltip(rule: Rule | None, source: str, target: str) -> str:
    """Hover text of a flow: its ends, the mechanism and kind, the rule and its doc page."""
    lines = [f"{source} → {target}"]
    if rule is not None:
        mech = rule.mechanism
        lines.append(f"{mech.label} ({mech.kind})" + (f": {mech.description}" if mech.description else ""))
        lines.append(f"rule {rule.id}" + ("" if rule.effective_status == "current" else f" ({rule.effective_status})"))
        lines.append(rule.doc)
    return "\n".join(lines)


def build_graph(spec: Spec, name: str, theme: str | None = None,
                services: ServiceCatalog | None = None, rules: RuleBook | None = None,
                findings: Iterable[Finding] | None = None, annotate: bool = False,
                collapse: bool = False) -> Graph:
    """The graph of a spec that passed its checks.

    ``findings`` are the spec's findings (run here when not given); an EMR node group with a
    warning always carries a badge, and with ``annotate`` every component and flow with a
    warning is marked. ``collapse`` draws each top-level group as one node.
    """
    services = services or load_services()
    rules = rules or load_rules()
    if findings is None:
        if annotate:
            from archgen.checks import Context, run_all

            findings = [f for f in run_all(Context.for_spec(spec)) if not _ignored(spec, f)]
        else:
            findings = _emr_findings(spec)
    warnings = _warnings(findings)
    nodes: list[GNode] = []
    names: dict[str, tuple[str, ...]] = {}
    for comp in spec.components.values():
        service = services[comp.service]
        names[comp.id] = (service.short, service.name, comp.label or "")
        warning = (", ".join(warnings.get(tuple(comp.path), [])) or None) if annotate else None
        if comp.emr is not None and comp.emr.nodes and comp.service == "emr":
            node = _emr_node(comp, service.icon, warnings)
        else:
            label = comp.label or service.short
            caption = service.short if comp.label and comp.label != service.short else None
            node = GNode(comp.id, wrap(label, NODE_WRAP), caption, service.icon, component=comp.id)
        if warning:
            node = replace(node, warning=warning)
        node = replace(node, tooltip=service_tooltip(service, comp.label or service.short), url=service.doc or "")
        nodes.append(node)
    edges: list[GEdge] = []
    kinds: list[str] = []
    for flow in spec.flows:
        a, b = spec.components[flow.source.id], spec.components[flow.target.id]
        rule = rules.pick(a.service, b.service, flow.via)
        kind = rule.kind if rule else "unknown"
        label = flow.label if flow.label is not None else (edge_label(rule, services) if rule else None)
        if kind not in kinds:
            kinds.append(kind)
        warning = (", ".join(warnings.get(tuple(flow.path), [])) or None) if annotate else None
        edges.append(GEdge(a.id, b.id, label, kind, source_component=a.id, target_component=b.id,
                           written=flow.label is not None, warning=warning,
                           tooltip=flow_tooltip(rule, names[a.id][2] or names[a.id][0],
                                                names[b.id][2] or names[b.id][0]),
                           url=rule.doc if rule else ""))
    palette = THEMES[theme or spec.theme]

    def themed(path: str) -> str:
        return themed_icon(path, palette.background, palette.plate)

    nodes = [replace(n, icon=themed(n.icon), groups=tuple(replace(g, icon=themed(g.icon)) for g in n.groups))
             for n in nodes]
    graph = Graph(name=name, title=spec.title, direction=spec.direction, theme=theme or spec.theme,
                  nodes=tuple(nodes), edges=tuple(edges),
                  clusters=_clusters(spec), kinds=tuple(kinds), auto_direction=spec.direction_auto)
    if collapse:
        from archgen.render.collapse import collapse_groups

        # labels are chosen among the edges the overview draws: a flow inside a group is not
        # there to carry the label of its neighbours
        graph = collapse_groups(graph, spec)
        names |= {gid: (group.label or gid,) for gid, group in spec.groups.items()}
        return replace(graph, edges=tuple(tidy_labels(list(graph.edges), names)))
    return replace(graph, edges=tuple(tidy_labels(edges, names, spec.component_groups())))


def _ignored(spec: Spec, finding: Finding) -> bool:
    """True when the component or flow the finding points into ignores its code."""
    path = tuple(finding.path)
    for comp in spec.components.values():
        if path[:len(comp.path)] == tuple(comp.path):
            return any(finding.code.startswith(i) for i in comp.ignore)
    for flow in spec.flows:
        if path[:len(flow.path)] == tuple(flow.path):
            return any(finding.code.startswith(i) for i in flow.ignore)
    return False


def _clusters(spec: Spec) -> tuple[GCluster, ...]:
    parent = spec.component_groups()

    def build(gid: str) -> GCluster:
        group = spec.groups[gid]
        plain: list[str] = []
        nested: list[GCluster] = []
        for ref in group.members:
            if ref.id in spec.groups:
                nested.append(build(ref.id))
            elif ref.id in spec.components:
                plain.append(ref.id)
        return GCluster(gid, group.label or gid, tuple(plain), tuple(nested))

    return tuple(build(gid) for gid in spec.groups if gid not in parent)
