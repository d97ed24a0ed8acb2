"""Export jobs: purchase-order lines of a date range as CSV, prepared in the background.

``POST /api/exports`` queues a job (202, ``Retry-After`` = seconds until it is ready);
``GET /api/exports/{id}`` reports ``queued`` / ``running`` / ``ready`` on the virtual clock;
``GET /api/exports/{id}/download`` returns the CSV once ready (409 before). The CSV is cut
when the job is created. Jobs belong to the user who made them, not to the session: after a
new login the same user still sees them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.erp.access import Caller, authorize, config
from mockapis.erp.data import PO_STATUSES, PURCHASE_ORDERS, SUPPLIERS
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_json, require_object
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["COLUMNS", "EXPORTS", "ROUTES"]

EXPORTS = "erp.exports"
COLUMNS = (
    "po_id",
    "order_date",
    "status",
    "supplier_id",
    "supplier_name",
    "warehouse_id",
    "line",
    "sku",
    "description",
    "quantity",
    "unit_price",
    "amount",
    "currency",
)
_FIELDS = {"type", "from", "to", "status"}


async def create(request: Request) -> Response:
    """``POST /api/exports``: queue an export of purchase-order lines."""
    caller = authorize(request)
    body = require_object(await read_json(request, max_bytes=16_384), "The request body")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise ApiError(
            400,
            f"Unknown field(s) {', '.join(unknown)}; an export takes {', '.join(sorted(_FIELDS))}.",
            code="invalid_request",
        )
    if body.get("type") != "purchase_orders":
        raise ApiError(400, 'type must be "purchase_orders".', code="invalid_request")
    start, end = _date(body, "from"), _date(body, "to")
    if start > end:
        raise ApiError(400, f"from ({start}) is after to ({end}).", code="invalid_request")
    status = body.get("status")
    if status is not None and status not in PO_STATUSES:
        raise ApiError(
            400,
            f"status must be one of {', '.join(PO_STATUSES)} (or left out).",
            code="invalid_request",
        )
    world = caller.world
    orders = [
        o
        for o in world.table(PURCHASE_ORDERS).values()
        if start.isoformat() <= o["order_date"] <= end.isoformat()
        and (status is None or o["status"] == status)
    ]
    text, rows = _csv(orders, world.table(SUPPLIERS))
    delay_s = int(config(world)["export_delay_s"])
    now = world.clock.now_ns
    job: Record = {
        "id": f"EXP-{world.next_id('erp.export'):06d}",
        "type": "purchase_orders",
        "params": {"from": start.isoformat(), "to": end.isoformat(), "status": status},
        "created_by": caller.username,
        "created_ns": now,
        "ready_ns": now + delay_s * NS_PER_SECOND,
        "row_count": rows,
        "csv": text,
    }
    world.table(EXPORTS).put(job["id"], job)
    headers = {"Location": f"/api/exports/{job['id']}", "Retry-After": str(delay_s)}
    return JSONResponse(_view(job, now), 202, headers=headers)


async def status(request: Request) -> Response:
    """``GET /api/exports/{id}``: the job's status (``download_url`` once ready)."""
    caller = authorize(request)
    job = _job(caller, request)
    now = caller.world.clock.now_ns
    headers = {} if now >= job["ready_ns"] else {"Retry-After": _seconds_left(job, now)}
    return JSONResponse(_view(job, now), headers=headers)


async def download(request: Request) -> Response:
    """``GET /api/exports/{id}/download``: the CSV of a ready job."""
    caller = authorize(request)
    job = _job(caller, request)
    now = caller.world.clock.now_ns
    if now < job["ready_ns"]:
        left = _seconds_left(job, now)
        raise ApiError(
            409,
            f"Export {job['id']} is not ready yet; poll GET /api/exports/{job['id']} (about "
            f"{left} s left).",
            code="export_not_ready",
            headers={"Retry-After": left},
        )
    disposition = f'attachment; filename="{job["id"].lower()}.csv"'
    return Response(job["csv"], media_type="text/csv", headers={"Content-Disposition": disposition})


def _job(caller: Caller, request: Request) -> Record:
    job_id = request.path_params["id"]
    job = caller.world.table(EXPORTS).get(job_id)
    if job is None or job["created_by"] != caller.username:
        raise ApiError(404, f"No export {job_id!r} of user {caller.username!r}.", code="not_found")
    return job


def _seconds_left(job: Record, now: int) -> str:
    return str(max(1, -(-(job["ready_ns"] - now) // NS_PER_SECOND)))


def _view(job: Record, now: int) -> dict[str, Any]:
    elapsed, total = now - job["created_ns"], job["ready_ns"] - job["created_ns"]
    state = "ready" if now >= job["ready_ns"] else "queued" if 3 * elapsed < total else "running"
    return {
        "id": job["id"],
        "type": job["type"],
        "params": job["params"],
        "status": state,
        "created_by": job["created_by"],
        "created_at": format_rfc3339_ns(job["created_ns"]),
        "ready_at": format_rfc3339_ns(job["ready_ns"]) if state == "ready" else None,
        "estimated_ready_at": format_rfc3339_ns(job["ready_ns"]),
        "row_count": job["row_count"] if state == "ready" else None,
        "download_url": f"/api/exports/{job['id']}/download" if state == "ready" else None,
    }


def _date(body: dict[str, Any], key: str) -> dt.date:
    value = body.get(key)
    if not isinstance(value, str):
        raise ApiError(400, f"{key} must be a date string YYYY-MM-DD.", code="invalid_request")
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(key, value)
    except ValueError:
        return _bad_date(key, value)


def _bad_date(key: str, value: str) -> dt.date:
    shown = value if len(value) <= 40 else value[:37] + "..."
    raise ApiError(400, f"{key} must be a date YYYY-MM-DD; got {shown!r}.", code="invalid_request")


def _csv(orders: list[Record], suppliers: Any) -> tuple[str, int]:
    """The CSV text (header plus one row per order line) and its number of data rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = 0
    for order in orders:
        supplier = suppliers[order["supplier_id"]]["name"]
        for line in order["lines"]:
            writer.writerow(
                (
                    order["id"],
                    order["order_date"],
                    order["status"],
                    order["supplier_id"],
                    supplier,
                    order["warehouse_id"],
                    line["line"],
                    line["sku"],
                    line["description"],
                    line["quantity"],
                    line["unit_price"],
                    line["amount"],
                    order["currency"],
                )
            )
            rows += 1
    return out.getvalue(), rows


ROUTES = [
    Route("/api/exports", create, methods=["POST"]),
    Route("/api/exports/{id}", status, methods=["GET"]),
    Route("/api/exports/{id}/download", download, methods=["GET"]),
]
