"""Rule families: each module checks one aspect of a spec and yields findings.

The registry is explicit: each family declares the codes it reports (its module's ``CODES``),
and the registry is what docs/reference/rules.md and SARIF list. A family that crashes, or reports a
code it did not declare, becomes an E999 finding, never a traceback.
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


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Family:
    """A rule family: its name, its check, and every code the check may report."""

    name: str
    check: Check
    codes: tuple[str, ...]


def registry() -> tuple[Family, ...]:
    """Every rule family, in the order they run."""
    from archgen.checks import constraints, emr, ignores, integration, roles, status, structure, views

    return tuple(Family(module.__name__.rsplit(".", 1)[1], module.check, module.CODES)
                 for module in (structure, roles, integration, constraints, status, emr, views, ignores))


def run_all(ctx: Context, families: tuple[Family, ...] | None = None) -> list[Finding]:
    """Run every family; a crash in one is reported and the others still run."""
    from archgen.check import undeclared

    out: list[Finding] = []
    for family in families or registry():
        found: list[Finding] = []
        try:
            found.extend(family.check(ctx))
        except Exception as exc:  # noqa: BLE001 - a rule bug must not hide other findings
            out += found  # what it found before the crash still counts
            out.append(Finding("E999", f"internal error in the {family.name} checks: {exc!r}", (),
                               hint="please report this with the spec that caused it"))
            continue
        out += found + undeclared(family.name, family.codes, found)
    return out
