"""Reference (and first-page-only) solutions of the Open Brewery DB scenarios: HTTP only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Exchange, Solution, expect_json, request, restarts, send

MAX_PER_PAGE = 200


def _get(task: dict[str, Any], path: str, **params: Any) -> Exchange:
    url = f"{task['services']['brewery']}{path}?{urlencode(params)}"
    return (yield from send(request("GET", url)))


def _state_param(task: dict[str, Any]) -> str:
    return str(task["inputs"]["state"]).lower().replace(" ", "_")


@restarts
def _pages(task: dict[str, Any], *, first_only: bool = False) -> Exchange:
    """Every brewery of the task's state, 200 a page until a short page (from page 1 again
    if a page number expires)."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        obs = yield from _get(
            task, "/v1/breweries", by_state=_state_param(task), per_page=MAX_PER_PAGE, page=page
        )
        rows = expect_json(obs)
        found.extend(rows)
        if first_only or len(rows) < MAX_PER_PAGE:
            return {"rows": found}
        page += 1


def count_in_state(task: dict[str, Any]) -> Solution:
    """Ask ``/v1/breweries/meta`` for the state's total."""
    obs = yield from _get(task, "/v1/breweries/meta", by_state=_state_param(task))
    yield {"submit": int(expect_json(obs)["total"])}


def count_in_state_by_pages(task: dict[str, Any]) -> Solution:
    """Count the state's breweries by walking every page."""
    found = yield from _pages(task)
    yield {"submit": len(found["rows"])}


def count_in_state_first_page(task: dict[str, Any]) -> Solution:
    """Naive: count the rows of the first (largest) page only."""
    found = yield from _pages(task, first_only=True)
    yield {"submit": len(found["rows"])}


def all_in_state(task: dict[str, Any]) -> Solution:
    """Walk every page of the state's breweries; submit their ids."""
    found = yield from _pages(task)
    yield {"submit": [row["id"] for row in found["rows"]]}


def all_in_state_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the ids on the first page only."""
    found = yield from _pages(task, first_only=True)
    yield {"submit": [row["id"] for row in found["rows"]]}
