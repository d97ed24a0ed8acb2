"""The brewery routes: list (filters, sort, pages), meta counts, random picks, by id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.brewery.catalog import BREWERY_TYPES
from mockapis.brewery.data import TABLE
from mockapis.brewery.errors import invalid
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "MAX_RANDOM", "ROUTES"]

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
"""The real API caps ``per_page`` at 200 (a larger value gives 200 rows, as it does there)."""
MAX_RANDOM = 50
MAX_INT = 2**31 - 1
"""The largest ``page``/``per_page``/``size`` read (the service's integer columns)."""
SORT_FIELDS = frozenset(
    {
        "id",
        "name",
        "brewery_type",
        "type",
        "city",
        "state",
        "state_province",
        "postal_code",
        "country",
        "street",
        "address_1",
        "phone",
        "website_url",
        "longitude",
        "latitude",
    }
)


def _norm(value: str) -> str:
    """Query values use ``_`` (or ``%20``) for spaces and match case-insensitively."""
    return " ".join(value.replace("_", " ").split()).casefold()


def _positive(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_INT:
        raise invalid(f"{name} must be a positive integer (at most {MAX_INT}); got {raw!r}")
    value = int(raw)
    return min(value, maximum) if maximum is not None else value


def _equals(field: str, raw: str) -> Callable[[Record], bool]:
    want = _norm(raw)
    return lambda r: _norm(r[field]) == want


def _contains(field: str, raw: str) -> Callable[[Record], bool]:
    want = _norm(raw)
    return lambda r: want in _norm(r[field])


def _filters(request: Request) -> list[Callable[[Record], bool]]:
    params = request.query_params
    tests: list[Callable[[Record], bool]] = []
    if (kind := params.get("by_type")) is not None:
        if kind not in BREWERY_TYPES:
            allowed = ", ".join(f'"{t}"' for t in BREWERY_TYPES)
            raise invalid(f"Brewery type must include one of these types: [{allowed}]")
        tests.append(lambda r: r["brewery_type"] == kind)
    if (state := params.get("by_state")) is not None:
        tests.append(_equals("state_province", state))
    if (city := params.get("by_city")) is not None:
        tests.append(_contains("city", city))
    if (name := params.get("by_name")) is not None:
        tests.append(_contains("name", name))
    if (country := params.get("by_country")) is not None:
        tests.append(_equals("country", country))
    if (postal := params.get("by_postal")) is not None:
        prefix = postal.replace("_", "-")
        tests.append(lambda r: bool(r["postal_code"].startswith(prefix)))
    if (ids := params.get("by_ids")) is not None:
        wanted = frozenset(ids.split(","))
        tests.append(lambda r: r["id"] in wanted)
    return tests


def _sort_key(spec: str | None) -> Callable[[Record], Any]:
    """``sort=field[:asc|:desc],...``; the default order is by name, then id."""
    keys: list[tuple[str, bool]] = []
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        field, _, direction = part.strip().partition(":")
        if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
            raise invalid(f"Invalid sort parameter: {part.strip()!r}")
        keys.append(("brewery_type" if field == "type" else field, direction == "desc"))
    keys.extend([("name", False), ("id", False)])

    def key(record: Record) -> Any:
        parts: list[Any] = []
        for field, desc in keys:
            value = record[field]
            text = "" if value is None else str(value).casefold()
            # Descending text: negate each code point so one ascending sort serves all keys.
            parts.append((*(-ord(c) for c in text), 1) if desc else text)
        return tuple(parts)

    return key


def matching(request: Request) -> list[Record]:
    """The breweries the request's filters select, in the requested order."""
    tests = _filters(request)
    rows = [r for r in world_of(request).table(TABLE).values() if all(t(r) for t in tests)]
    rows.sort(key=_sort_key(request.query_params.get("sort")))
    return rows


async def list_breweries(request: Request) -> Response:
    """``GET /v1/breweries``: one page of the matching breweries (past the end: ``[]``)."""
    page = _positive(request, "page", 1)
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    rows = matching(request)
    start = (page - 1) * per_page
    return JSONResponse(rows[start : start + per_page])


async def meta(request: Request) -> Response:
    """``GET /v1/breweries/meta``: how many breweries match, and their counts by state and type."""
    page = _positive(request, "page", 1)
    per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    rows = matching(request)
    return JSONResponse(
        {
            "total": len(rows),
            "page": page,
            "per_page": per_page,
            "by_state": dict(sorted(Counter(r["state_province"] for r in rows).items())),
            "by_type": dict(sorted(Counter(r["brewery_type"] for r in rows).items())),
        }
    )


async def random_breweries(request: Request) -> Response:
    """``GET /v1/breweries/random``: ``size`` (at most 50) breweries drawn with the episode's
    RNG, so that a seed replays the same draws."""
    size = _positive(request, "size", 1, MAX_RANDOM)
    table = world_of(request).table(TABLE)
    keys = sorted(table)
    picks = world_of(request).rng.sample(keys, min(size, len(keys)))
    return JSONResponse([table[k] for k in picks])


async def get_brewery(request: Request) -> Response:
    """``GET /v1/breweries/{obdb_id}``."""
    record = world_of(request).table(TABLE).get(request.path_params["obdb_id"])
    if record is None:
        raise ApiError(404, "Couldn't find Brewery", code="not_found")
    return JSONResponse(record)


ROUTES = [
    Route("/v1/breweries", list_breweries, methods=["GET"]),
    Route("/v1/breweries/meta", meta, methods=["GET"]),
    Route("/v1/breweries/random", random_breweries, methods=["GET"]),
    Route("/v1/breweries/{obdb_id}", get_brewery, methods=["GET"]),
]
"""The brewery operations (the literal paths before ``{obdb_id}``)."""
