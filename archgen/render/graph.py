"""The neutral graph model the renderer draws, built from a checked spec."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field, replace

from archgen.catalog.integrations import Rule, RuleBook, load_rules
from archgen.catalog.services import ServiceCatalog, load_services
from archgen.model.model import Component, Spec
from archgen.render.icons import themed_icon
from archgen.render.themes import THEMES

WRAP = 20
MAX_LINES = 6


@dataclass(frozen=True)
class GNode:
    id: str
    lines: tuple[str, ...]
    caption: str | None  # the service name under a custom label
    icon: str  # path relative to the diagrams resources folder
    badge: str | None = None  # e.g. "Spot"
    component: str = ""  # the spec component drawn (an EMR cluster has one node per node group)


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


def _emr_nodes(comp: Component) -> list[GNode]:
    out = []
    for group in comp.emr.nodes:
        count = f"{group.count} × " if group.count != 1 else ""
        spot = group.market == "spot"
        out.append(GNode(
            id=f"{comp.id}/{group.role}",
            lines=(group.role.capitalize(), f"{count}{group.instance}"),
            caption="Spot" if spot else "On-Demand",
            icon="aws/compute/ec2-spot-instance.png" if spot else "aws/compute/ec2-instances.png",
            badge="Spot" if spot else None,
            component=comp.id,
        ))
    return out


def _anchor(comp: Component) -> str:
    roles = [g.role for g in comp.emr.nodes]
    return f"{comp.id}/{'core' if 'core' in roles else roles[0]}"


def build_graph(spec: Spec, name: str, theme: str | None = None,
                services: ServiceCatalog | None = None, rules: RuleBook | None = None) -> Graph:
    """The graph of a spec that passed its checks."""
    services = services or load_services()
    rules = rules or load_rules()
    nodes: list[GNode] = []
    emr_clusters: dict[str, GCluster] = {}
    anchors: dict[str, str] = {}
    for comp in spec.components.values():
        service = services[comp.service]
        if comp.emr is not None and comp.emr.nodes and comp.service == "emr":
            members = _emr_nodes(comp)
            nodes.extend(members)
            extras = [x for x in (comp.emr.workload, comp.emr.lifetime) if x]
            title = comp.label or comp.id
            label = f"{title} · EMR" + (f" ({', '.join(extras)})" if extras else "")
            emr_clusters[comp.id] = GCluster(comp.id, label, tuple(n.id for n in members), kind="emr")
            anchors[comp.id] = _anchor(comp)
            continue
        label = comp.label or service.short
        caption = service.short if comp.label and comp.label != service.short else None
        nodes.append(GNode(comp.id, wrap(label), caption, service.icon, component=comp.id))
    edges: list[GEdge] = []
    kinds: list[str] = []
    for flow in spec.flows:
        a, b = spec.components[flow.source.id], spec.components[flow.target.id]
        rule = rules.pick(a.service, b.service, flow.via)
        kind = rule.kind if rule else "unknown"
        label = flow.label if flow.label is not None else (edge_label(rule, services) if rule else None)
        if kind not in kinds:
            kinds.append(kind)
        edges.append(GEdge(
            anchors.get(a.id, a.id), anchors.get(b.id, b.id), label, kind,
            source_cluster=a.id if a.id in emr_clusters else None,
            target_cluster=b.id if b.id in emr_clusters else None,
            source_component=a.id, target_component=b.id))
    palette = THEMES[theme or spec.theme]
    nodes = [replace(n, icon=themed_icon(n.icon, palette.background, palette.plate)) for n in nodes]
    return Graph(name=name, title=spec.title, direction=spec.direction, theme=theme or spec.theme,
                 nodes=tuple(nodes), edges=tuple(edges),
                 clusters=_clusters(spec, emr_clusters), kinds=tuple(kinds))


def _clusters(spec: Spec, emr_clusters: dict[str, GCluster]) -> tuple[GCluster, ...]:
    parent = spec.component_groups()

    def build(gid: str) -> GCluster:
        group = spec.groups[gid]
        plain: list[str] = []
        nested: list[GCluster] = []
        for ref in group.members:
            if ref.id in spec.groups:
                nested.append(build(ref.id))
            elif ref.id in emr_clusters:
                nested.append(emr_clusters[ref.id])
            elif ref.id in spec.components:
                plain.append(ref.id)
        return GCluster(gid, group.label or gid, tuple(plain), tuple(nested))

    top = [build(gid) for gid in spec.groups if gid not in parent]
    top += [c for cid, c in emr_clusters.items() if cid not in parent]
    return tuple(top)
