"""Turn a schema-valid document into the typed model, reporting duplicate ids on the way."""

from __future__ import annotations

from archgen.catalog.services import load_services
from archgen.findings import Finding
from archgen.model.loader import Document
from archgen.model.model import ROLE_SECTIONS, Component, Emr, Flow, Group, NodeGroup, Ref, Spec, View

CODES = ("E202", "E205")  # ids declared twice, found while building the model


def split_chain(text: str) -> list[tuple[str, int]]:
    """``"a -> b -> c"`` to ``[("a", 0), ("b", 5), ("c", 10)]``: ids and their offsets."""
    parts: list[tuple[str, int]] = []
    pos = 0
    for piece in text.split("->"):
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        parts.append((stripped, pos + lead))
        pos += len(piece) + 2
    return parts


def build_model(doc: Document) -> tuple[Spec, list[Finding]]:
    """The model of a document that passed the schema (unknown services allowed)."""
    data = doc.data
    services = load_services()
    findings: list[Finding] = []
    components: dict[str, Component] = {}
    for role in ROLE_SECTIONS:
        for cid, value in (data.get(role) or {}).items():
            path = (role, cid)
            if cid in components:
                first = components[cid]
                line = doc.positions.locate(first.path, on_key=True)[0]
                findings.append(Finding(
                    "E202", f"component id `{cid}` is used twice (also in `{first.role}`)", path,
                    hint=f"ids are unique across sources, streams, stores and analytics; "
                         f"the first is at line {line}", on_key=True))
                continue
            components[cid] = _component(cid, role, value, path, services)
    groups: dict[str, Group] = {}
    for gid, value in (data.get("groups") or {}).items():
        path = ("groups", gid)
        if gid in components:
            findings.append(Finding("E205", f"group id `{gid}` is also a component id", path,
                                    hint="give the group a different id", on_key=True))
            continue
        members = tuple(Ref(str(m), path + ("members", i)) for i, m in enumerate(value.get("members") or []))
        groups[gid] = Group(gid, value.get("label"), members, path)
    flows: list[Flow] = []
    for i, item in enumerate(data.get("flows") or []):
        path = ("flows", i)
        if isinstance(item, str):
            parts = split_chain(item)
            for seg, ((a, ao), (b, bo)) in enumerate(zip(parts, parts[1:])):
                flows.append(Flow(Ref(a, path, ao), Ref(b, path, bo), None, None, (), path, i, seg))
        else:
            flows.append(Flow(
                Ref(str(item["from"]), path + ("from",)), Ref(str(item["to"]), path + ("to",)),
                item.get("label"), item.get("via"), tuple(item.get("ignore") or ()), path, i))
    views: list[View] = []
    for i, item in enumerate(data.get("views") or []):
        path = ("views", i)

        def refs(key: str, values, base=path) -> tuple[Ref, ...]:
            return tuple(Ref(str(v), base + (key, j)) for j, v in enumerate(values or []))

        steps = tuple(
            tuple(Ref(str(v), path + ("steps", k, j)) for j, v in enumerate(step or []))
            for k, step in enumerate(item.get("steps") or []))
        views.append(View(str(item["name"]), item.get("title"), refs("show", item.get("show")),
                          refs("focus", item.get("focus")), steps, item.get("notes"), path))
    spec = Spec(
        file=doc.file, title=data["title"], description=data.get("description"),
        direction=data.get("direction", "LR"), theme=data.get("theme", "light"),
        components=components, flows=tuple(flows), groups=groups, views=tuple(views),
        direction_auto="direction" not in data)
    return spec, findings


def _component(cid: str, role: str, value, path, services) -> Component:
    if isinstance(value, str):
        service = services.resolve(value)
        return Component(cid, role, service.id if service else None, value, None, None, (), None,
                         path, path_is_mapping=False)
    service = services.resolve(value["service"])
    emr = None
    if service is not None and service.id == "emr" or any(k in value for k in ("workload", "lifetime", "nodes")):
        groups = []
        for key, node in (value.get("nodes") or {}).items():
            role_name = "primary" if key == "master" else key
            groups.append(NodeGroup(role_name, str(node["instance"]), int(node.get("count", 1)),
                                    node.get("market", "on-demand"), path + ("nodes", key), key))
        order = {"primary": 0, "core": 1, "task": 2}
        groups.sort(key=lambda g: order[g.role])
        emr = Emr(value.get("workload"), value.get("lifetime"), tuple(groups), path)
    return Component(cid, role, service.id if service else None, str(value["service"]),
                     value.get("label"), value.get("notes"), tuple(value.get("ignore") or ()), emr, path)
