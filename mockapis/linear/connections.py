"""Relay connections as Linear serves them: ``first``/``after``, ``last``/``before``, newest
first by ``createdAt`` (or ``updatedAt``), at most 250 a page, 50 by default.

Cursors are opaque keyset positions (the row's sort value and id), so that a page boundary
stays put when rows are added or removed between requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import decode_cursor, encode_cursor
from mockapis.linear.errors import LinearError, argument_error
from mockapis.tables import Record

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "connection"]

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 250

Key = tuple[str, str]


def _page_size(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if value < 1:
        raise argument_error(name, value, "min", f"{name} must not be less than 1")
    if value > MAX_PAGE_SIZE:
        raise argument_error(name, value, "max", f"{name} must not be greater than {MAX_PAGE_SIZE}")
    return int(value)


def _key(row: Record, order: str) -> Key:
    return (str(row.get(order) or ""), str(row["id"]))


def _decode(token: str, name: str) -> Key:
    try:
        payload = decode_cursor(token, param=name)
    except ApiError:
        payload = {}
    key, row_id = payload.get("key"), payload.get("id")
    if not isinstance(key, str) or not isinstance(row_id, str):
        raise LinearError(
            f"Invalid cursor in `{name}`",
            user_message="The cursor is invalid. Pass back a cursor from a previous page.",
        )
    return key, row_id


def connection(rows: Iterable[Record], args: Mapping[str, Any]) -> dict[str, Any]:
    """One page of ``rows`` per the connection arguments, as a ``...Connection`` object
    (``nodes``, ``edges`` and ``pageInfo``)."""
    first = _page_size("first", args.get("first"))
    last = _page_size("last", args.get("last"))
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    order = str(args.get("orderBy") or "createdAt")
    ordered = sorted(rows, key=lambda row: _key(row, order), reverse=True)
    keys = [_key(row, order) for row in ordered]
    start, end = 0, len(ordered)
    if args.get("after"):
        after = _decode(str(args["after"]), "after")
        start = sum(1 for key in keys if key >= after)
    if args.get("before"):
        before = _decode(str(args["before"]), "before")
        end = max(start, sum(1 for key in keys if key > before))
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    page = ordered[start:end]
    cursors = [encode_cursor({"key": keys[i][0], "id": keys[i][1]}) for i in range(start, end)]
    return {
        "nodes": page,
        "edges": [{"node": row, "cursor": c} for row, c in zip(page, cursors, strict=True)],
        "pageInfo": {
            "hasPreviousPage": start > 0,
            "hasNextPage": end < len(ordered),
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }
