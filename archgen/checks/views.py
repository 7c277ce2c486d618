"""Views: every id a view names must be a component or a group; view names are unique.

FAIL (E207)::

    views:
      - {name: ingest, show: [clicks, delivry]}

FAIL (E208)::

    views:
      - {name: ingest, show: [clicks]}
      - {name: ingest, focus: [lake]}

FAIL (E209)::

    views:
      - {name: w, steps: [[clicks], [lake]]}   # its pictures are --w-1 and --w-2
      - {name: w-1, show: [clicks]}            # --w-1 again

INFO (I209): more than 25 components in two or more top-level groups and no views: one
picture of them is unreadable on a slide, so the hint names a view per top-level group::

    groups:
      ingestion: {members: [...]}
      lake: {members: [...]}
    # hint: views: [{name: ingestion, show: [ingestion]}, {name: lake, show: [lake]}]
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.checks import Context
from archgen.findings import Finding
from archgen.model.large import group_views
from archgen.model.model import Spec
from archgen.suggest import Suggester

CODES = ("E207", "E208", "E209", "I209")  # every code this family reports


def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.spec
    yield from _suggest_views(spec)
    suggest = Suggester([*spec.components, *spec.groups])
    seen: set[str] = set()
    pictures: dict[str, str] = {}  # file-name suffix -> the view that writes it
    for view in spec.views:
        if view.name in seen:
            yield Finding("E208", f"view name `{view.name}` is used twice", view.path + ("name",),
                          hint="output files are named after views; give each view its own name")
        else:
            for suffix in view.suffixes():
                other = pictures.setdefault(suffix, view.name)
                if other != view.name:
                    yield Finding("E209", f"view `{view.name}` and view `{other}` both write `<stem>{suffix}`",
                                  view.path + ("name",),
                                  hint=f"a view's step N is written as `--name-N`; rename `{view.name}` "
                                       f"or `{other}`")
                    break
        seen.add(view.name)
        for ref in view.refs():
            if ref.id not in spec.components and ref.id not in spec.groups:
                hint = suggest.hint(ref.id) or "views name component or group ids"
                yield Finding("E207", f"view `{view.name}` names unknown id `{ref.id}`", ref.path, hint=hint)


def _suggest_views(spec: Spec) -> Iterator[Finding]:
    """I209 on a large diagram without views: a view per top-level group reads on a slide."""
    suggested = group_views(spec)
    if not suggested:
        return
    views = ", ".join(f"{{name: {v.name}, show: [{v.show[0].id}]}}" for v in suggested)
    yield Finding("I209", f"{len(spec.components)} components are too many to read in one picture on a slide",
                  ("groups",), on_key=True,
                  hint=f"add a view per group, `views: [{views}]`, or draw an overview with "
                       "`archgen render --collapse` (`archgen slides` draws both by itself)")
