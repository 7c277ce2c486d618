"""Build the neutral deck: title, an overview per spec, a slide per view and step, the findings
and a legend. A spec too large for one picture that has no views (``archgen.model.large``) gets
its collapsed overview and a slide per top-level group instead. Writers (PPTX, HTML) only lay
these slides out."""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from dataclasses import dataclass, field, replace
from pathlib import Path

from archgen import __version__
from archgen.catalog.integrations import load_rules
from archgen.catalog.services import load_services
from archgen.check import CheckResult
from archgen.errors import UsageError
from archgen.model.large import group_views
from archgen.model.model import Spec, View
from archgen.render.graph import Graph, build_graph
from archgen.render.graphviz import Fit
from archgen.render.icons import themed_icon
from archgen.render.naming import stem
from archgen.render.options import RenderOptions
from archgen.render.pipeline import draw_graph
from archgen.render.plan import ALL_VIEWS, Output, planned_outputs
from archgen.render.themes import KIND_NAMES, THEMES
from archgen.slides.layout import ENVELOPE, Box, SlideLayout, place
from archgen.slides.legend import EdgeSample, edge_sample

PNG_SCALE = 2.0
MAX_ZOOM = 2.0  # a small view is magnified at most this much: larger looks like a poster
FIT = Fit(ENVELOPE.w * 72, ENVELOPE.h * 72, MAX_ZOOM)  # the box every slide PNG is sized for


@dataclass(frozen=True)
class Picture:
    png: bytes  # PPTX: PNG_SCALE x 96 dpi once fitted into the content box
    svg: bytes  # self-contained, for HTML

    @property
    def size_pt(self) -> tuple[float, float]:
        """The picture's natural size in points (1 pt = 1/72 inch), from the SVG."""
        head = self.svg[:2000].decode("utf-8", "replace")
        w = re.search(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', head)
        return float(w.group(1)), float(w.group(2))

    @property
    def size_in(self) -> tuple[float, float]:
        """Its natural size in inches, in the PNG's own proportions (no distortion)."""
        w_px, h_px = struct.unpack(">II", self.png[16:24])
        w = self.size_pt[0] / 72
        return w, w * h_px / w_px

    def placed(self) -> tuple[SlideLayout, Box]:
        """The slide layout that shows it largest and its box there (inches), magnified at most
        MAX_ZOOM times."""
        return place(self.size_in, MAX_ZOOM)


@dataclass(frozen=True)
class Line:
    text: str
    severity: str = "info"  # error | warning | info: drives the colour


@dataclass(frozen=True)
class LegendEntry:
    icon: str  # diagrams resource path, or a plated copy (see archgen.render.icons.themed_icon)
    name: str
    status: str


@dataclass(frozen=True)
class LegendKind:
    kind: str
    label: str
    sample: EdgeSample  # the edge drawn in its real style


@dataclass
class Slide:
    kind: str  # title | diagram | findings | legend
    title: str
    subtitle: str = ""
    picture: Picture | None = None
    notes: str = ""
    lines: list[Line] = field(default_factory=list)
    kinds: list[LegendKind] = field(default_factory=list)
    icons: list[LegendEntry] = field(default_factory=list)


@dataclass
class Deck:
    title: str
    theme: str
    slides: list[Slide]


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()
    return day.isoformat()


def _where(f) -> str:
    return f"{Path(f.file).name}:{f.line}:{f.column}"


def build_deck(results: list[CheckResult], theme: str = "light", allow_errors: bool = False) -> Deck:
    """The deck for checked specs; a spec with errors stops it unless ``allow_errors``."""
    broken = [r for r in results if not r.ok()]
    if broken and not allow_errors:
        names = ", ".join(r.file for r in broken)
        raise UsageError(f"{names}: the spec has errors, so no deck was made",
                         hint="fix the errors, or pass --allow-errors to list them on a slide")
    services, rules = load_services(), load_rules()
    specs = [r for r in results if r.spec is not None]
    title = specs[0].spec.title if len(specs) == 1 else "Architecture review"
    description = specs[0].spec.description if len(specs) == 1 else None
    files = ", ".join(Path(r.file).name for r in results)
    slides = [Slide("title", title, subtitle=(description or "").strip(),
                    lines=[Line(f"{_today()} · {files} · archgen {__version__}")],
                    notes=(description or "").strip())]
    used_kinds: list[str] = []
    used_services: list[str] = []
    for result in results:
        spec = result.spec
        if spec is None or not result.ok():
            continue  # with --allow-errors: its errors are on the findings slide
        name = stem(result.file)
        # the slide shows the title above the picture: not inside it again
        graph = replace(build_graph(spec, name, theme, services, rules), title="")
        options = RenderOptions(("png", "svg"), PNG_SCALE, theme)
        large = group_views(spec)
        if large:
            slides += _large_slides(result.file, spec, name, graph, options, large, services, rules)
        else:
            slides += _diagram_slides(result.file, spec, graph, options,
                                      planned_outputs(spec, name, options, [ALL_VIEWS]))
        used_kinds += [k for k in graph.kinds if k not in used_kinds]
        for comp in spec.components.values():
            if comp.service and comp.service not in used_services:
                used_services.append(comp.service)
    findings = [f for r in results for f in r.findings]
    lines = [Line(f"{f.code} {_where(f)}  {f.message}" + (f" — {f.hint}" if f.hint else ""), f.severity)
             for f in findings]
    slides.append(Slide("findings", "Findings", subtitle=_summary(findings),
                        lines=lines or [Line("No findings: every flow is a known AWS integration.")]))
    palette = THEMES[theme]
    slides.append(Slide(
        "legend", "Legend",
        kinds=[LegendKind(k, KIND_NAMES[k], edge_sample(k, theme, PNG_SCALE))
               for k in KIND_NAMES if k in used_kinds],
        icons=[LegendEntry(themed_icon(services[s].icon, palette.background, palette.plate),
                           services[s].name,
                           services[s].status if services[s].is_current
                           else f"{services[s].status}; use {services[s].successor}")
               for s in used_services]))
    return Deck(title, theme, slides)


def _pictures(graph: Graph, options: RenderOptions, outputs: list[Output]) -> list[tuple[Output, Picture]]:
    """Each planned picture of ``graph`` (its PNG output and the picture), from one layout."""
    drawn = draw_graph(graph, options, outputs, FIT)
    svg = {o.suffix: drawn[o.file] for o in outputs if o.fmt == "svg"}
    return [(o, Picture(drawn[o.file], svg[o.suffix])) for o in outputs if o.fmt == "png"]


def _diagram_slides(file: str, spec: Spec, graph: Graph, options: RenderOptions,
                    outputs: list[Output]) -> list[Slide]:
    """A slide per planned picture: the whole diagram, then each view and step."""
    slides = []
    for o, picture in _pictures(graph, options, outputs):
        state = o.state
        if state is None:
            slides.append(Slide("diagram", spec.title, subtitle=Path(file).name,
                                picture=picture, notes=(spec.description or "").strip()))
        else:
            slides.append(Slide("diagram", state.title, subtitle=f"{spec.title} · view {state.view}",
                                picture=picture, notes=(state.notes or "").strip()))
    return slides


def _large_slides(file: str, spec: Spec, name: str, graph: Graph, options: RenderOptions,
                  views: tuple[View, ...], services, rules) -> list[Slide]:
    """For a spec too large for one picture (``archgen.model.large``): the overview as
    ``render --collapse`` draws it, then each top-level group's view, cropped from one layout
    of the whole diagram. They take the place of the whole diagram, whose text would be too small."""
    collapsed = replace(options, collapse=True)
    overview = replace(build_graph(spec, name, options.theme, services, rules, collapse=True), title="")
    [(_, picture)] = _pictures(overview, collapsed, planned_outputs(spec, name, collapsed))
    groups = len(views)
    slides = [Slide("diagram", f"{spec.title} — overview", picture=picture,
                    subtitle=f"{Path(file).name} · {len(spec.components)} components; "
                             f"each of the {groups} top-level groups drawn as one node",
                    notes=(spec.description or "").strip())]
    outputs = planned_outputs(replace(spec, views=views), name, options, [ALL_VIEWS], full=False)
    for o, picture in _pictures(graph, options, outputs):
        members = len(spec.expand([o.state.view]))
        slides.append(Slide("diagram", f"{spec.title} — {o.state.title}", picture=picture,
                            subtitle=f"{Path(file).name} · group {o.state.view}, "
                                     f"{members} component{'s' if members != 1 else ''}"))
    return slides


def _summary(findings) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    return ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
