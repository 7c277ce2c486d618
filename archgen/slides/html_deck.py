"""Write a deck as one self-contained HTML file: inline SVG, no network, keyboard and click
navigation, `n` for speaker notes, one slide per printed page."""

from __future__ import annotations

import html
import re

from archgen.render.icons import data_uri
from archgen.slides.deck import Deck, Slide

THEME_CSS = {
    "light": {"bg": "#ffffff", "text": "#1f2937", "muted": "#6b7280", "error": "#dc2626",
              "warning": "#b45309", "page": "#e5e7eb"},
    "dark": {"bg": "#16191d", "text": "#e5e7eb", "muted": "#9ca3af", "error": "#f87171",
             "warning": "#fbbf24", "page": "#0b0d10"},
}

CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:VAR_page;font-family:"DejaVu Sans",Helvetica,Arial,sans-serif}
.slide{display:none;position:absolute;inset:0;margin:auto;width:min(100vw,177.78vh);height:min(56.25vw,100vh);
  background:VAR_bg;color:VAR_text;padding:1.2% 2.25% 1.2%;flex-direction:column;overflow:hidden}
.slide.active{display:flex}
.slide h1{margin:0;font-size:min(2.7vw,4.8vh);line-height:1.2}
.slide .sub{color:VAR_muted;font-size:min(1.35vw,2.4vh);margin:.2em 0 0}
.slide.diagram.top .figure{margin:.6% -2.25% 0}
.slide.diagram.side{flex-direction:row;padding:1.2% 1.2% 1.2% 2.25%}
.slide.diagram.side header{flex:0 0 21%;padding-top:3%}
.slide.title{justify-content:center;padding-left:6%}
.slide.title h1{font-size:min(4.6vw,8.2vh)}
.slide.title .meta{margin-top:3em;color:VAR_muted;font-size:min(1.4vw,2.5vh)}
/* the SVG fills the figure; its viewBox keeps the drawing's proportions, centred */
.figure{flex:1;min-height:0;min-width:0}
.figure svg{display:block;width:100%;height:100%}
ul.findings{list-style:none;padding:0;margin:1.5% 0 0;font-size:min(1.2vw,2.1vh);overflow:auto}
ul.findings li{margin:.35em 0}
li.error{color:VAR_error}li.warning{color:VAR_warning}
/* legend: tables, so every sample lines up with every other and every label with every label */
div.legend{display:flex;gap:6%;align-items:flex-start;margin-top:1.5%;font-size:min(1.2vw,2.1vh)}
div.legend h3{margin:0 0 .5em}
div.legend table{border-collapse:collapse}
div.legend td{padding:.22em .8em .22em 0;vertical-align:middle}
div.legend td.sample{width:5.5em}
div.legend td.sample svg{width:5.5em;height:auto;display:block}
div.legend td.icon{width:2.2em}
div.legend img{width:2.2em;height:2.2em;object-fit:contain;display:block}
div.legend td.name{padding-right:2.2em}
div.legend .status{color:VAR_warning}
.notes{display:none;position:absolute;left:0;right:0;bottom:0;max-height:35%;overflow:auto;
  background:rgba(0,0,0,.82);color:#fff;padding:1em 1.5em;font-size:min(1.3vw,2.3vh)}
body.show-notes .slide.active .notes{display:block}
.counter{position:absolute;right:1.5%;bottom:1.5%;color:VAR_muted;font-size:min(1vw,1.8vh)}
@media print{
  @page{size:13.333in 7.5in;margin:0}
  html,body{background:none;height:auto}
  .slide{display:flex !important;position:relative;width:13.333in;height:7.5in;page-break-after:always;break-after:page}
  .notes,.counter{display:none !important}
}
"""

JS = """
(function(){
  var slides=[].slice.call(document.querySelectorAll('.slide'));var i=0;
  function show(n){i=Math.max(0,Math.min(slides.length-1,n));
    slides.forEach(function(s,k){s.classList.toggle('active',k===i)});
    if(history.replaceState){history.replaceState(null,'','#'+(i+1))}}
  document.addEventListener('keydown',function(e){
    if(e.key==='ArrowRight'||e.key==='PageDown'||e.key===' '){show(i+1);e.preventDefault()}
    else if(e.key==='ArrowLeft'||e.key==='PageUp'){show(i-1);e.preventDefault()}
    else if(e.key==='Home'){show(0)}else if(e.key==='End'){show(slides.length-1)}
    else if(e.key==='n'||e.key==='N'){document.body.classList.toggle('show-notes')}});
  document.addEventListener('click',function(e){show(e.clientX<window.innerWidth/4?i-1:i+1)});
  var h=parseInt((location.hash||'#1').slice(1),10);show(isNaN(h)?0:h-1);
})();
"""


def _inline_svg(svg: bytes) -> str:
    """An SVG document as markup to put inside HTML: no XML prolog, DOCTYPE or comments."""
    text = svg.decode("utf-8")
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    # the deck keeps the hover texts but not the doc links: a click moves to the next slide
    text = re.sub(r'<a xlink:href="[^"]*"( xlink:title="[^"]*") target="_blank">', r"<a\1>", text)
    return text.strip()


LEGEND_ROWS = 10  # services per column, as on the PPTX legend


def _legend(item: Slide) -> list[str]:
    """Two blocks side by side: the edge kinds (sample | label) and the services (icon | name,
    LEGEND_ROWS to a column), each a table so its columns line up."""
    e = html.escape
    parts = ['<div class="legend"><div class="edges"><h3>Edges</h3><table class="kinds">']
    for entry in item.kinds:
        parts.append(f'<tr data-kind="{e(entry.kind)}"><td class="sample">{entry.sample.svg.decode()}</td>'
                     f'<td class="label">{e(entry.label)}</td></tr>')
    parts.append('</table></div><div class="services"><h3>Services</h3><table class="icons">')
    columns = -(-len(item.icons) // LEGEND_ROWS)
    rows = -(-len(item.icons) // max(columns, 1))
    for row in range(rows):
        cells = []
        for entry in item.icons[row::rows]:  # down each column, then across, as on the PPTX legend
            status = "" if entry.status == "current" else f' <span class="status">({e(entry.status)})</span>'
            cells.append(f'<td class="icon"><img alt="" src="{data_uri(entry.icon)}"></td>'
                         f'<td class="name">{e(entry.name)}{status}</td>')
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</table></div></div>")
    return parts


def _slide(item: Slide, n: int, total: int) -> str:
    e = html.escape
    layout = f" {item.picture.placed()[0].name}" if item.kind == "diagram" else ""
    parts = [f'<section class="slide {item.kind}{layout}" id="s{n}">', f"<header><h1>{e(item.title)}</h1>"]
    if item.subtitle:
        parts.append(f'<p class="sub">{e(item.subtitle)}</p>')
    parts.append("</header>")
    if item.kind == "title":
        parts += [f'<p class="meta">{e(line.text)}</p>' for line in item.lines]
    elif item.kind == "diagram":
        parts.append(f'<div class="figure">{_inline_svg(item.picture.svg)}</div>')
    elif item.kind == "findings":
        parts.append('<ul class="findings">')
        parts += [f'<li class="{line.severity}">{e(line.text)}</li>' for line in item.lines]
        parts.append("</ul>")
    elif item.kind == "legend":
        parts += _legend(item)
    if item.notes:
        parts.append(f'<aside class="notes">{e(item.notes)}</aside>')
    parts.append(f'<div class="counter">{n} / {total}</div></section>')
    return "\n".join(parts)


def write_html(deck: Deck) -> bytes:
    css = CSS
    for key, value in THEME_CSS[deck.theme].items():
        css = css.replace(f"VAR_{key}", value)
    total = len(deck.slides)
    body = "\n".join(_slide(s, n, total) for n, s in enumerate(deck.slides, start=1))
    doc = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width,initial-scale=1">'
           f"<title>{html.escape(deck.title)}</title><style>{css}</style></head>\n"
           f"<body>\n{body}\n<script>{JS}</script>\n</body></html>\n")
    return doc.encode("utf-8")
