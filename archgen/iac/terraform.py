"""Terraform ``terraform show -json`` output, of a plan or of a state, as resources.

A plan carries ``planned_values`` and ``configuration``, whose expressions list the
references of each attribute (``aws_kinesis_stream.clicks.arn``), so flows are followed even
where a value is known only after apply. A state carries only ``values``: flows are then
followed by matching literal ARNs, names and URLs against the other resources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archgen.findings import Finding
from archgen.iac.cfn import read_text
from archgen.iac.model import Resource
from archgen.iac.resolve import Resolution, derived_key, json_document
from archgen.iac.source import SourceError, load_file, subtrees

_INDEX = re.compile(r"\[[^\]]*\]")
_SKIP_ROOTS = {"data", "local", "each", "count", "path", "terraform", "self"}


@dataclass
class TerraformInventory:
    file: str
    resources: list[Resource] = field(default_factory=list)
    by_address: dict[str, list[Resource]] = field(default_factory=dict)
    modules: dict[str, dict] = field(default_factory=dict)  # "module.a." -> its configuration
    calls: dict[str, tuple[str, dict]] = field(default_factory=dict)  # child prefix -> (parent, expressions)


def load_terraform(path: Path, display: str) -> TerraformInventory:
    loaded = load_file(read_text(path), display, True)
    data = loaded.data
    if not isinstance(data, dict) or not ("planned_values" in data or "values" in data):
        raise SourceError(Finding("E602", "the JSON has no `planned_values` or `values`: it is not "
                                          "`terraform show -json` output", file=display, line=1, column=1,
                                  hint="run `terraform show -json plan.out > plan.json` (or on the state)"))
    inv = TerraformInventory(display)
    config = (data.get("configuration") or {}).get("root_module") or {}
    _config_modules(config, "", inv)
    top = "planned_values" if "planned_values" in data else "values"
    root = (data.get(top) or {}).get("root_module") or {}
    values: list[tuple] = []
    _walk_module(root, (top, "root_module"), loaded.positions, inv, values)
    below = subtrees(loaded.positions, values)
    for resource, vpath in zip(inv.resources, values):
        resource.positions = below[vpath]
    return inv


def _config_modules(module: dict, prefix: str, inv: TerraformInventory) -> None:
    inv.modules[prefix] = module
    for name, call in (module.get("module_calls") or {}).items():
        child = f"{prefix}module.{name}."
        inv.calls[child] = (prefix, call.get("expressions") or {})
        _config_modules(call.get("module") or {}, child, inv)


def _walk_module(module: dict, path: tuple, positions: dict, inv: TerraformInventory, values: list[tuple]) -> None:
    """Each managed resource into ``inv``, and the path of its values (positions come later)."""
    address = module.get("address") or ""
    prefix = f"{address}." if address else ""
    config = {r.get("address"): r for r in (inv.modules.get(_config_prefix(prefix)) or {}).get("resources") or []}
    for i, res in enumerate(module.get("resources") or []):
        if not isinstance(res, dict) or res.get("mode", "managed") != "managed" or not res.get("type"):
            continue
        rpath = path + ("resources", i)
        full = str(res.get("address") or "")
        local = full[len(prefix):] if full.startswith(prefix) else full
        expressions = (config.get(_INDEX.sub("", local)) or {}).get("expressions") or {}
        index = res.get("index")
        logical = str(res.get("name")) + (f"-{index}" if index is not None else "")
        line, column = positions.get(rpath + ("address",), positions.get(rpath, (1, 1)))
        vpath = rpath + ("values",)
        props = _merge(res.get("values"), expressions)
        resource = Resource(
            key=full, logical_id=logical, type=str(res["type"]), props=props if isinstance(props, dict) else {},
            file=inv.file, line=line, column=column, fmt="terraform", stack=address,
            scope=tuple(p for p in address.split(".") if p and p != "module"))
        inv.resources.append(resource)
        values.append(vpath)
        inv.by_address.setdefault(_INDEX.sub("", full), []).append(resource)
    for j, child in enumerate(module.get("child_modules") or []):
        if isinstance(child, dict):
            _walk_module(child, path + ("child_modules", j), positions, inv, values)


def _config_prefix(prefix: str) -> str:
    return _INDEX.sub("", prefix)


def _merge(value: Any, expr: Any) -> Any:
    """Values with each attribute's references beside it: ``{"__refs__": [...], "__value__": v}``."""
    if isinstance(expr, dict) and ("references" in expr or "constant_value" in expr):
        return {"__refs__": list(expr.get("references") or ()), "__value__": value}
    if isinstance(expr, dict):
        base = dict(value) if isinstance(value, dict) else {}
        for key, sub in expr.items():
            base[key] = _merge(base.get(key), sub)
        return base if base or value is None else value
    if isinstance(expr, list) and expr:
        items = list(value) if isinstance(value, list) else []
        out = [_merge(items[i] if i < len(items) else None, expr[i] if i < len(expr) else None)
               for i in range(max(len(items), len(expr)))]
        return out
    return value


class TerraformResolver:
    """Follows configuration references across modules; literals go to name matching."""

    def __init__(self, inventories: list[TerraformInventory]) -> None:
        self.inventories = inventories
        self.owner = {r.key: inv for inv in inventories for r in inv.resources}

    def resolve(self, resource: Resource, path: tuple, value: Any) -> Resolution:
        out = Resolution()
        inv = self.owner[resource.key]
        prefix = f"{resource.stack}." if resource.stack else ""
        self._walk(inv, _config_prefix(prefix), value, out, 0)
        return out

    def _walk(self, inv: TerraformInventory, prefix: str, value: Any, out: Resolution, depth: int) -> None:
        if depth > 40:
            return
        if isinstance(value, dict) and "__refs__" in value:
            before = len(out.keys)
            for ref in value["__refs__"]:
                self._ref(inv, prefix, str(ref), out, depth)
            # `t.stream_arn` comes with `t` itself in the list: the attribute is what is meant
            derived = {k.rsplit("@", 1)[0] for k in out.keys[before:] if "@" in k}
            out.keys[before:] = [k for k in out.keys[before:] if k not in derived]
            if len(out.keys) == before:
                self._walk(inv, prefix, value.get("__value__"), out, depth + 1)
        elif isinstance(value, dict):
            for item in value.values():
                self._walk(inv, prefix, item, out, depth + 1)
        elif isinstance(value, list):
            for item in value:
                self._walk(inv, prefix, item, out, depth + 1)
        elif isinstance(value, str):
            document = json_document(value)
            if document is not None:  # a policy or definition kept as JSON text
                self._walk(inv, prefix, document, out, depth + 1)
            else:
                out.literals.append(value)

    def _ref(self, inv: TerraformInventory, prefix: str, ref: str, out: Resolution, depth: int) -> None:
        parts = _INDEX.sub("", ref).split(".")
        if parts[0] in _SKIP_ROOTS or len(parts) < 2:
            return
        if parts[0] == "module":
            if len(parts) < 3:
                return
            child = f"{prefix}module.{parts[1]}."
            output = ((inv.modules.get(child) or {}).get("outputs") or {}).get(parts[2])
            if output is None:
                out.unresolved.append(f"`{ref}` is not an output of module `{parts[1]}`")
                return
            self._walk(inv, child, _merge(None, output.get("expression") or {}), out, depth + 1)
            return
        if parts[0] == "var":
            call = inv.calls.get(prefix)
            if call is None:
                out.unresolved.append(f"`{ref}` is an input variable of the root module")
                return
            parent, expressions = call
            if parts[1] in expressions:
                self._walk(inv, parent, _merge(None, expressions[parts[1]]), out, depth + 1)
            return
        address = f"{prefix}{parts[0]}.{parts[1]}"
        for resource in inv.by_address.get(address, ()):
            key = derived_key(resource, parts[2] if len(parts) > 2 else None)
            if key not in out.keys:
                out.keys.append(key)
