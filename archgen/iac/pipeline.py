"""One import: detect each input's kind, read its resources, build components and flows."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from archgen.errors import UsageError
from archgen.findings import Finding, sort_key
from archgen.iac.cfn import NESTED_TYPE, load_cfn
from archgen.iac.flows import MISSING, Builder, base_id, label_of, name_property, service_name
from archgen.iac.model import Component, Flow, ImportResult, Resource
from archgen.iac.resolve import CfnResolver, CfnStack
from archgen.iac.source import SourceError

MAX_ID = 64
KIND_NAMES = {"cloudformation": "CloudFormation", "cdk": "CDK cloud assembly", "terraform": "Terraform"}


def detect(path: Path) -> str:
    """``cloudformation``, ``cdk`` or ``terraform``; a missing path is a usage error."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder", hint="name a template, a cdk.out folder or a plan JSON")
    if path.is_dir():
        if (path / "manifest.json").is_file():
            return "cdk"
        raise UsageError(f"{path}: a folder without manifest.json is not a CDK cloud assembly",
                         hint="run `cdk synth` and name its cdk.out folder")
    if path.name == "manifest.json":
        return "cdk"
    if path.suffix.lower() == ".json":
        try:
            with path.open("rb") as fh:
                head = fh.read(4096).decode("utf-8", "replace")
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read ({exc.strerror})") from exc
        if '"format_version"' in head or '"terraform_version"' in head:
            return "terraform"
    return "cloudformation"


def import_sources(paths: list[str | os.PathLike]) -> ImportResult:
    """Read every input and build the spec parts; findings say what could not be followed."""
    findings: list[Finding] = []
    stacks: list[CfnStack] = []
    tf_inventories = []
    kinds: list[str] = []
    titles: list[str] = []
    descriptions: list[str] = []
    for raw in paths:
        path = Path(raw)
        kind = detect(path)
        kinds.append(kind)
        display = PurePath(str(raw)).as_posix()
        try:
            if kind == "cloudformation":
                new = load_cfn(path, display, findings)
            elif kind == "cdk":
                from archgen.iac.cdk import load_assembly

                new = load_assembly(path, display, findings)
            else:
                from archgen.iac.terraform import load_terraform

                tf_inventories.append(load_terraform(path, display))
                titles.append(f"Architecture of {path.stem}")
                continue
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        stacks += new
        top = new[0].template if new else {}
        desc = top.get("Description") if isinstance(top.get("Description"), str) else None
        if desc:
            descriptions.append(desc.strip())
        titles.append(_title(desc) if desc else f"Architecture of {new[0].name if new else path.stem}")
    result = ImportResult(title=titles[0] if len(titles) == 1 else "Imported architecture",
                          description=descriptions[0] if len(descriptions) == 1 and
                          descriptions[0] != titles[0] else None,
                          sources=[PurePath(str(p)).as_posix() for p in paths], kinds=kinds, findings=findings)
    if any(f.is_error for f in findings):
        result.findings = sorted(findings, key=sort_key)
        return result
    resources: list[Resource] = [r for s in stacks for r in s.resources.values()]
    skip = {s.resources[lid].key for s in stacks for lid in s.nested}
    cfn_resolver = CfnResolver(stacks)
    resolvers: dict = {"cloudformation": cfn_resolver}
    for s in stacks:
        skip.update(cfn_resolver.excluded(s))
        _name_labels(s, cfn_resolver)
    for inv in tf_inventories:
        resources += inv.resources
    if tf_inventories:
        from archgen.iac.terraform import TerraformResolver

        resolvers["terraform"] = TerraformResolver(tf_inventories)
    for s in stacks:  # nested stacks whose template is not among the inputs
        for r in s.resources.values():
            if r.type == NESTED_TYPE and r.key not in skip:
                skip.add(r.key)
                findings.append(Finding(
                    "W601", f"nested stack `{r.logical_id}` points at a template that is not a local file; "
                            "its resources are left out", file=r.file, line=r.line, column=r.column,
                    hint="import the nested template as an input of its own, or package it locally"))
    builder = Builder(resources, resolvers)
    builder.classify(skip)
    builder.build_flows()
    findings += builder.findings
    _assemble(result, builder)
    result.findings = sorted(set(findings), key=sort_key)
    return result


def _name_labels(stack: CfnStack, resolver: CfnResolver) -> None:
    from archgen.iac.mapping import table

    names = table("cloudformation").names
    for r in stack.resources.values():
        if not isinstance(r.props, dict):
            continue
        computed = []
        for name in names:
            value = name_property(r.props, name)
            if value is MISSING or isinstance(value, str):
                continue
            text = resolver.name_of(stack, value)
            if text:
                computed.append(text)
        r.names = tuple(computed)
        if r.label is None:
            for name in names:
                value = name_property(r.props, name)
                text = resolver.name_of(stack, value) if value is not MISSING else None
                if text and len(text) <= 60:
                    r.label = text
                    break


def _title(description: str) -> str:
    first = description.strip().splitlines()[0].strip()
    first = first.split(". ")[0].rstrip(".")
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def _assemble(result: ImportResult, builder: Builder) -> None:
    pending = sorted(builder.components.values(), key=lambda p: p.order)
    ids: dict[str, str] = {}
    used: set[str] = set()
    many_stacks = len({p.resource.stack for p in pending if p.resource is not None
                       and p.resource.fmt == "cloudformation"}) > 1
    for p in pending:
        if p.resource is not None:
            wanted = base_id(p.resource)
        elif p.owner is not None:
            wanted = f"{ids.get(p.owner.key) or base_id(p.owner)}-{p.service}"
        else:
            wanted = p.service
        cid = _unique(wanted, p, used)
        ids[p.key] = cid
        used.add(cid)
        r = p.resource
        if r is not None:
            where = f" (stack {r.stack})" if r.fmt == "cloudformation" and many_stacks else ""
            notes = f"{r.type} {r.logical_id}{where} in {PurePath(r.file).name}"
            label = label_of(r)
            scope = r.scope
        else:
            owner = p.owner
            if owner is not None and p.attribute:
                notes = f"{service_name(p.service)} of {owner.type} {owner.logical_id} ({p.attribute})"
            elif owner is not None:
                notes = f"{service_name(p.service)} named by {owner.type} {owner.logical_id}"
            else:
                notes = f"{service_name(p.service)}, which the imported rules read from"
            label = None
            scope = owner.scope if owner else ()
        at = r or p.owner
        if at is not None:
            result.where[cid] = (at.file, at.line, at.column)
        result.components[cid] = Component(cid, p.service, label, notes, r, scope, _emr(r),
                                           shared=r is None and p.owner is None)
    for a, b, via, origin in builder.flows:
        result.flows.append(Flow(ids[a], ids[b], via, origin))
        o = builder.resources.get(origin)
        if o is not None:
            result.where["@" + origin] = (o.file, o.line, o.column)
    result.groups = _groups(result)


def _unique(wanted: str, p, used: set[str]) -> str:
    wanted = wanted[:MAX_ID]
    if wanted not in used:
        return wanted
    r = p.resource or p.owner
    if p.resource is not None and r.fmt == "terraform":
        typed = f"{wanted}_{r.type.removeprefix('aws_')}"[:MAX_ID]
        if typed not in used:
            return typed
    if r is not None and r.stack:
        from archgen.iac.flows import kebab

        prefixed = f"{kebab(r.stack)}-{wanted}"[:MAX_ID]
        if prefixed not in used:
            return prefixed
    n = 2
    while f"{wanted[:MAX_ID - 4]}-{n}" in used:
        n += 1
    return f"{wanted[:MAX_ID - 4]}-{n}"


def _groups(result: ImportResult) -> dict[str, tuple[str | None, list[str]]]:
    """Boxes from stacks, constructs and modules that hold at least two components."""
    from archgen.iac.flows import kebab

    counts: dict[tuple[str, ...], int] = {}
    for comp in result.components.values():
        for i in range(1, len(comp.scope) + 1):
            counts[comp.scope[:i]] = counts.get(comp.scope[:i], 0) + 1
    tops = {s for s in counts if len(s) == 1}
    placed = sum(1 for c in result.components.values() if not c.shared)
    # one stack holding everything is no box worth drawing; a Terraform module beside root resources is
    kept = {s for s, n in counts.items() if n >= 2 and not (len(s) == 1 and len(tops) == 1 and n == placed)}
    group_ids: dict[tuple[str, ...], str] = {}
    taken = set(result.components)
    for scope in sorted(kept, key=lambda s: (len(s), s)):
        gid = kebab(scope[-1])[:MAX_ID]
        if gid in taken:
            gid = f"{gid[:MAX_ID - 6]}-group"
        n = 2
        while gid in taken:
            gid = f"{kebab(scope[-1])[:MAX_ID - 8]}-group{n}"
            n += 1
        taken.add(gid)
        group_ids[scope] = gid
    groups: dict[str, tuple[str | None, list[str]]] = {group_ids[s]: (s[-1], []) for s in
                                                       sorted(kept, key=lambda s: (len(s), s))}

    def parent(scope: tuple[str, ...]) -> str | None:
        for i in range(len(scope), 0, -1):
            if scope[:i] in group_ids:
                return group_ids[scope[:i]]
        return None

    for scope in sorted(kept, key=lambda s: (len(s), s)):
        up = parent(scope[:-1])
        if up:
            groups[up][1].append(group_ids[scope])
    for comp in result.components.values():
        up = parent(comp.scope)
        if up:
            groups[up][1].append(comp.id)
    return groups


def _emr(r: Resource | None) -> dict | None:
    """EMR node groups from an AWS::EMR::Cluster, so the EC2 checks apply to the import."""
    if r is None or r.type != "AWS::EMR::Cluster" or not isinstance(r.props, dict):
        return None
    instances = r.props.get("Instances") if isinstance(r.props.get("Instances"), dict) else {}
    nodes = {}
    for role, key in (("primary", "MasterInstanceGroup"), ("core", "CoreInstanceGroup")):
        group = instances.get(key)
        if isinstance(group, dict) and isinstance(group.get("InstanceType"), str):
            node = {"instance": group["InstanceType"]}
            if isinstance(group.get("InstanceCount"), int) and group["InstanceCount"] != 1:
                node["count"] = group["InstanceCount"]
            if str(group.get("Market", "")).upper() == "SPOT":
                node["market"] = "spot"
            nodes[role] = node
    apps = [a.get("Name", "").lower() for a in r.props.get("Applications") or [] if isinstance(a, dict)]
    out: dict = {}
    if "spark" in apps:
        out["workload"] = "spark"
    if "KeepJobFlowAliveWhenNoSteps" in instances:
        out["lifetime"] = "long-running" if instances["KeepJobFlowAliveWhenNoSteps"] is True else "transient"
    if nodes:
        out["nodes"] = nodes
    return out or None


def describe_sources(result: ImportResult) -> str:
    kinds = sorted({KIND_NAMES[k] for k in result.kinds})
    names = ", ".join(PurePath(s).name for s in result.sources)
    return f"{names} ({', '.join(kinds)})"


