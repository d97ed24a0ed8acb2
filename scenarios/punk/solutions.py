"""Reference (and first-page-only) solutions of the PunkAPI scenarios: HTTP only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Exchange, Solution, expect_json, request, restarts, send

MAX_PER_PAGE = 80


@restarts
def _beers(task: dict[str, Any], *, first_only: bool = False, **filters: Any) -> Exchange:
    """Every beer matching ``filters``, 80 a page until a short page (from the first page
    again if a page number expires)."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        query = urlencode({**filters, "page": page, "per_page": MAX_PER_PAGE})
        obs = yield from send(request("GET", f"{task['services']['punk']}/v2/beers?{query}"))
        rows = expect_json(obs)
        found.extend(rows)
        if first_only or len(rows) < MAX_PER_PAGE:
            return {"beers": found}
        page += 1


def every_beer(task: dict[str, Any]) -> Solution:
    """Walk the whole catalogue; submit the asked field of each beer."""
    field = task["inputs"]["field"]
    found = yield from _beers(task)
    yield {"submit": [beer[field] for beer in found["beers"]]}


def every_beer_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    field = task["inputs"]["field"]
    found = yield from _beers(task, first_only=True)
    yield {"submit": [beer[field] for beer in found["beers"]]}


def strong_beers(task: dict[str, Any]) -> Solution:
    """Filter on the server with ``abv_gt`` and walk every page of the matches."""
    found = yield from _beers(task, abv_gt=task["inputs"]["abv"])
    yield {"submit": [beer["name"] for beer in found["beers"]]}


def strong_beers_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page of the matches only."""
    found = yield from _beers(task, first_only=True, abv_gt=task["inputs"]["abv"])
    yield {"submit": [beer["name"] for beer in found["beers"]]}


def _summary(beers: list[dict[str, Any]], field: str) -> dict[str, Any]:
    return {"total_count": len(beers), "first": beers[0][field], "last": beers[-1][field]}


def catalogue_summary(task: dict[str, Any]) -> Solution:
    """Walk the whole catalogue; count it and name its first and last beer."""
    found = yield from _beers(task)
    yield {"submit": _summary(found["beers"], task["inputs"]["field"])}


def catalogue_summary_first_page(task: dict[str, Any]) -> Solution:
    """Naive: summarise the first page only."""
    found = yield from _beers(task, first_only=True)
    yield {"submit": _summary(found["beers"], task["inputs"]["field"])}
