"""Pagination styles: page number, offset/limit, opaque and keyset cursors, RFC 8288 links."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request

from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import query_int

__all__ = [
    "KeysetPage",
    "NumberedPage",
    "OffsetPage",
    "check_range",
    "decode_cursor",
    "encode_cursor",
    "link_header",
    "offset_params",
    "page_links",
    "page_params",
    "paginate_keyset",
    "paginate_offset",
    "paginate_pages",
    "with_query",
]

T = TypeVar("T")

_CURSOR_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def check_range(name: str, value: int, *, minimum: int = 1, maximum: int | None = None) -> int:
    """``value`` if ``minimum <= value <= maximum``, else 400 stating the bounds."""
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ApiError(400, f"{name} must be {bounds}; got {value}.", code="validation_type")
    return value


# -- page number ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberedPage(Generic[T]):
    """One page of a page-number listing (``page`` is 1-based)."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def last_page(self) -> int:
        """The number of the last page (1 for an empty listing)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def next_page(self) -> int | None:
        """The next page's number, or ``None`` on (or past) the last page."""
        return self.page + 1 if self.page < self.last_page else None

    @property
    def prev_page(self) -> int | None:
        """The previous page's number, or ``None`` on the first page."""
        return min(self.page - 1, self.last_page) if self.page > 1 else None


def paginate_pages(
    items: Sequence[T], *, page: int = 1, per_page: int = 30, max_per_page: int = 100
) -> NumberedPage[T]:
    """The ``page``-th slice of ``per_page`` items; a page past the last one is empty."""
    check_range("page", page, minimum=1)
    check_range("per_page", per_page, minimum=1, maximum=max_per_page)
    start = (page - 1) * per_page
    return NumberedPage(list(items[start : start + per_page]), page, per_page, len(items))


def page_params(
    request: Request,
    *,
    default_per_page: int = 30,
    max_per_page: int = 100,
    page_param: str = "page",
    per_page_param: str = "per_page",
) -> tuple[int, int]:
    """``(page, per_page)`` from the query string, 400 when out of bounds."""
    page = query_int(request, page_param, 1, minimum=1)
    per_page = query_int(request, per_page_param, default_per_page, minimum=1, maximum=max_per_page)
    return page, per_page


# -- offset / limit ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OffsetPage(Generic[T]):
    """One window of an offset/limit listing."""

    items: list[T]
    offset: int
    limit: int
    total: int

    @property
    def has_more(self) -> bool:
        """Whether items remain after this window."""
        return self.offset + len(self.items) < self.total

    @property
    def next_offset(self) -> int | None:
        """The offset of the next window, or ``None`` when this one is the last."""
        return self.offset + len(self.items) if self.has_more else None


def paginate_offset(
    items: Sequence[T],
    *,
    offset: int = 0,
    limit: int = 20,
    max_limit: int = 100,
    max_offset: int | None = None,
) -> OffsetPage[T]:
    """Items ``offset .. offset + limit``; an offset past the end gives an empty window."""
    check_range("offset", offset, minimum=0, maximum=max_offset)
    check_range("limit", limit, minimum=1, maximum=max_limit)
    return OffsetPage(list(items[offset : offset + limit]), offset, limit, len(items))


def offset_params(
    request: Request,
    *,
    default_limit: int = 20,
    max_limit: int = 100,
    max_offset: int | None = None,
    offset_param: str = "offset",
    limit_param: str = "limit",
) -> tuple[int, int]:
    """``(offset, limit)`` from the query string, 400 when out of bounds."""
    offset = query_int(request, offset_param, 0, minimum=0, maximum=max_offset)
    limit = query_int(request, limit_param, default_limit, minimum=1, maximum=max_limit)
    return offset, limit


# -- opaque cursors ------------------------------------------------------------------------


def encode_cursor(payload: Mapping[str, Any]) -> str:
    """An opaque cursor: URL-safe base64 (no padding) of compact, key-sorted JSON."""
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, *, param: str = "cursor", max_length: int = 4096) -> dict[str, Any]:
    """The payload of a cursor made by :func:`encode_cursor`; anything else is a 400."""
    if len(token) > max_length:
        raise _invalid_cursor(param, f"it is {len(token)} characters long; at most {max_length}")
    if not _CURSOR_ALPHABET.fullmatch(token):
        raise _invalid_cursor(param, "it is not URL-safe base64")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers malformed JSON and integers beyond the digit limit.
        raise _invalid_cursor(param, "it does not decode to a cursor") from None
    if not isinstance(payload, dict):
        raise _invalid_cursor(param, "it does not decode to a cursor")
    return payload


def _invalid_cursor(param: str, why: str) -> ApiError:
    return ApiError(
        400,
        f"invalid cursor in {param}: {why}. "
        "Pass back the cursor from a previous response unchanged.",
        code="invalid_cursor",
    )


# -- keyset (Stripe style) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeysetPage:
    """Ids of one page of a keyset listing and whether more exist in the direction of travel."""

    ids: list[str]
    has_more: bool


def paginate_keyset(
    ids: Sequence[str],
    *,
    limit: int = 10,
    starting_after: str | None = None,
    ending_before: str | None = None,
    max_limit: int = 100,
) -> KeysetPage:
    """A page of the ordered ``ids`` in the Stripe style.

    ``starting_after`` gives the ``limit`` ids that follow it; ``ending_before`` the ``limit`` ids
    that precede it (in list order), with ``has_more`` telling whether any remain before them.
    Both at once, or an id not in the list, is a 400 naming the parameter.
    """
    check_range("limit", limit, minimum=1, maximum=max_limit)
    if starting_after is not None and ending_before is not None:
        raise ApiError(
            400,
            "You may only specify one of these parameters: starting_after, ending_before.",
            code="validation_type",
        )
    if ending_before is not None:
        end = _position(ids, ending_before, "ending_before")
        start = max(0, end - limit)
        return KeysetPage(list(ids[start:end]), start > 0)
    start = 0 if starting_after is None else _position(ids, starting_after, "starting_after") + 1
    end = start + limit
    return KeysetPage(list(ids[start:end]), end < len(ids))


def _position(ids: Sequence[str], key: str, param: str) -> int:
    try:
        return ids.index(key)
    except ValueError:
        raise ApiError(
            400,
            f"{param}: no object with id {key!r} in this list.",
            code="resource_missing",
            extra={"param": param},
        ) from None


# -- RFC 8288 Link header ------------------------------------------------------------------


def with_query(url: str, /, **params: object) -> str:
    """``url`` with ``params`` set in its query, keeping the other parameters and their order."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    updated: list[tuple[str, str]] = []
    pending = {name: str(value) for name, value in params.items()}
    for name, value in pairs:
        if name in params:
            if name in pending:
                updated.append((name, pending.pop(name)))
            continue  # a repeated parameter collapses onto the first occurrence
        updated.append((name, value))
    updated.extend(pending.items())
    return urlunsplit(parts._replace(query=urlencode(updated)))


def link_header(links: Mapping[str, str]) -> str:
    """An RFC 8288 ``Link`` value from ``rel -> url``, e.g. ``<url>; rel="next"``."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


def page_links(url: str, page: int, last_page: int, *, page_param: str = "page") -> str | None:
    """GitHub's ``Link`` value for page ``page`` of ``last_page`` (``None`` if only one page).

    ``prev`` and ``first`` appear past the first page, ``next`` and ``last`` before the last one,
    in GitHub's order; every URL keeps the request's other query parameters.
    """
    links: dict[str, str] = {}
    if page > 1:
        links["prev"] = with_query(url, **{page_param: min(page - 1, last_page)})
    if page < last_page:
        links["next"] = with_query(url, **{page_param: page + 1})
        links["last"] = with_query(url, **{page_param: last_page})
    if page > 1:
        links["first"] = with_query(url, **{page_param: 1})
    return link_header(links) if links else None
