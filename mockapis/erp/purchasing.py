"""Purchase orders: list (headers only), one with its lines, approve and reject."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.erp.access import Caller, authorize
from mockapis.erp.data import PO_STATUSES, PURCHASE_ORDERS, SUPPLIERS
from mockapis.erp.inventory import paged
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_json, require_object
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["APPROVER_ROLES", "ROUTES", "header"]

APPROVER_ROLES = frozenset({"approver", "buyer_approver"})


def header(order: Record) -> dict[str, Any]:
    """A purchase order without its lines (what the list shows)."""
    return {k: v for k, v in order.items() if k != "lines"}


async def list_orders(request: Request) -> Response:
    """``GET /api/purchase-orders``: headers, filtered by ``status`` and ``supplier_id``."""
    caller = authorize(request)
    rows = list(caller.world.table(PURCHASE_ORDERS).values())
    status = request.query_params.get("status")
    if status is not None:
        if status not in PO_STATUSES:
            raise ApiError(
                400,
                f"Unknown status {status!r}; statuses: {', '.join(PO_STATUSES)}.",
                code="invalid_request",
            )
        rows = [r for r in rows if r["status"] == status]
    supplier = request.query_params.get("supplier_id")
    if supplier is not None:
        if supplier not in caller.world.table(SUPPLIERS):
            raise ApiError(400, f"Unknown supplier_id {supplier!r}.", code="invalid_request")
        rows = [r for r in rows if r["supplier_id"] == supplier]
    return JSONResponse(paged(request, [header(r) for r in rows]))


def _order(caller: Caller, request: Request) -> Record:
    order_id = request.path_params["id"]
    row = caller.world.table(PURCHASE_ORDERS).get(order_id)
    if row is None:
        raise ApiError(404, f"No purchase order {order_id!r}.", code="not_found")
    return row


async def get_order(request: Request) -> Response:
    """``GET /api/purchase-orders/{id}``: one purchase order with its lines."""
    caller = authorize(request)
    return JSONResponse(_order(caller, request))


async def approve(request: Request) -> Response:
    """``POST /api/purchase-orders/{id}/approve``: approve a pending order."""
    caller = authorize(request)
    order = _decidable(caller, request)
    body = await _optional_body(request)
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ApiError(400, "comment must be a string.", code="invalid_request")
    updated = {
        **order,
        "status": "approved",
        "approved_by": caller.username,
        "approved_at": caller.world.clock.isoformat()[:19] + "Z",
    }
    caller.world.table(PURCHASE_ORDERS).put(order["id"], updated)
    return JSONResponse(updated)


async def reject(request: Request) -> Response:
    """``POST /api/purchase-orders/{id}/reject``: reject a pending order with a reason."""
    caller = authorize(request)
    order = _decidable(caller, request)
    reason = (await _optional_body(request)).get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ApiError(400, "A rejection needs a non-empty string reason.", code="invalid_request")
    updated = {**order, "status": "rejected", "rejection_reason": reason.strip()}
    caller.world.table(PURCHASE_ORDERS).put(order["id"], updated)
    return JSONResponse(updated)


def _decidable(caller: Caller, request: Request) -> Record:
    if caller.user["role"] not in APPROVER_ROLES:
        raise ApiError(
            403, f"User {caller.username!r} may not approve or reject orders.", code="forbidden"
        )
    order = _order(caller, request)
    if order["status"] != "pending_approval":
        raise ApiError(
            409,
            f"Purchase order {order['id']} is {order['status']}; only orders in "
            "pending_approval can be approved or rejected.",
            code="invalid_state",
        )
    return order


async def _optional_body(request: Request) -> dict[str, Any]:
    body = await read_json(request, max_bytes=16_384, required=False)
    return {} if body is None else require_object(body, "The request body")


ROUTES = [
    Route("/api/purchase-orders", list_orders, methods=["GET"]),
    Route("/api/purchase-orders/{id}", get_order, methods=["GET"]),
    Route("/api/purchase-orders/{id}/approve", approve, methods=["POST"]),
    Route("/api/purchase-orders/{id}/reject", reject, methods=["POST"]),
]
