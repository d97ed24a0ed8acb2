"""The works routes: ``/works`` (filter, sort, select, basic and cursor paging) and one work."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import decode_cursor, encode_cursor
from mockapis.kit.responses import JSONResponse
from mockapis.openalex.data import TABLE, key
from mockapis.openalex.errors import invalid
from mockapis.openalex.filters import parse_filter, sort_key
from mockapis.tables import Record

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "MAX_RESULTS", "ROUTES"]

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
MAX_RESULTS = 10_000
"""Basic paging reaches only the first 10,000 results; beyond them, cursor paging is needed."""
CAP_MESSAGE = (
    "Maximum results size of 10,000 records is exceeded. Cursor pagination is required for "
    "records beyond 10,000. See: "
    "https://docs.openalex.org/how-to-use-the-api/get-lists-of-entities/paging#cursor-paging"
)
_ACCEPTED = frozenset(
    {"filter", "sort", "select", "per-page", "per_page", "page", "cursor", "mailto", "api_key"}
)
_KNOWN_ELSEWHERE = frozenset({"search", "group_by", "group-by", "sample", "seed"})


def _check_params(request: Request) -> None:
    for name in request.query_params:
        if name in _KNOWN_ELSEWHERE:
            raise invalid(f"{name} is not supported by this simulation of OpenAlex.")
        if name not in _ACCEPTED:
            raise invalid(
                f"{name} is not a valid parameter. Valid parameters are: "
                + ", ".join(sorted(_ACCEPTED | _KNOWN_ELSEWHERE))
            )


def _int(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid(f"{name} parameter must be a number {bounds}; got {raw!r}.")
    return int(raw)


def _select(request: Request, rows: list[Record]) -> list[Record]:
    raw = request.query_params.get("select")
    if raw is None:
        return rows
    fields = [f.strip() for f in raw.split(",") if f.strip()]
    sample = rows[0] if rows else None
    allowed = set(sample) if sample is not None else {"id"}
    for field in fields:
        if sample is not None and field not in allowed:
            raise invalid(f"{field} is not a valid select field.")
    return [{f: row[f] for f in fields} for row in rows]


def _query_digest(request: Request) -> str:
    """Which listing a cursor belongs to: its filter and sort."""
    params = request.query_params
    raw = f"{params.get('filter', '')}\n{params.get('sort', '')}"
    return hashlib.blake2b(raw.encode(), digest_size=6).hexdigest()


async def list_works(request: Request) -> Response:
    """``GET /works``: basic paging (``page``, first 10,000) or cursor paging (``cursor=*``)."""
    _check_params(request)
    per_name = "per-page" if "per-page" in request.query_params else "per_page"
    per_page = _int(request, per_name, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    cursor = request.query_params.get("cursor")
    page: int | None = None
    if cursor is not None and "page" in request.query_params:
        raise invalid("Cannot use page parameter with cursor pagination.")
    if cursor is None:
        page = _int(request, "page", 1, 1, None)
        if page * per_page > MAX_RESULTS:
            raise invalid(CAP_MESSAGE)
        offset = (page - 1) * per_page
    elif cursor == "*":
        offset = 0
    else:
        payload = decode_cursor(cursor, param="cursor")
        found = payload.get("o")
        if payload.get("q") != _query_digest(request) or not isinstance(found, int) or found < 0:
            raise invalid("Invalid cursor: pass back the next_cursor of the same query unchanged.")
        offset = found
    predicates = parse_filter(request.query_params.get("filter"))
    order = sort_key(request.query_params.get("sort"))
    table = world_of(request).table(TABLE)
    rows = [table[k] for k in sorted(table) if all(p(table[k]) for p in predicates)]
    if order is not None:
        rows.sort(key=order[0], reverse=order[1])
    results = rows[offset : offset + per_page]
    meta: dict[str, Any] = {
        "count": len(rows),
        "db_response_time_ms": 11,
        "page": page,
        "per_page": per_page,
        "groups_count": None,
    }
    if cursor is not None:
        done = not results
        meta["next_cursor"] = (
            None
            if done
            else encode_cursor({"o": offset + len(results), "q": _query_digest(request)})
        )
    return JSONResponse({"meta": meta, "results": _select(request, results), "group_by": []})


async def get_work(request: Request) -> Response:
    """``GET /works/{work_id}``: by its short id, ``W123``."""
    raw = request.path_params["work_id"]
    ident = raw.rsplit("/", 1)[-1].upper()
    work = None
    if ident.startswith("W") and ident[1:].isdigit() and len(ident) <= 13:
        work = world_of(request).table(TABLE).get(key(int(ident[1:])))
    if work is None:
        raise ApiError(404, f"The work {raw!r} does not exist.", code="not_found")
    return JSONResponse(work)


ROUTES = [
    Route("/works", list_works, methods=["GET"]),
    Route("/works/{work_id}", get_work, methods=["GET"]),
]
"""The works operations."""
