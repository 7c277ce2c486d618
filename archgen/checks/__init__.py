"""Rule families: each module checks one aspect of a spec and yields findings.

The registry is explicit; a family that crashes becomes an E999 finding, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archgen.catalog.instances import InstanceCatalog, load_instances
from archgen.catalog.integrations import RuleBook, load_rules
from archgen.catalog.services import ServiceCatalog, load_services
from archgen.findings import Finding
from archgen.model.model import Spec


@dataclass(frozen=True)
class Context:
    """What a rule family may look at."""

    spec: Spec
    services: ServiceCatalog
    rules: RuleBook
    instances: InstanceCatalog

    @classmethod
    def for_spec(cls, spec: Spec) -> Context:
        return cls(spec, load_services(), load_rules(), load_instances())


Family = Callable[[Context], Iterable[Finding]]


def registry() -> dict[str, Family]:
    """Every rule family, in the order they run."""
    from archgen.checks import constraints, emr, integration, roles, status, structure, views

    return {
        "structure": structure.check,
        "roles": roles.check,
        "integration": integration.check,
        "constraints": constraints.check,
        "status": status.check,
        "emr": emr.check,
        "views": views.check,
    }


def run_all(ctx: Context) -> list[Finding]:
    """Run every family; a crash in one is reported and the others still run."""
    out: list[Finding] = []
    for name, family in registry().items():
        try:
            out.extend(family(ctx))
        except Exception as exc:  # noqa: BLE001 - a rule bug must not hide other findings
            out.append(Finding("E999", f"internal error in the {name} checks: {exc!r}", (),
                               hint="please report this with the spec that caused it"))
    return out
