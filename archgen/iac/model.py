"""The neutral model of imported infrastructure: resources in, components and flows out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archgen.findings import Finding

CODES = ("E601", "E602", "W601", "W602")  # what reading infrastructure code reports (import and diff)


@dataclass
class Resource:
    """One resource of a template or plan, with where it is written."""

    key: str  # unique across all inputs: "Stack/LogicalId" or a Terraform address
    logical_id: str  # the id written in the code (logical id, or Terraform resource name)
    type: str
    props: Any  # properties (CloudFormation) or values (Terraform), intrinsics as plain dicts
    file: str
    line: int
    column: int
    fmt: str  # "cloudformation" | "terraform"
    stack: str = ""  # display name of the stack or module holding it
    scope: tuple[str, ...] = ()  # enclosing stacks, constructs or modules, outermost first
    label: str | None = None  # CDK construct id, or the physical name when it can be computed
    construct_path: str | None = None  # CDK: the construct path from tree.json or metadata
    condition: str | None = None  # a CloudFormation resource's `Condition`
    names: tuple[str, ...] = ()  # physical names computed from parameters (`!Ref DatabaseName`)
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict, repr=False)

    def where(self, path: tuple = ()) -> tuple[int, int]:
        """Line and column of a property path, or of the nearest enclosing one."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.line, self.column


@dataclass
class Component:
    id: str
    service: str
    label: str | None
    notes: str
    source: Resource | None  # None for components archgen adds (an IoT Core endpoint, Splunk)
    scope: tuple[str, ...] = ()
    emr: dict[str, Any] | None = None
    shared: bool = False  # added once for all inputs (the IoT Core broker), in no stack


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    via: str | None
    origin: str  # the resource whose property is the integration, for notes and diff


@dataclass
class ImportResult:
    """What an import produced: the spec parts, the files read, and the findings."""

    title: str
    description: str | None
    sources: list[str]
    kinds: list[str]
    components: dict[str, Component] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    groups: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # where each component (by id) and each flow's origin resource ("@" + key) is written
    where: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)
