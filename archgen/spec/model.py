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
class Spec:
    file: str
    title: str
    description: str | None
    direction: str
    theme: str
    components: dict[str, Component]
    flows: tuple[Flow, ...]
    groups: dict[str, Group]

    def component_groups(self) -> dict[str, str]:
        """The innermost group of each grouped component or group."""
        parent: dict[str, str] = {}
        for group in self.groups.values():
            for ref in group.members:
                parent.setdefault(ref.id, group.id)
        return parent
