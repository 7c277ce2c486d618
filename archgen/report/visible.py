"""Text from a spec (or a spec's file name) made safe to print on a terminal or in a CI log.

A file name, id or key may hold a line feed (which could forge a further report line, such as
a GitHub Actions ``::error`` command), a terminal escape sequence (colours, OSC 8 links,
cursor moves), a bidirectional override or bytes that are not UTF-8. ``visible`` writes each
such character as a backslash escape, the way Python's ``repr`` does, and leaves other text
as it is.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, surrogates (undecodable bytes of a file name), line and
# paragraph separators, bidirectional embeddings/overrides/isolates, non-characters
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                     "\ufdd0-\ufdef\ufffe\uffff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by the file system decoder
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, separator, bidi control, surrogate and
    non-character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``); a backslash stays."""
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text written with ``ensure_ascii=False`` whose lone surrogates (undecodable
    bytes of a file name) become ``\\udcXX`` escapes, so the output is valid UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
