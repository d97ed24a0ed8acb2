"""The storefront's public product routes: ``/products.json`` (pages) and one product."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.shopify.data import TABLE
from mockapis.shopify.errors import invalid_param

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ROUTES"]

DEFAULT_LIMIT = 30
MAX_LIMIT = 250
"""The storefront serves at most 250 products a page; a larger ``limit`` gives 250."""


def _positive(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise invalid_param(name, f"must be a positive integer; got {raw!r}")
    return int(raw)


async def list_products(request: Request) -> Response:
    """``GET /products.json``: page ``page`` of ``limit`` published products, by id."""
    limit = min(_positive(request, "limit", DEFAULT_LIMIT), MAX_LIMIT)
    page = _positive(request, "page", 1)
    table = world_of(request).table(TABLE)
    keys = sorted(table)
    start = (page - 1) * limit
    return JSONResponse({"products": [table[k] for k in keys[start : start + limit]]})


async def get_product(request: Request) -> Response:
    """``GET /products/{handle}.json``: one product by handle."""
    handle = request.path_params["handle"]
    for product in world_of(request).table(TABLE).values():
        if product["handle"] == handle:
            return JSONResponse({"product": product})
    raise ApiError(404, "Not Found", code="not_found")


ROUTES = [
    Route("/products.json", list_products, methods=["GET"]),
    Route("/products/{handle}.json", get_product, methods=["GET"]),
]
"""The public storefront's product operations."""
