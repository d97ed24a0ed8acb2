"""Reference (and first-page-only) solutions of the storefront scenarios: HTTP only."""

from __future__ import annotations

from typing import Any

from gym_apibench.solving import Exchange, Solution, expect_json, request, restarts, send

LIMIT = 250


@restarts
def _of_type(task: dict[str, Any], *, first_only: bool = False) -> Exchange:
    """The products of the task's type, walking ``page`` until a short page (from page 1
    again if a page number expires)."""
    kind = task["inputs"]["product_type"]
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        url = f"{task['services']['shopify']}/products.json?limit={LIMIT}&page={page}"
        products = expect_json((yield from send(request("GET", url))))["products"]
        found.extend(p for p in products if p["product_type"] == kind)
        if first_only or len(products) < LIMIT:
            return {"products": found}
        page += 1


def _totals(products: list[dict[str, Any]]) -> dict[str, int]:
    return {"products": len(products), "variants": sum(len(p["variants"]) for p in products)}


def _vendors(products: list[dict[str, Any]]) -> list[str]:
    return sorted({p["vendor"] for p in products})


def _range(products: list[dict[str, Any]]) -> dict[str, float]:
    prices = [float(v["price"]) for p in products for v in p["variants"]]
    return {"min": min(prices), "max": max(prices)}


def type_totals(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Count the type's products and variants over every page."""
    found = yield from _of_type(task, first_only=first_only)
    yield {"submit": _totals(found["products"])}


def type_vendors(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """The type's distinct vendors over every page."""
    found = yield from _of_type(task, first_only=first_only)
    yield {"submit": _vendors(found["products"])}


def type_price_range(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """The type's lowest and highest variant price over every page."""
    found = yield from _of_type(task, first_only=first_only)
    yield {"submit": _range(found["products"])}


def type_totals_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    return type_totals(task, first_only=True)


def type_vendors_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    return type_vendors(task, first_only=True)


def type_price_range_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page only."""
    return type_price_range(task, first_only=True)
