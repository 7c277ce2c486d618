"""CloudFormation and SAM templates (YAML with short-form tags, or JSON) as resources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archgen.findings import Finding
from archgen.iac.model import Resource
from archgen.iac.resolve import CfnStack
from archgen.iac.source import Loaded, SourceError, load_file, subtrees

NESTED_TYPE = "AWS::CloudFormation::Stack"
MAX_NESTING = 10


def is_template(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("Resources"), dict)


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(Finding("E601", f"the file is not UTF-8 text (byte {exc.start})", file=str(path),
                                  line=1, column=1, hint="save the template as UTF-8")) from None


def load_template(path: Path, display: str) -> Loaded:
    text = read_text(path)
    is_json = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    return load_file(text, display, is_json)


def build_stack(loaded: Loaded, name: str, file: str, scope: tuple[str, ...], key_prefix: str,
                findings: list[Finding], label_of=None) -> CfnStack:
    """A stack of the template's resources; ``label_of`` gives CDK construct labels and scopes."""
    template = loaded.data
    if not is_template(template):
        raise SourceError(Finding("E602", "the file is not a CloudFormation template: it has no `Resources` mapping",
                                  file=file, line=1, column=1,
                                  hint="give a CloudFormation or SAM template, a cdk.out folder, "
                                       "or `terraform show -json` output"))
    stack = CfnStack(name=name, file=file, template=template)
    below = subtrees(loaded.positions, [("Resources", lid, "Properties") for lid in template["Resources"]])
    for logical_id, body in template["Resources"].items():
        line, column = loaded.positions.get(("Resources", logical_id), (1, 1))
        if logical_id.startswith("Fn::ForEach::"):
            findings.append(Finding(
                "W601", f"`{logical_id}` is a loop of the AWS::LanguageExtensions transform, which archgen "
                        "does not expand; its resources are left out", file=file, line=line, column=column,
                hint="import the processed template: `aws cloudformation get-template --template-stage Processed`"))
            continue
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            findings.append(Finding("W601", f"resource `{logical_id}` has no `Type`; it is left out",
                                    file=file, line=line, column=column,
                                    hint="every CloudFormation resource needs a `Type`"))
            continue
        positions = below[("Resources", logical_id, "Properties")]
        extra_scope, label, construct = label_of(logical_id, body) if label_of else ((), None, None)
        stack.resources[logical_id] = Resource(
            key=f"{key_prefix}{logical_id}", logical_id=logical_id, type=body["Type"],
            props=body.get("Properties") if isinstance(body.get("Properties"), dict) else {},
            file=file, line=line, column=column, fmt="cloudformation", stack=name,
            scope=scope + extra_scope, label=label, positions=positions, construct_path=construct,
            condition=body.get("Condition") if isinstance(body.get("Condition"), str) else None)
    return stack


def load_cfn(path: Path, display: str, findings: list[Finding]) -> list[CfnStack]:
    """A template and the nested stacks it names by a local file path."""
    loaded = load_template(path, display)
    stack_name = path.name.split(".")[0]
    stacks: list[CfnStack] = []
    _load_tree(path, display, loaded, stack_name, (stack_name,), "", None, {}, findings, stacks, 0)
    return stacks


def _load_tree(path: Path, display: str, loaded: Loaded, name: str, scope: tuple[str, ...], prefix: str,
               parent: CfnStack | None, params: dict, findings: list[Finding], out: list[CfnStack],
               depth: int) -> CfnStack:
    stack = build_stack(loaded, name, display, scope, prefix, findings)
    stack.parent, stack.parent_params = parent, params
    out.append(stack)
    if depth >= MAX_NESTING:
        return stack
    for logical_id, res in list(stack.resources.items()):
        if res.type != NESTED_TYPE:
            continue
        url = res.props.get("TemplateURL")
        child = path.parent / url if isinstance(url, str) and "://" not in url else None
        if child is None or not child.is_file():
            continue
        child_display = str(Path(display).parent / url)
        child_loaded = load_template(child, child_display)
        nested = _load_tree(child, child_display, child_loaded, logical_id, scope + (logical_id,),
                            f"{prefix}{logical_id}/", stack, res.props.get("Parameters") or {},
                            findings, out, depth + 1)
        stack.nested[logical_id] = nested
    return stack
