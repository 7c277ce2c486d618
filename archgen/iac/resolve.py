"""Resolve CloudFormation intrinsics to the resources they name.

``!Ref X``, ``!GetAtt X.Arn``, ``!Sub "arn:...${X}"``, ``!If`` (both branches unless the
condition can be decided from parameter values), ``Fn::ImportValue`` (when the exporting
stack is among the inputs), parameters passed into nested stacks and ``Outputs`` read back
from them. Anything else is kept as unresolved: a reason, never an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from archgen.iac.model import Resource

_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
_GENERIC = {"Fn::Join", "Fn::Select", "Fn::Split", "Fn::Base64", "Fn::ToJsonString", "Fn::FindInMap",
            "Fn::GetAZs", "Fn::Cidr", "Fn::Length", "Fn::Transform", "Fn::Equals", "Fn::Not", "Fn::And",
            "Fn::Or"}


def json_document(text: str) -> Any:
    """The mapping or list a string holds as JSON (a state machine definition, a redrive
    policy), or None for any other text."""
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] not in "{[":
        return None
    try:
        value = json.loads(stripped)
    except (ValueError, RecursionError):  # not JSON, or nested past the stack: plain text
        return None
    return value if isinstance(value, (dict, list)) else None


def derived_key(resource: Resource, attribute: str | None) -> str:
    """The key of what a reference names: the resource, or the component one of its
    attributes stands for (``Table.StreamArn`` is the table's stream), as ``key@attribute``."""
    from archgen.iac.mapping import table

    if attribute and attribute in table(resource.fmt).derived.get(resource.type, {}):
        return f"{resource.key}@{attribute}"
    return resource.key


@dataclass
class CfnStack:
    """One template and what is needed to resolve references inside it."""

    name: str
    file: str
    template: dict
    resources: dict[str, Resource] = field(default_factory=dict)  # logical id -> resource
    parent: CfnStack | None = None
    parent_params: dict[str, Any] = field(default_factory=dict)  # values the parent passes in
    nested: dict[str, CfnStack] = field(default_factory=dict)  # logical id of the Stack resource

    def parameter_default(self, name: str) -> Any:
        param = (self.template.get("Parameters") or {}).get(name)
        return param.get("Default") if isinstance(param, dict) else None


@dataclass
class Resolution:
    keys: list[str] = field(default_factory=list)  # resource keys, in order of mention
    literals: list[str] = field(default_factory=list)  # plain strings, to match against names
    unresolved: list[str] = field(default_factory=list)  # why something could not be followed

    def add(self, other: Resolution) -> None:
        self.keys += [k for k in other.keys if k not in self.keys]
        self.literals += other.literals
        self.unresolved += other.unresolved


class CfnResolver:
    """Follows intrinsics across the stacks of one import."""

    def __init__(self, stacks: list[CfnStack]) -> None:
        self.stacks = stacks
        self.exports: dict[str, tuple[Any, CfnStack]] = {}
        for stack in stacks:
            for output in (stack.template.get("Outputs") or {}).values():
                if not isinstance(output, dict) or not isinstance(output.get("Export"), dict):
                    continue
                name = self._literal(stack, output["Export"].get("Name"))
                if name is not None:
                    self.exports[name] = (output.get("Value"), stack)

    def resolve(self, resource: Resource, path: tuple, value: Any) -> Resolution:
        stack = self._stack_of(resource)
        out = Resolution()
        self._walk(stack, value, out, 0)
        return out

    def excluded(self, stack: CfnStack) -> list[str]:
        """Keys of resources whose `Condition` is false for the parameter values given."""
        return [r.key for r in stack.resources.values()
                if r.condition and self._condition(stack, r.condition, 0) is False]

    def name_of(self, stack: CfnStack, value: Any) -> str | None:
        """A physical name property as text, when parameters and pseudo parameters decide it."""
        return self._literal(stack, value)

    def _stack_of(self, resource: Resource) -> CfnStack:
        for stack in self.stacks:
            if stack.resources.get(resource.logical_id) is resource:
                return stack
        raise KeyError(resource.key)  # pragma: no cover - every resource comes from a stack

    # -- walking values ------------------------------------------------------------
    def _walk(self, stack: CfnStack, value: Any, out: Resolution, depth: int) -> None:
        if depth > 50:
            out.unresolved.append("references nest too deeply")
            return
        if isinstance(value, str):
            document = json_document(value)
            if document is not None:  # a definition or policy written as JSON text
                self._walk(stack, document, out, depth + 1)
            else:
                out.literals.append(value)
        elif isinstance(value, list):
            for item in value:
                self._walk(stack, item, out, depth + 1)
        elif isinstance(value, dict):
            if len(value) == 1:
                (fn, arg), = value.items()
                if fn == "Ref" or fn.startswith("Fn::") or fn == "Condition":
                    self._intrinsic(stack, fn, arg, out, depth)
                    return
            for item in value.values():
                self._walk(stack, item, out, depth + 1)

    def _intrinsic(self, stack: CfnStack, fn: str, arg: Any, out: Resolution, depth: int) -> None:
        if fn == "Ref":
            self._name(stack, str(arg), None, out, depth)
        elif fn == "Fn::GetAtt":
            parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
            if not parts or not isinstance(parts[0], str):
                out.unresolved.append("`Fn::GetAtt` without a resource name")
                return
            self._name(stack, parts[0], str(parts[1]) if len(parts) > 1 else "", out, depth)
        elif fn == "Fn::Sub":
            text, variables = (arg[0], arg[1] if len(arg) > 1 else {}) if isinstance(arg, list) else (arg, {})
            if not isinstance(text, str):
                out.unresolved.append("`Fn::Sub` without a text")
                return
            variables = variables if isinstance(variables, dict) else {}
            for match in _SUB_VAR.finditer(text):
                name, _, attr = match.group(1).strip().partition(".")
                if name in variables:
                    self._walk(stack, variables[name], out, depth + 1)
                elif not name.startswith("AWS::"):
                    self._name(stack, name, attr or None, out, depth)
            literal = _SUB_VAR.sub("", text)
            if literal and _SUB_VAR.search(text) is None:
                out.literals.append(literal)
        elif fn == "Fn::ImportValue":
            name = self._literal(stack, arg)
            if name is None:
                out.unresolved.append("`Fn::ImportValue` with a name archgen cannot compute")
            elif name not in self.exports:
                out.unresolved.append(f"export `{name}` is not defined by any input stack")
            else:
                value, exporter = self.exports[name]
                self._walk(exporter, value, out, depth + 1)
        elif fn == "Fn::If":
            if not isinstance(arg, list) or len(arg) != 3:
                out.unresolved.append("`Fn::If` needs a condition and two values")
                return
            decided = self._condition(stack, arg[0], 0)
            branches = [arg[1]] if decided is True else [arg[2]] if decided is False else arg[1:]
            for branch in branches:
                self._walk(stack, branch, out, depth + 1)
        elif fn == "Condition":
            return
        elif fn in _GENERIC:
            self._walk(stack, arg, out, depth + 1)
        else:
            out.unresolved.append(f"`{fn}` is not an intrinsic function archgen knows")

    def _name(self, stack: CfnStack, name: str, attr: str | None, out: Resolution, depth: int) -> None:
        if name.startswith("AWS::"):
            return  # pseudo parameters name no resource
        if name in stack.resources:
            key = derived_key(stack.resources[name], attr)
            if key not in out.keys:
                out.keys.append(key)
            return
        if name in stack.nested:
            nested = stack.nested[name]
            if attr and attr.startswith("Outputs."):
                output = (nested.template.get("Outputs") or {}).get(attr.split(".", 1)[1])
                if isinstance(output, dict):
                    self._walk(nested, output.get("Value"), out, depth + 1)
                    return
            out.unresolved.append(f"`{name}.{attr}` is not an output of the nested stack")
            return
        if name in (stack.template.get("Parameters") or {}):
            if name in stack.parent_params and stack.parent is not None:
                self._walk(stack.parent, stack.parent_params[name], out, depth + 1)
                return
            default = stack.parameter_default(name)
            if isinstance(default, str) and default:
                out.literals.append(default)
                return
            out.unresolved.append(f"parameter `{name}` has no value archgen can follow")
            return
        out.unresolved.append(f"`{name}` is not a resource, parameter or nested stack of {stack.name}")

    # -- literal values ----------------------------------------------------------------
    def _literal(self, stack: CfnStack, value: Any) -> str | None:
        """A value that is plain text once pseudo parameters and parameters are filled in."""
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref":
                return self._param_text(stack, str(arg))
            if fn == "Fn::Sub" and isinstance(arg, str):
                failed = False

                def fill(match: re.Match) -> str:
                    nonlocal failed
                    text = self._param_text(stack, match.group(1).strip())
                    failed = failed or text is None
                    return text or ""

                text = _SUB_VAR.sub(fill, arg)
                return None if failed else text
            if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
                parts = [self._literal(stack, p) for p in arg[1]]
                return None if any(p is None for p in parts) else str(arg[0]).join(parts)  # type: ignore[arg-type]
        return None

    def _param_text(self, stack: CfnStack, name: str) -> str | None:
        if name == "AWS::StackName":
            return stack.name
        if name in stack.parent_params and stack.parent is not None:
            return self._literal(stack.parent, stack.parent_params[name])
        default = stack.parameter_default(name)
        return str(default) if default is not None else None

    def _condition(self, stack: CfnStack, cond: Any, depth: int) -> bool | None:
        """Decide a condition from parameter values; None when it depends on something else."""
        if depth > 20:
            return None
        if isinstance(cond, str):
            cond = (stack.template.get("Conditions") or {}).get(cond)
        if not isinstance(cond, dict) or len(cond) != 1:
            return None
        (fn, arg), = cond.items()
        if fn == "Condition":
            return self._condition(stack, arg, depth + 1)
        if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            a, b = (self._literal(stack, x) if not isinstance(x, (int, float, bool)) else str(x) for x in arg)
            return None if a is None or b is None else a == b
        if fn == "Fn::Not" and isinstance(arg, list) and arg:
            inner = self._condition(stack, arg[0], depth + 1)
            return None if inner is None else not inner
        if fn in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            values = [self._condition(stack, c, depth + 1) for c in arg]
            if fn == "Fn::And":
                return False if False in values else None if None in values else True
            return True if True in values else None if None in values else False
        return None
