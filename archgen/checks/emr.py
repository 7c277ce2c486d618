"""EMR and EC2: instance types exist and suit the workload; Spot sits where loss is cheap.

FAIL (E401)::

    nodes: {core: {instance: r5.2xlarg}}

WARN (W401) previous generation, (W402) family unsuited to the workload, (W403) Spot on
the primary or core nodes of a long-running cluster; INFO (I401) ``master`` is ``primary``.

PASS::

    spark:
      service: emr
      workload: spark
      lifetime: long-running
      nodes:
        primary: {instance: m7g.xlarge}
        core: {instance: r7g.2xlarge, count: 4}
        task: {instance: r7g.2xlarge, count: 8, market: spot}
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding

CODES = ("E401", "W401", "W402", "W403", "W404", "I401")  # every code this family reports

SPOT_RISK = {
    "primary": "losing the primary node ends the whole cluster",
    "core": "core nodes hold HDFS data, so losing them can lose data",
}


def check(ctx: Context) -> Iterator[Finding]:
    for comp in ctx.spec.components.values():
        emr = comp.emr
        if emr is None or comp.service != "emr":
            continue
        workload = ctx.instances.workloads.get(emr.workload or "")
        if emr.nodes and not any(g.role == "primary" for g in emr.nodes):
            yield Finding("W404", f"EMR cluster `{comp.id}` has no primary node group", emr.path + ("nodes",),
                          hint="add `primary: {instance: m7g.xlarge}`")
        for group in emr.nodes:
            if group.written_as == "master":
                yield Finding("I401", "EMR calls the master node the primary node", group.path,
                              on_key=True, hint="write `primary:` instead of `master:`")
            itype, reason = ctx.instances.parse(group.instance)
            ipath = group.path + ("instance",)
            if itype is None:
                yield Finding("E401", f"unknown EC2 instance type `{group.instance}`", ipath, hint=reason)
                continue
            family = itype.family
            if family.generation != "current":
                succ = f"{family.successor}.{itype.size}" if family.successor else None
                yield Finding("W401", f"`{family.id}` is a previous-generation instance family", ipath,
                              hint=f"use `{succ}` or another current family" if succ else None)
            if workload and group.role != "primary" and family.category not in workload.categories:
                wanted = " or ".join(ctx.instances.category_name(c) for c in workload.categories)
                yield Finding(
                    "W402", f"`{emr.workload}` workloads suit {wanted} instances; `{family.id}` is "
                            f"{ctx.instances.category_name(family.category)}",
                    ipath, hint=workload.why or None)
            if group.market == "spot" and group.role in SPOT_RISK and emr.lifetime == "long-running":
                yield Finding(
                    "W403", f"Spot instances on the {group.role} nodes of a long-running cluster",
                    group.path + ("market",),
                    hint=f"{SPOT_RISK[group.role]}; use On-Demand there and put Spot on task nodes",
                    doc="https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-instances-guidelines.html")
