"""The beer routes: the paged, filtered list, a random beer, and a beer by id."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.punk.data import TABLE, key
from mockapis.punk.errors import invalid_param
from mockapis.tables import Record

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "ROUTES"]

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 80
_NUMBER = re.compile(r"\d+(\.\d+)?")
_MONTH_YEAR = re.compile(r"(0[1-9]|1[0-2])-(\d{4})")
_RANGES = ("abv", "ibu", "ebc")
_TEXT: dict[str, Callable[[Record], list[str]]] = {
    "beer_name": lambda b: [b["name"]],
    "yeast": lambda b: [b["ingredients"]["yeast"]],
    "hops": lambda b: [h["name"] for h in b["ingredients"]["hops"]],
    "malt": lambda b: [m["name"] for m in b["ingredients"]["malt"]],
    "food": lambda b: b["food_pairing"],
}


def _int_param(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        msg = "Must be a number greater than 0"
        raise invalid_param(
            "query", name, msg + (f" and less than {maximum}" if maximum else ""), raw
        )
    return int(raw)


def _month_index(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    match = _MONTH_YEAR.fullmatch(raw)
    if match is None:
        raise invalid_param("query", name, "Must be a date in the format mm-yyyy", raw)
    return int(match.group(2)) * 12 + int(match.group(1))


def _brewed(beer: Record) -> int:
    month, year = beer["first_brewed"].split("/")
    return int(year) * 12 + int(month)


def _compare(field: str, suffix: str, bound: float) -> Callable[[Record], bool]:
    if suffix == "gt":
        return lambda b: b[field] is not None and bool(b[field] > bound)
    return lambda b: b[field] is not None and bool(b[field] < bound)


def _mentions(values: Callable[[Record], list[str]], raw: str) -> Callable[[Record], bool]:
    want = raw.replace("_", " ").casefold()
    return lambda b: any(want in s.casefold() for s in values(b))


def _filters(request: Request) -> list[Callable[[Record], bool]]:
    params = request.query_params
    tests: list[Callable[[Record], bool]] = []
    for field in _RANGES:
        for suffix in ("gt", "lt"):
            name = f"{field}_{suffix}"
            raw = params.get(name)
            if raw is None:
                continue
            if not _NUMBER.fullmatch(raw):
                raise invalid_param("query", name, "Must be a number greater than 0", raw)
            tests.append(_compare(field, suffix, float(raw)))
    for name, values in _TEXT.items():
        if (raw := params.get(name)) is not None:
            tests.append(_mentions(values, raw))
    before, after = _month_index(request, "brewed_before"), _month_index(request, "brewed_after")
    if before is not None:
        tests.append(lambda b: _brewed(b) < before)
    if after is not None:
        tests.append(lambda b: _brewed(b) > after)
    raw_ids = params.get("ids")
    if raw_ids is not None:
        parts = raw_ids.split("|")
        if not all(p.isdigit() for p in parts):
            raise invalid_param("query", "ids", "Must be a list of numbers separated by |", raw_ids)
        wanted = frozenset(int(p) for p in parts)
        tests.append(lambda b: b["id"] in wanted)
    return tests


async def list_beers(request: Request) -> Response:
    """``GET /v2/beers``: one page (``page`` from 1, ``per_page`` 1-80) of the matches, by id."""
    page = _int_param(request, "page", 1)
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    tests = _filters(request)
    table = world_of(request).table(TABLE)
    rows = [table[k] for k in sorted(table) if all(t(table[k]) for t in tests)]
    start = (page - 1) * per_page
    return JSONResponse(rows[start : start + per_page])


async def random_beer(request: Request) -> Response:
    """``GET /v2/beers/random``: one beer, drawn with the episode's RNG (replayable)."""
    table = world_of(request).table(TABLE)
    keys = sorted(table)
    return JSONResponse([table[world_of(request).rng.choice(keys)]] if keys else [])


async def get_beer(request: Request) -> Response:
    """``GET /v2/beers/{beer_id}``: a one-element list, as the real API answers."""
    raw = request.path_params["beer_id"]
    if not raw.isdigit() or int(raw) < 1:
        raise invalid_param("params", "beerId", "beerId must be a number and greater than 0", raw)
    beer = world_of(request).table(TABLE).get(key(int(raw))) if len(raw) <= 6 else None
    if beer is None:
        raise ApiError(404, f"No beer found that matches the ID {int(raw)}", code="not_found")
    return JSONResponse([beer])


ROUTES = [
    Route("/v2/beers", list_beers, methods=["GET"]),
    Route("/v2/beers/random", random_beer, methods=["GET"]),
    Route("/v2/beers/{beer_id}", get_beer, methods=["GET"]),
]
"""The beer operations (``random`` before ``{beer_id}``)."""
