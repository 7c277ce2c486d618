"""The language server's input, read as LSP frames: ``Content-Length: N`` headers, a blank
line, then N bytes of JSON.

pygls reads any decimal length and asks for that many bytes at once: ``99999999999999999999``
is an ``OverflowError`` traceback, ``100000000000`` a ``MemoryError``, and a header it does not
match (``-5``, ``abc``, ``content-length``) is skipped silently, so the body is then read as
headers. ``FramedInput`` stands between stdin and pygls: it checks each header block and
hands pygls only well-formed ones (the length header in the one spelling pygls matches);
anything else raises ``UsageError`` with one line that says what was wrong, before a byte of
the body is read or allocated.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from archgen.errors import UsageError

# The largest message accepted, like the build manifest's cap: a spec is at most
# --max-bytes (2 MiB by default, 1 GiB at most), and JSON-escaped text in a didOpen or
# didChange stays far below this.
MAX_MESSAGE_BYTES = 64 << 20
MAX_HEADER_LINE = 1024  # bytes, line break included
MAX_HEADERS = 32  # lines in one header block

_HEADER = re.compile(rb"([!-9;-~]+):[ \t]*(.*?)[ \t]*\r?\n")
HINT = "the client must send `Content-Length: N` (N decimal bytes, at most 64 MiB), a blank line, then N bytes"


class FramedInput:
    """A binary reader with the ``readline``/``read`` pygls calls, which refuses bad frames."""

    def __init__(self, stream: BinaryIO, max_message: int = MAX_MESSAGE_BYTES) -> None:
        self.stream = stream
        self.max_message = max_message
        self.length: int | None = None  # the length announced in the header block being read
        self.headers = 0
        self.messages = 0  # complete messages read, for the error message

    def readline(self) -> bytes:
        """The next header line; a blank line ends the block and needs a length before it."""
        line = self.stream.readline(MAX_HEADER_LINE)
        if not line:
            if self.length is not None or self.headers:
                raise self._error("the input ended inside a message's headers")
            return b""  # end of input between messages: the client is gone
        if not line.endswith(b"\n"):
            if len(line) >= MAX_HEADER_LINE:
                raise self._error(f"a header line is longer than {MAX_HEADER_LINE} bytes")
            raise self._error("the input ended inside a message's headers")
        if line in (b"\r\n", b"\n"):
            if self.length is None:
                raise self._error("a message has no Content-Length header")
            return line
        self.headers += 1
        if self.headers > MAX_HEADERS:
            raise self._error(f"a message has more than {MAX_HEADERS} header lines")
        match = _HEADER.fullmatch(line)
        if match is None:
            raise self._error(f"a header line is not `Name: value`: {_shown(line)}")
        name, value = match.groups()
        if name.lower() != b"content-length":
            return line  # Content-Type and others: pygls ignores them too
        if self.length is not None:
            raise self._error("a message has two Content-Length headers")
        self.length = self._length(value)
        return b"Content-Length: %d\r\n" % self.length

    def read(self, size: int) -> bytes:
        """The body: exactly the announced length, never more than the cap."""
        if self.length is None or size != self.length:  # pragma: no cover - pygls reads what was announced
            raise self._error("a message body was read without its header")
        body = self.stream.read(size)
        if len(body) < size:
            raise self._error(f"the input ended {len(body):,} bytes into a body of {size:,} bytes")
        self.length, self.headers = None, 0
        self.messages += 1
        return body

    def _length(self, value: bytes) -> int:
        if not value.isdigit() or not value.isascii():
            raise self._error(f"the Content-Length {_shown(value)} is not a number of bytes")
        digits = value.lstrip(b"0") or b"0"
        if len(digits) > len(str(self.max_message)) or int(digits) > self.max_message:
            raise self._error(f"the Content-Length {_shown(value)} is more than the limit of "
                              f"{self.max_message:,} bytes")
        if digits == b"0":
            raise self._error("the Content-Length is 0; a message is a JSON object")
        return int(digits)

    def _error(self, what: str) -> UsageError:
        return UsageError(f"lsp: {what} (after {self.messages} message(s)); the server stops", hint=HINT)


def _shown(raw: bytes, limit: int = 40) -> str:
    """Bytes from the client, shown on one line whatever they hold."""
    text = raw.rstrip(b"\r\n").decode("ascii", "backslashreplace")
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return repr(text if len(text) <= limit else text[:limit] + "…")
