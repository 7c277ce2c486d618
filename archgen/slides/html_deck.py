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
  background:VAR_bg;color:VAR_text;padding:2.2% 3%;flex-direction:column;overflow:hidden}
.slide.active{display:flex}
.slide h1{margin:0;font-size:min(3.2vw,5.7vh)}
.slide .sub{color:VAR_muted;font-size:min(1.5vw,2.7vh);margin:.4em 0 0}
.slide.title{justify-content:center;padding-left:6%}
.slide.title h1{font-size:min(4.6vw,8.2vh)}
.slide.title .meta{margin-top:3em;color:VAR_muted;font-size:min(1.4vw,2.5vh)}
.figure{flex:1;min-height:0;display:flex;align-items:center;justify-content:center;margin-top:1%}
.figure svg{max-width:100%;max-height:100%;width:auto;height:auto}
ul.findings{list-style:none;padding:0;margin:1.5% 0 0;font-size:min(1.2vw,2.1vh);overflow:auto}
ul.findings li{margin:.35em 0}
li.error{color:VAR_error}li.warning{color:VAR_warning}
div.legend{display:grid;grid-template-columns:auto 1fr;column-gap:5%;align-items:start;margin-top:2%;
  font-size:min(1.2vw,2.1vh)}
div.legend h3{grid-column:1/-1;margin:0 0 .4em}
div.legend .kinds{display:grid;grid-template-columns:5.5em auto;gap:.55em .8em;align-items:center}
div.legend .kinds svg{width:5.5em;height:auto;display:block}
div.legend .icons{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.45em 1.5em;align-items:center}
div.legend .icons div{display:grid;grid-template-columns:2.2em 1fr;gap:.6em;align-items:center}
div.legend img{width:2.2em;height:2.2em;object-fit:contain}
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


def _slide(item: Slide, n: int, total: int) -> str:
    e = html.escape
    parts = [f'<section class="slide {item.kind}" id="s{n}">']
    parts.append(f"<h1>{e(item.title)}</h1>")
    if item.subtitle:
        parts.append(f'<p class="sub">{e(item.subtitle)}</p>')
    if item.kind == "title":
        parts += [f'<p class="meta">{e(line.text)}</p>' for line in item.lines]
    elif item.kind == "diagram":
        parts.append(f'<div class="figure">{_inline_svg(item.picture.svg)}</div>')
    elif item.kind == "findings":
        parts.append('<ul class="findings">')
        parts += [f'<li class="{line.severity}">{e(line.text)}</li>' for line in item.lines]
        parts.append("</ul>")
    elif item.kind == "legend":
        parts.append('<div class="legend"><div class="kinds"><h3>Edges</h3>')
        for entry in item.kinds:
            parts.append(f'<span class="sample" data-kind="{e(entry.kind)}">{entry.sample.svg.decode()}</span>'
                         f"<span>{e(entry.label)}</span>")
        parts.append('</div><div class="icons"><h3>Services</h3>')
        for entry in item.icons:
            status = "" if entry.status == "current" else f' <span class="status">({e(entry.status)})</span>'
            parts.append(f'<div><img alt="" src="{data_uri(entry.icon)}"><span>{e(entry.name)}{status}</span></div>')
        parts.append("</div></div>")
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
