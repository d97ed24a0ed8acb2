"""Reference solutions of the Stripe scenarios: HTTP only, through the public API.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
``first_page_only`` is the classic mistake (one page, no ``starting_after``) that every
scenario must defeat.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Solution, auth_headers, expect_json, request, restarts, send

MAX_LIMIT = 100  # Stripe's largest page

Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


class Api:
    """The Stripe base URL and secret key of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["stripe"]
        self.headers = auth_headers(task["credentials"]["stripe"])

    def get(self, path: str, params: list[tuple[str, Any]]) -> dict[str, Any]:
        """A GET action with a bracket-notation query string."""
        query = urlencode(params)
        return request("GET", f"{self.base}{path}?{query}", headers=self.headers)


@restarts
def list_all(api: Api, path: str, params: list[tuple[str, Any]], *, pages: int = 0) -> Paged:
    """Every object of a list, following ``starting_after`` while ``has_more`` (``pages``:
    stop after that many, 0 for no limit); from the first page again if a cursor expires."""
    found: list[dict[str, Any]] = []
    after: list[tuple[str, Any]] = []
    count = 0
    while True:
        page = expect_json((yield from send(api.get(path, [*params, *after]))))
        found.extend(page["data"])
        count += 1
        if not page["has_more"] or not page["data"] or count == pages:
            return found
        after = [("starting_after", page["data"][-1]["id"])]


@restarts
def search_all(api: Api, path: str, query: str, *, pages: int = 0) -> Paged:
    """Every result of a search, following ``next_page`` tokens (from the first page again
    if a token expires)."""
    found: list[dict[str, Any]] = []
    token: list[tuple[str, Any]] = []
    count = 0
    while True:
        params = [("query", query), ("limit", MAX_LIMIT), *token]
        page = expect_json((yield from send(api.get(path, params))))
        found.extend(page["data"])
        count += 1
        if not page["has_more"] or count == pages:
            return found
        token = [("page", page["next_page"])]


def all_customers(task: dict[str, Any]) -> Solution:
    """Walk the customer list with the largest pages; ids as listed."""
    customers = yield from list_all(Api(task), "/v1/customers", [("limit", MAX_LIMIT)])
    yield {"submit": [c["id"] for c in customers]}


def active_products(task: dict[str, Any]) -> Solution:
    """Filter on ``active=true`` and walk the pages."""
    api = Api(task)
    products = yield from list_all(api, "/v1/products", [("active", "true"), ("limit", MAX_LIMIT)])
    yield {"submit": [p["id"] for p in products]}


def customers_in_segment(task: dict[str, Any]) -> Solution:
    """Search on the metadata field, following ``next_page``."""
    query = f"metadata['segment']:'{task['inputs']['segment']}'"
    customers = yield from search_all(Api(task), "/v1/customers/search", query)
    yield {"submit": [c["id"] for c in customers]}


def net_revenue(task: dict[str, Any]) -> Solution:
    """Charge transactions of the window (``created`` filter), net summed, cents to dollars."""
    inputs = task["inputs"]
    params = [
        ("type", "charge"),
        ("created[gte]", inputs["start"]),
        ("created[lt]", inputs["end"]),
        ("limit", MAX_LIMIT),
    ]
    txns = yield from list_all(Api(task), "/v1/balance_transactions", params)
    yield {"submit": round(sum(t["net"] for t in txns) / 100, 2)}


def first_page_only(task: dict[str, Any]) -> Solution:
    """The naive client: the first page at the default size, whatever the task."""
    api = Api(task)
    inputs = task["inputs"]
    if "segment" in inputs:
        query = f"metadata['segment']:'{inputs['segment']}'"
        found = yield from search_all(api, "/v1/customers/search", query, pages=1)
        yield {"submit": [c["id"] for c in found]}
    elif "start" in inputs:
        params = [("type", "charge"), ("created[gte]", inputs["start"])]
        params.append(("created[lt]", inputs["end"]))
        txns = expect_json((yield from send(api.get("/v1/balance_transactions", params))))
        yield {"submit": round(sum(t["net"] for t in txns["data"]) / 100, 2)}
    else:
        path = "/v1/products" if "products" in task["instruction"] else "/v1/customers"
        size = [("limit", MAX_LIMIT)] if path == "/v1/customers" else []
        page = expect_json((yield from send(api.get(path, size))))
        yield {"submit": [o["id"] for o in page["data"] if o.get("active", True)]}
