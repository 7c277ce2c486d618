"""Who reports which finding code: the stages of the check pipeline, the rule families, and
the other inputs archgen reads (infrastructure code, configuration).

Each declares its codes next to the code that reports them; this registry collects them in
pipeline order. It is the source of the code table in docs/reference/rules.md and of SARIF's rules,
and a code a stage reports without declaring it becomes an internal error (E999).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def declarations() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(reporter, codes) in the order a spec meets them."""
    from archgen import config, specfiles
    from archgen.check import stages
    from archgen.checks import registry
    from archgen.iac.diff import CODES as DIFF_CODES
    from archgen.iac.model import CODES as IMPORT_CODES
    from archgen.model.parse import CODES as MODEL_CODES

    out = []
    for stage in stages():
        if stage.name == "rules":  # the model, then each rule family
            out.append(("model", MODEL_CODES))
            out += [(family.name, family.codes) for family in registry()]
        else:
            out.append((stage.name, stage.codes))
    out += [("files", specfiles.CODES), ("import", IMPORT_CODES), ("diff", DIFF_CODES), ("config", config.CODES),
            ("internal", ("E999",))]
    return tuple(out)


@lru_cache(maxsize=1)
def reporter_of() -> dict[str, str]:
    """Each code's first reporter (a limit, E005, is checked by several stages)."""
    out: dict[str, str] = {}
    for name, codes in declarations():
        for code in codes:
            out.setdefault(code, name)
    return out
