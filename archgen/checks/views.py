"""Views: every id a view names must be a component or a group; view names are unique.

FAIL (E207)::

    views:
      - {name: ingest, show: [clicks, delivry]}

FAIL (E208)::

    views:
      - {name: ingest, show: [clicks]}
      - {name: ingest, focus: [lake]}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding


def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    known = list(spec.components) + list(spec.groups)
    seen: dict[str, int] = {}
    for view in spec.views:
        if view.name in seen:
            yield Finding("E208", f"view name `{view.name}` is used twice", view.path + ("name",),
                          hint="output files are named after views; give each view its own name")
        seen.setdefault(view.name, 0)
        for ref in view.refs():
            if ref.id not in spec.components and ref.id not in spec.groups:
                close = difflib.get_close_matches(ref.id, known, n=2, cutoff=0.6)
                hint = (f"did you mean {' or '.join('`' + c + '`' for c in close)}?" if close
                        else "views name component or group ids")
                yield Finding("E207", f"view `{view.name}` names unknown id `{ref.id}`", ref.path, hint=hint)
