"""Roles: the section a component sits in must be a role its service can play.

WARN (W204)::

    streams:
      lake: s3        # S3 stores data; it is not a stream

WARN (W205)::

    analytics:
      fn: {service: lambda, workload: spark}   # workload applies to EMR only
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding

CODES = ("W204", "W205")  # every code this family reports


def check(ctx: Context) -> Iterator[Finding]:
    for comp in ctx.spec.components.values():
        if comp.service is None:
            continue
        service = ctx.services[comp.service]
        if comp.role not in service.roles:
            yield Finding("W204", f"{service.short} is listed under `{comp.role}`, a role it cannot play",
                          comp.path, on_key=True,
                          hint=f"move `{comp.id}` to {' or '.join('`' + r + '`' for r in service.roles)}")
        if comp.emr is not None and comp.service != "emr":
            yield Finding("W205", f"`workload`, `lifetime` and `nodes` apply to EMR, not {service.short}",
                          comp.path, on_key=True, hint="remove them, or set `service: emr`")
