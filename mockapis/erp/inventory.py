"""Master data: warehouses, suppliers, and items with their stock level per warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.erp.access import authorize
from mockapis.erp.data import ITEMS, SUPPLIERS, WAREHOUSES
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import page_params, paginate_pages
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["MAX_PER_PAGE", "ROUTES", "paged"]

MAX_PER_PAGE = 50


def paged(request: Request, rows: Sequence[Record]) -> dict[str, Any]:
    """``{"data", "page", "per_page", "total", "total_pages"}`` for the query's page."""
    page, per_page = page_params(request, default_per_page=25, max_per_page=MAX_PER_PAGE)
    window = paginate_pages(rows, page=page, per_page=per_page, max_per_page=MAX_PER_PAGE)
    return {
        "data": window.items,
        "page": window.page,
        "per_page": window.per_page,
        "total": window.total,
        "total_pages": window.last_page,
    }


async def list_warehouses(request: Request) -> Response:
    """``GET /api/warehouses``: every warehouse."""
    caller = authorize(request)
    return JSONResponse({"data": list(caller.world.table(WAREHOUSES).values())})


async def list_suppliers(request: Request) -> Response:
    """``GET /api/suppliers``: suppliers, a page at a time."""
    caller = authorize(request)
    return JSONResponse(paged(request, list(caller.world.table(SUPPLIERS).values())))


async def list_items(request: Request) -> Response:
    """``GET /api/items``: items with stock levels, optionally only those in stock somewhere."""
    caller = authorize(request)
    warehouse = request.query_params.get("warehouse_id")
    rows = list(caller.world.table(ITEMS).values())
    if warehouse is not None:
        if warehouse not in caller.world.table(WAREHOUSES):
            known = ", ".join(caller.world.table(WAREHOUSES))
            raise ApiError(
                400,
                f"Unknown warehouse_id {warehouse!r}; warehouses: {known}.",
                code="invalid_request",
            )
        rows = [r for r in rows if r["stock"].get(warehouse, 0) > 0]
    return JSONResponse(paged(request, rows))


async def get_item(request: Request) -> Response:
    """``GET /api/items/{sku}``: one item and its stock per warehouse."""
    caller = authorize(request)
    sku = request.path_params["sku"]
    row = caller.world.table(ITEMS).get(sku)
    if row is None:
        raise ApiError(404, f"No item with SKU {sku!r}.", code="not_found")
    return JSONResponse(row)


ROUTES = [
    Route("/api/warehouses", list_warehouses, methods=["GET"]),
    Route("/api/suppliers", list_suppliers, methods=["GET"]),
    Route("/api/items", list_items, methods=["GET"]),
    Route("/api/items/{sku}", get_item, methods=["GET"]),
]
