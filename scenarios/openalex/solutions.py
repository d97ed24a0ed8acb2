"""Reference (and first-page-only) solutions of the OpenAlex scenarios: HTTP only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Exchange, Solution, expect_json, request, restarts, send

PER_PAGE = 200


@restarts
def _year_works(task: dict[str, Any], *, first_only: bool = False) -> Exchange:
    """Every work of the task's year by cursor paging (``cursor=*``, then ``next_cursor``;
    from ``cursor=*`` again if a cursor expires)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = "*"
    while cursor is not None:
        query = urlencode(
            {
                "filter": f"publication_year:{task['inputs']['year']}",
                "per-page": PER_PAGE,
                "cursor": cursor,
            }
        )
        body = expect_json(
            (yield from send(request("GET", f"{task['services']['openalex']}/works?{query}")))
        )
        found.extend(body["results"])
        cursor = None if first_only else body["meta"]["next_cursor"]
    return {"works": found}


def _metric(work: dict[str, Any], metric: str) -> int:
    return int(work["cited_by_count"]) if metric == "citations" else len(work["authorships"])


def year_total(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Add up the asked metric over every work of the year."""
    found = yield from _year_works(task, first_only=first_only)
    metric = task["inputs"]["metric"]
    yield {"submit": sum(_metric(w, metric) for w in found["works"])}


def year_total_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    return year_total(task, first_only=True)


def year_work_ids(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """The short ids (W...) of every work of the year."""
    found = yield from _year_works(task, first_only=first_only)
    yield {"submit": [w["id"].rsplit("/", 1)[1] for w in found["works"]]}


def year_work_ids_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    return year_work_ids(task, first_only=True)


def year_work_ids_by_page(task: dict[str, Any]) -> Solution:
    """Basic paging with ``page`` (fine below the 10,000 cap): pages until a short one."""
    ids = yield from _ids_by_page(task)
    yield {"submit": ids["ids"]}


@restarts
def _ids_by_page(task: dict[str, Any]) -> Exchange:
    """The short ids of the year's works, ``page`` by ``page`` (from page 1 again if a page
    number expires); ``{"ids": [...]}``."""
    ids: list[str] = []
    page = 1
    while True:
        query = urlencode(
            {
                "filter": f"publication_year:{task['inputs']['year']}",
                "per-page": PER_PAGE,
                "page": page,
            }
        )
        body = expect_json(
            (yield from send(request("GET", f"{task['services']['openalex']}/works?{query}")))
        )
        ids.extend(w["id"].rsplit("/", 1)[1] for w in body["results"])
        if len(body["results"]) < PER_PAGE:
            return {"ids": ids}
        page += 1
