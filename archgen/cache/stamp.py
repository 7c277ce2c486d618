"""The cache key inside each output file, so staleness is decided without comparing pixels.

Where the key goes, per format (each reader ignores it, and the bytes stay deterministic):

- SVG: a ``<metadata>archgen-key: HEX</metadata>`` element right after the ``<svg ...>`` tag;
- PNG: a ``tEXt`` chunk with the keyword ``archgen-key``, just before ``IEND``;
- PDF: an incremental update whose document information dictionary adds
  ``/ArchgenKey (HEX)`` to cairo's entries (``pdfinfo -custom`` shows it); a PDF whose
  trailer cannot be read gets a ``%archgen-key: HEX`` comment line after ``%%EOF`` instead;
- DOT: a ``// archgen-key: HEX`` comment line after the closing brace.

Stamping replaces a key already there (for PDF, the newest update wins), so
``stamp(stamp(data, a), b)`` reads back as ``b``.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zlib
from pathlib import Path

from archgen.errors import RenderError

KEYWORD = "archgen-key"
_HEX = re.compile(r"[0-9a-f]{8,128}")

# the SVG key sits right after the opening <svg ...> tag, found by a literal search near the top
_SVG_MARK = b"\n<metadata>" + KEYWORD.encode() + b": "
_SVG_END = b"</metadata>"
_SVG_OPEN = re.compile(rb"<svg[\s>]")
# only the last line of the file: a title or label holding the same text is left alone
_DOT_KEY = re.compile(rb"(?:\A|\n)// archgen-key: ([0-9a-f]+)\n?\Z")
_PDF_INFO_KEY = re.compile(rb"/ArchgenKey \(([0-9a-f]+)\)")
_PDF_COMMENT_KEY = re.compile(rb"%archgen-key: ([0-9a-f]+)")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def stamp(fmt: str, data: bytes, key: str) -> bytes:
    """``data`` (one output of format ``fmt``) with ``key`` stored inside it."""
    if not _HEX.fullmatch(key):
        raise RenderError(f"not a cache key: {key!r}")
    try:
        stamper = _STAMPERS[fmt]
    except KeyError:
        raise RenderError(f"cannot store a key in a {fmt} file") from None
    return stamper(data, key)


def key_in(fmt: str, data: bytes) -> str | None:
    """The key stored inside ``data`` (an output of format ``fmt``), or None."""
    reader = _READERS.get(fmt)
    return reader(data) if reader else None


def read_key(path: str | os.PathLike) -> str | None:
    """The key stored inside an output file; None when it has none or cannot be read."""
    p = Path(path)
    try:
        if not stat.S_ISREG(os.lstat(p).st_mode):  # a link, FIFO or device is not an output of ours
            return None
        data = p.read_bytes()
    except OSError:
        return None
    return key_in(p.suffix.lstrip(".").lower(), data)


# SVG ---------------------------------------------------------------------------------

def _svg_opening_end(data: bytes) -> int | None:
    """Where the opening ``<svg ...>`` tag ends: a literal search that stops near the top of the file."""
    m = _SVG_OPEN.search(data)
    if m is None:
        return None
    end = data.find(b">", m.start())
    return None if end < 0 else end + 1


def _svg_key_span(data: bytes, start: int) -> tuple[int, str] | None:
    """End and value of the key element at ``start`` (right after the ``<svg>`` tag), if one is there."""
    if not data.startswith(_SVG_MARK, start):
        return None
    first = start + len(_SVG_MARK)
    close = data.find(_SVG_END, first, first + 129)  # a key is at most 128 hex digits
    if close < 0:
        return None
    value = data[first:close].decode("latin-1")
    return (close + len(_SVG_END), value) if _HEX.fullmatch(value) else None


def _stamp_svg(data: bytes, key: str) -> bytes:
    start = _svg_opening_end(data)
    if start is None:
        raise RenderError("cannot store the key: the SVG has no <svg> element")
    found = _svg_key_span(data, start)
    rest = found[0] if found else start
    return data[:start] + _SVG_MARK + key.encode() + _SVG_END + data[rest:]


def _read_svg(data: bytes) -> str | None:
    start = _svg_opening_end(data)
    found = _svg_key_span(data, start) if start is not None else None
    return found[1] if found else None


# DOT ---------------------------------------------------------------------------------

def _stamp_dot(data: bytes, key: str) -> bytes:
    data = _DOT_KEY.sub(b"\n", data, count=1).rstrip(b"\n") + b"\n"
    return data + b"// archgen-key: " + key.encode() + b"\n"


def _read_dot(data: bytes) -> str | None:
    m = _DOT_KEY.search(data)
    return m.group(1).decode() if m else None


# PNG ---------------------------------------------------------------------------------

def _png_chunks(data: bytes) -> list[tuple[bytes, bytes, int, int]]:
    """``(type, payload, start, end)`` of each chunk; raises ValueError on a damaged file."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    chunks = []
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos: pos + 4])
        kind = data[pos + 4: pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        chunks.append((kind, data[pos + 8: pos + 8 + length], pos, end))
        pos = end
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise ValueError("PNG without IEND")
    return chunks


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _is_key_chunk(kind: bytes, payload: bytes) -> bool:
    return kind == b"tEXt" and payload.startswith(KEYWORD.encode() + b"\0")


def _stamp_png(data: bytes, key: str) -> bytes:
    try:
        chunks = _png_chunks(data)
    except ValueError as exc:
        raise RenderError(f"cannot store the key in the PNG: {exc}") from None
    out = [data[: len(_PNG_SIGNATURE)]]
    for kind, payload, start, end in chunks:
        if _is_key_chunk(kind, payload):
            continue
        if kind == b"IEND":
            out.append(_png_chunk(b"tEXt", KEYWORD.encode() + b"\0" + key.encode()))
        out.append(data[start:end])
    return b"".join(out)


def _read_png(data: bytes) -> str | None:
    try:
        chunks = _png_chunks(data)
    except ValueError:
        return None
    for kind, payload, _, _ in reversed(chunks):
        if _is_key_chunk(kind, payload):
            value = payload[len(KEYWORD) + 1:].decode("latin-1")
            return value if _HEX.fullmatch(value) else None
    return None


# PDF ---------------------------------------------------------------------------------

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_SIZE = re.compile(rb"/Size\s+(\d+)")
_ROOT = re.compile(rb"/Root\s+(\d+\s+\d+\s+R)")
_INFO = re.compile(rb"/Info\s+(\d+)\s+(\d+)\s+R")


def _pdf_info_entries(data: bytes, trailer: bytes) -> bytes:
    """The entries of the current information dictionary, without the key we add."""
    m = _INFO.search(trailer)
    if not m:
        return b""
    obj = re.compile(rb"(?:^|\s)" + m.group(1) + rb"\s+" + m.group(2) + rb"\s+obj\s*<<(.*?)>>\s*endobj", re.S)
    found = list(obj.finditer(data))
    if not found:
        return b""
    entries = _PDF_INFO_KEY.sub(b"", found[-1].group(1))
    return b" ".join(line.strip() for line in entries.splitlines() if line.strip())


def _stamp_pdf(data: bytes, key: str) -> bytes:
    """Append an incremental update: a new information dictionary that carries the key."""
    tail = data[-2048:]
    startxref = _STARTXREF.search(tail)
    trailers = list(_TRAILER.finditer(data))
    if startxref is None or not trailers:
        # cross-reference streams or a damaged file: fall back to a trailing comment
        return data.rstrip(b"\n") + b"\n%archgen-key: " + key.encode() + b"\n"
    trailer = trailers[-1].group(1)
    size, root = _SIZE.search(trailer), _ROOT.search(trailer)
    if size is None or root is None:
        return data.rstrip(b"\n") + b"\n%archgen-key: " + key.encode() + b"\n"
    number = int(size.group(1))
    entries = _pdf_info_entries(data, trailer)
    body = data if data.endswith(b"\n") else data + b"\n"
    obj_offset = len(body)
    obj = (f"{number} 0 obj\n<< ".encode() + (entries + b" " if entries else b"")
           + b"/ArchgenKey (" + key.encode() + b") >>\nendobj\n")
    xref_offset = obj_offset + len(obj)
    xref = (b"xref\n0 1\n0000000000 65535 f \n" + f"{number} 1\n{obj_offset:010d} 00000 n \n".encode())
    new_trailer = (f"trailer\n<< /Size {number + 1} /Root ".encode() + root.group(1)
                   + f" /Info {number} 0 R /Prev {int(startxref.group(1))} >>\n".encode()
                   + f"startxref\n{xref_offset}\n%%EOF\n".encode())
    return body + obj + xref + new_trailer


def _read_pdf(data: bytes) -> str | None:
    found = _PDF_INFO_KEY.findall(data[-8192:]) or _PDF_COMMENT_KEY.findall(data[-1024:])
    return found[-1].decode() if found else None


_STAMPERS = {"svg": _stamp_svg, "png": _stamp_png, "pdf": _stamp_pdf, "dot": _stamp_dot}
_READERS = {"svg": _read_svg, "png": _read_png, "pdf": _read_pdf, "dot": _read_dot}
