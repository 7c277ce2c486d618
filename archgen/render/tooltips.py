"""Hover text and doc links in SVG: each node and edge gets a ``<title>`` and its AWS doc page.

Graphviz rewrites backslashes in ``tooltip`` attributes in ways that depend on what follows
them, so the graph carries short tokens as tooltips and the exact texts are put into the
SVG afterwards, escaped for XML here and nowhere else.
"""

from __future__ import annotations

import re
from html import escape

TOKEN = "archgentip"
_ANCHOR = re.compile(rb'<a( xlink:href="[^"]*")? xlink:title="' + TOKEN.encode() + rb'([ne]\d+)">')
_DOT_TOKEN = re.compile(rb'\s*(?:label)?tooltip=' + TOKEN.encode() + rb'[ne]\d+,?')


def node_token(index: int) -> str:
    return f"{TOKEN}n{index}"


def edge_token(index: int) -> str:
    return f"{TOKEN}e{index}"


def apply_tooltips(svg: bytes, texts: dict[str, str]) -> bytes:
    """Put the texts behind the tokens into the SVG: ``xlink:title`` and a ``<title>`` child,
    which is what browsers show on hover; links open in a new tab."""

    def swap(m: re.Match[bytes]) -> bytes:
        text = texts.get(m.group(2).decode(), "")
        attr = escape(text, quote=True).replace("\n", "&#10;").encode()
        href = m.group(1) or b""
        target = b' target="_blank"' if href else b""
        return b"<a" + href + b' xlink:title="' + attr + b'"' + target + b"><title>" + attr + b"</title>"

    return _ANCHOR.sub(swap, svg)


def strip_tokens(dot: bytes) -> bytes:
    """DOT without the tooltip tokens (the texts belong to SVG only)."""
    dot = _DOT_TOKEN.sub(b"", dot)
    return re.sub(rb",(\s*\])", rb"\1", dot)
