"""The typed model of a spec, built after the document has passed the schema."""

from __future__ import annotations

from dataclasses import dataclass

from archgen.findings import Path

ROLE_SECTIONS = ("sources", "streams", "stores", "analytics")
NODE_ROLES = ("primary", "core", "task")


@dataclass(frozen=True)
class Ref:
    """A mention of a component or group id, with where it was written."""

    id: str
    path: Path
    offset: int = 0


@dataclass(frozen=True)
class NodeGroup:
    role: str  # primary | core | task
    instance: str
    count: int
    market: str  # on-demand | spot
    path: Path
    written_as: str  # the key used in the spec: "master" is accepted for "primary"


@dataclass(frozen=True)
class Emr:
    workload: str | None
    lifetime: str | None
    nodes: tuple[NodeGroup, ...]
    path: Path


@dataclass(frozen=True)
class Component:
    id: str
    role: str
    service: str | None  # canonical service id; None when the spec named an unknown service
    written_service: str
    label: str | None
    notes: str | None
    ignore: tuple[str, ...]
    emr: Emr | None
    path: Path

    @property
    def service_path(self) -> Path:
        return self.path + ("service",) if self.path_is_mapping else self.path

    path_is_mapping: bool = True


@dataclass(frozen=True)
class Flow:
    source: Ref
    target: Ref
    label: str | None
    via: str | None
    ignore: tuple[str, ...]
    path: Path
    index: int
    segment: int = 0


@dataclass(frozen=True)
class Group:
    id: str
    label: str | None
    members: tuple[Ref, ...]
    path: Path


@dataclass(frozen=True)
class View:
    """A named part of the diagram: ``show`` limits it, ``focus`` fades the rest, ``steps``
    build it up (step N shows the ids of steps 1..N)."""

    name: str
    title: str | None
    show: tuple[Ref, ...]
    focus: tuple[Ref, ...]
    steps: tuple[tuple[Ref, ...], ...]
    notes: str | None
    path: Path

    def refs(self) -> list[Ref]:
        return [*self.show, *self.focus, *(r for step in self.steps for r in step)]

    def suffixes(self) -> list[str]:
        """The file-name suffixes of this view's pictures: ``--name``, or ``--name-N`` per step."""
        if self.steps:
            return [f"--{self.name}-{n}" for n in range(1, len(self.steps) + 1)]
        return [f"--{self.name}"]


@dataclass(frozen=True)
class Spec:
    file: str
    title: str
    description: str | None
    direction: str
    theme: str
    components: dict[str, Component]
    flows: tuple[Flow, ...]
    groups: dict[str, Group]
    views: tuple[View, ...] = ()
    direction_auto: bool = False  # `direction` left out: the renderer picks LR or TB

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)

    def expand(self, ids) -> set[str]:
        """Component ids named directly or through (nested) groups."""
        out: set[str] = set()
        stack = list(ids)
        seen: set[str] = set()
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            if i in self.components:
                out.add(i)
            elif i in self.groups:
                stack.extend(r.id for r in self.groups[i].members)
        return out

    def component_groups(self) -> dict[str, str]:
        """The innermost group of each grouped component or group."""
        parent: dict[str, str] = {}
        for group in self.groups.values():
            for ref in group.members:
                parent.setdefault(ref.id, group.id)
        return parent
