"""An import as ordinary archgen YAML, with a header comment saying where it came from."""

from __future__ import annotations

import json
import re

from archgen.catalog.services import load_services
from archgen.iac.model import ImportResult
from archgen.iac.pipeline import describe_sources

ROLE_PREFERENCE = ("stores", "streams", "analytics", "sources")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()'-]*")
_SPECIAL = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text``."""
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL and not text.endswith(" ") and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def roles(result: ImportResult) -> dict[str, str]:
    """The section of each component: sources when nothing flows in, else what the service is."""
    catalog = load_services()
    incoming = {f.target for f in result.flows}
    outgoing = {f.source for f in result.flows}
    out = {}
    for cid, comp in result.components.items():
        allowed = catalog[comp.service].roles
        if cid not in incoming and cid in outgoing and "sources" in allowed:
            out[cid] = "sources"
        else:
            out[cid] = next((r for r in ROLE_PREFERENCE if r in allowed), "analytics")
    return out


def to_yaml(result: ImportResult) -> str:
    lines = [
        f"# Imported by `archgen import` from {describe_sources(result)}.",
        "# Components come from resources, flows from integration properties; edit freely, and",
        "# `archgen diff` tells where this spec and the code part ways.",
        "archgen: 1",
        f"title: {scalar(result.title)}",
    ]
    if result.description:
        lines.append(f"description: {scalar(' '.join(result.description.split()))}")
    by_role = roles(result)
    for section in ("sources", "streams", "stores", "analytics"):
        members = [c for c in result.components.values() if by_role[c.id] == section]
        if not members:
            continue
        lines += ["", f"{section}:"]
        for comp in members:
            lines.append(f"  {comp.id}:")
            lines.append(f"    service: {comp.service}")
            if comp.label:
                lines.append(f"    label: {scalar(comp.label)}")
            lines.append(f"    notes: {scalar(comp.notes)}")
            if comp.emr:
                lines += _emr_lines(comp.emr)
    if result.groups:
        lines += ["", "groups:"]
        for gid, (label, members) in result.groups.items():
            lines.append(f"  {gid}:")
            if label:
                lines.append(f"    label: {scalar(label)}")
            lines.append(f"    members: [{', '.join(members)}]")
    if result.flows:
        lines += ["", "flows:"]
        for flow in result.flows:
            if flow.via:
                lines.append(f"  - {{from: {flow.source}, to: {flow.target}, via: {flow.via}}}")
            else:
                lines.append(f"  - {flow.source} -> {flow.target}")
    return "\n".join(lines) + "\n"


def _emr_lines(emr: dict) -> list[str]:
    out = []
    for key in ("workload", "lifetime"):
        if key in emr:
            out.append(f"    {key}: {emr[key]}")
    if emr.get("nodes"):
        out.append("    nodes:")
        for role, node in emr["nodes"].items():
            fields = ", ".join(f"{k}: {v}" for k, v in node.items())
            out.append(f"      {role}: {{{fields}}}")
    return out
