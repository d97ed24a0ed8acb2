"""HTTP range requests (RFC 9110 section 14): one ``bytes`` range per request."""

from __future__ import annotations

import re

from mockapis.kit.errors import ApiError

__all__ = ["parse_range"]

_SPEC = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte positions a ``Range`` header asks for, or None to
    send the whole file (no header, a syntactically invalid one, or several ranges: a server
    may ignore those); 416 when the range starts past the end."""
    if header is None:
        return None
    match = _SPEC.match(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # a suffix: the last N bytes
        count = int(last_text)
        if count == 0 or size == 0:
            raise _unsatisfiable(header, size)
        return max(0, size - count), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # invalid: ignored
    if first >= size:
        raise _unsatisfiable(header, size)
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


def _unsatisfiable(header: str, size: int) -> ApiError:
    return ApiError(
        416,
        f"Range {header.strip()!r} is not satisfiable: the file is {size} bytes.",
        code="range_not_satisfiable",
        headers={"Content-Range": f"bytes */{size}"},
    )
