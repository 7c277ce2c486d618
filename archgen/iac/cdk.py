"""A CDK cloud assembly (``cdk.out/``): its stacks, nested stacks and construct paths.

``manifest.json`` lists the stack artifacts and their templates; a nested stack is an
``AWS::CloudFormation::Stack`` whose ``aws:asset:path`` metadata names its template in the
assembly. Construct paths (``aws:cdk:path`` metadata, ``tree.json``) give each component
its label (the construct's id) and its groups (the constructs and stacks around it).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any

from archgen.findings import Finding
from archgen.iac.cfn import MAX_NESTING, NESTED_TYPE, build_stack, load_template, read_text
from archgen.iac.resolve import CfnStack
from archgen.iac.source import SourceError, load_file

STACK_ARTIFACT = "aws:cloudformation:stack"
LEAVES = ("Resource", "Default")


def load_assembly(path: Path, display: str, findings: list[Finding]) -> list[CfnStack]:
    folder = path if path.is_dir() else path.parent
    root = display if path.is_dir() else str(PurePath(display).parent)
    manifest_display = f"{root}/manifest.json"
    manifest = load_file(read_text(folder / "manifest.json"), manifest_display, True).data
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise SourceError(Finding("E602", "manifest.json lists no artifacts: this is not a CDK cloud assembly",
                                  file=manifest_display, line=1, column=1, hint="run `cdk synth` again"))
    tree = _tree(folder, artifacts)
    stacks: list[CfnStack] = []
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict) or artifact.get("type") != STACK_ARTIFACT:
            continue
        props = artifact.get("properties") or {}
        template_file = props.get("templateFile")
        if not isinstance(template_file, str):
            continue
        name = artifact.get("displayName") or props.get("stackName") or artifact_id
        paths = _metadata_paths(artifact.get("metadata") or {})
        _load(folder, root, template_file, str(name), "", None, {}, paths, tree, findings, stacks, 0)
    return stacks


def _load(folder: Path, root: str, template_file: str, name: str, prefix: str, parent: CfnStack | None,
          params: dict, paths: dict[str, str], tree: dict[str, list[str]], findings: list[Finding],
          out: list[CfnStack], depth: int) -> CfnStack:
    display = f"{root}/{template_file}"
    loaded = load_template(folder / template_file, display)

    def label_of(logical_id: str, body: dict) -> tuple[tuple[str, ...], str | None, str | None]:
        meta = body.get("Metadata") if isinstance(body.get("Metadata"), dict) else {}
        construct = meta.get("aws:cdk:path") or paths.get(logical_id)
        if not isinstance(construct, str):
            return (), None, None
        parts = tree.get(construct) or construct.strip("/").split("/")
        while len(parts) > 1 and parts[-1] in LEAVES:
            parts = parts[:-1]
        return tuple(parts[:-1]), parts[-1], construct

    stack = build_stack(loaded, name, display, (), prefix, findings, label_of)
    stack.parent, stack.parent_params = parent, params
    out.append(stack)
    if depth >= MAX_NESTING:
        return stack
    for logical_id, res in list(stack.resources.items()):
        body = loaded.data["Resources"][logical_id]
        asset = (body.get("Metadata") or {}).get("aws:asset:path") if isinstance(body.get("Metadata"), dict) else None
        if res.type != NESTED_TYPE or not isinstance(asset, str) or not (folder / asset).is_file():
            continue
        nested_name = (res.label or logical_id).removesuffix(".NestedStackResource")
        nested = _load(folder, root, asset, nested_name, f"{prefix}{logical_id}/", stack,
                       res.props.get("Parameters") or {}, paths, tree, findings, out, depth + 1)
        stack.nested[logical_id] = nested
    return stack


def _metadata_paths(metadata: dict[str, Any]) -> dict[str, str]:
    """Logical id -> construct path, from the manifest's `aws:cdk:logicalId` entries."""
    out = {}
    for construct, entries in metadata.items():
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and entry.get("type") == "aws:cdk:logicalId" and isinstance(
                    entry.get("data"), str):
                out[entry["data"]] = construct.strip("/")
    return out


def _tree(folder: Path, artifacts: dict) -> dict[str, list[str]]:
    """Construct path -> the construct ids along it, from tree.json (empty when absent)."""
    tree_file = next((a.get("properties", {}).get("file") for a in artifacts.values()
                      if isinstance(a, dict) and a.get("type") == "cdk:tree"), None)
    path = folder / (tree_file if isinstance(tree_file, str) else "tree.json")
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # no tree: construct paths are left out
        return {}
    out: dict[str, list[str]] = {}
    stack: list[tuple[dict, list[str]]] = [(data.get("tree") or {}, [])]
    while stack:
        node, ids = stack.pop()
        for child in (node.get("children") or {}).values():
            if not isinstance(child, dict):
                continue
            child_ids = ids + [str(child.get("id"))]
            if isinstance(child.get("path"), str):
                out[child["path"]] = child_ids
            stack.append((child, child_ids))
    return out
