"""Generate large synthetic specs from the rule book (deterministic for a given seed).

    python benchmarks/gen_spec.py COMPONENTS FLOWS [--illegal FRACTION] [--seed N] > big.yaml
"""

from __future__ import annotations

import argparse
import random

from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services


def generate(components: int, flows: int, illegal: float = 0.0, seed: int = 7,
             groups: int = 0) -> str:
    rng = random.Random(seed)
    services = load_services()
    book = load_rules()
    current = [p for p in book.pairs()
               if services[p[0]].is_current and services[p[1]].is_current
               and book.pick(*p).effective_status == "current" and book.pick(*p).kind != "control"]
    by_source: dict[str, list[str]] = {}
    for s, t in current:
        by_source.setdefault(s, []).append(t)
    comps: list[tuple[str, str]] = []  # (id, service)
    edges: list[tuple[int, int]] = []
    # grow chains along legal pairs so that every component has flows
    while len(comps) < components:
        s = rng.choice(sorted(by_source))
        comps.append((f"c{len(comps)}", s))
        while len(comps) < components and comps[-1][1] in by_source and rng.random() < 0.75:
            t = rng.choice(by_source[comps[-1][1]])
            comps.append((f"c{len(comps)}", t))
            edges.append((len(comps) - 2, len(comps) - 1))
    index: dict[str, list[int]] = {}
    for i, (_, svc) in enumerate(comps):
        index.setdefault(svc, []).append(i)
    legal_pairs = set(current)
    n_illegal = int(flows * illegal)
    while len(edges) < flows - n_illegal:
        s, t = rng.choice(current)
        if s in index and t in index:
            edges.append((rng.choice(index[s]), rng.choice(index[t])))
    all_ids = [svc for svc in services.services]
    while len(edges) < flows:
        a, b = rng.randrange(len(comps)), rng.randrange(len(comps))
        if a != b and (comps[a][1], comps[b][1]) not in legal_pairs and comps[a][1] in all_ids:
            edges.append((a, b))
    lines = ["archgen: 1", f"title: Synthetic {components} components, {flows} flows"]
    by_role: dict[str, list[str]] = {}
    for cid, svc in comps:  # each component in the first section its service may sit in: no W204
        role = (services[svc].roles or ("analytics",))[0]
        by_role.setdefault(role, []).append(f"  {cid}: {svc}")
    for role in ("sources", "streams", "stores", "analytics"):
        if role in by_role:
            lines += [f"{role}:", *by_role[role]]
    if groups:
        lines.append("groups:")
        size = max(1, len(comps) // groups)
        for g in range(groups):
            members = ", ".join(cid for cid, _ in comps[g * size:(g + 1) * size])
            lines.append(f"  g{g}: {{label: Group {g}, members: [{members}]}}")
    lines.append("flows:")
    lines += [f"  - {comps[a][0]} -> {comps[b][0]}" for a, b in edges]
    return "\n".join(lines) + "\n"


def generate_legal(components: int, flows: int, seed: int = 7, groups: int = 0) -> str:
    """``generate`` without the flows ``archgen check`` rejects: rules v2 constraints (one
    source per pipe, one destination per Firehose stream...) span several flows, so a pair
    that is legal alone may still be an error; those flows are dropped, deterministically."""
    from archgen.check import check_source

    text = generate(components, flows, seed=seed, groups=groups)
    for _ in range(10):
        result = check_source(text, "generated.yaml")
        bad = {f.path[1] for f in result.findings
               if f.severity == "error" and len(f.path) > 1 and f.path[0] == "flows"}
        if not bad:
            return text
        head, _, body = text.partition("flows:\n")
        kept = [line for i, line in enumerate(body.splitlines()) if i not in bad]
        text = head + "flows:\n" + "".join(line + "\n" for line in kept)
    raise SystemExit("could not generate a legal spec")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("components", type=int)
    parser.add_argument("flows", type=int)
    parser.add_argument("--illegal", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--groups", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.components, args.flows, args.illegal, args.seed, args.groups), end="")


if __name__ == "__main__":
    main()
