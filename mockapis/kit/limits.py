"""What a real HTTP server refuses before any application sees the request, refused the same
way in process and served: :meth:`~mockapis.gateway.Gateway.dispatch` checks every request
head with :func:`refusal`, and served mode's protocol
(:class:`~mockapis.sockets.FaultingHttpToolsProtocol`) stops reading at the same limits.

A header name or value with CR, LF or NUL cannot be sent in HTTP/1.1 (a server answers 400:
it would be a smuggled header); a request target longer than :data:`MAX_TARGET` gets 414, a
header line longer than :data:`MAX_FIELD` or a header section longer than :data:`MAX_HEAD`
gets 431. The limits are nginx's and Node's defaults (8 KiB a line, 32 KiB a section), which
the real APIs' front ends are at least as strict as.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

__all__ = [
    "BAD_HEADER",
    "FIELD_TOO_LONG",
    "HEAD_TOO_LONG",
    "MAX_FIELD",
    "MAX_HEAD",
    "MAX_TARGET",
    "TARGET_TOO_LONG",
    "refusal",
]

MAX_TARGET = 8192
"""Bytes of the request target (path and query) a server reads: 414 URI Too Long beyond."""
MAX_FIELD = 8192
"""Bytes of one header line (name, ``": "``, value, CRLF): 431 beyond."""
MAX_HEAD = 32768
"""Bytes of the whole header section: 431 beyond."""

TARGET_TOO_LONG = f"URI Too Long: the request target exceeds {MAX_TARGET} bytes"
FIELD_TOO_LONG = f"Request Header Fields Too Large: a header line exceeds {MAX_FIELD} bytes"
HEAD_TOO_LONG = f"Request Header Fields Too Large: the headers exceed {MAX_HEAD} bytes"
BAD_HEADER = "Invalid HTTP request received: CR, LF or NUL in a header"


def refusal(scope: Mapping[str, Any]) -> tuple[int, str] | None:
    """The status and reason a server would refuse this request's head with, or ``None``."""
    path = scope.get("raw_path") or str(scope["path"]).encode("latin-1", "replace")
    if len(path) + 1 + len(scope.get("query_string", b"")) > MAX_TARGET:
        return 414, TARGET_TOO_LONG
    # On every step: one join and three substring scans in C, not a Python loop per header.
    headers = scope["headers"]
    joined = b"".join(chain.from_iterable(headers))
    if b"\r" in joined or b"\n" in joined or b"\x00" in joined:
        return 400, BAD_HEADER
    total = len(joined) + 4 * len(headers)
    if total > MAX_FIELD:  # only then can one line be over the limit
        if any(len(name) + len(value) + 4 > MAX_FIELD for name, value in headers):
            return 431, FIELD_TOO_LONG
        if total > MAX_HEAD:
            return 431, HEAD_TOO_LONG
    return None
