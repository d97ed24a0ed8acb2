"""Reference solutions of the Millbrook ERP scenarios: HTTP only, through the public API.

The session flow: log in (``POST /api/session``), keep the ``MBSESSION`` cookie, echo the CSRF
token on every write, and log in again (new cookie, new token) when the session expires.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator
from typing import Any

from gym_apibench.solving import (
    Check,
    Exchange,
    Solution,
    SolutionError,
    Unachievable,
    expect_json,
    hint,
    request,
    restarts,
)

_EXPIRED = {"session_expired", "invalid_session", "not_authenticated"}


class Erp:
    """One agent's ERP session: base URL, login, cookie and CSRF token."""

    def __init__(self, task: dict[str, Any], *, relogin: bool = True) -> None:
        self.base = task["services"]["erp"]
        self.login_data = {
            "username": task["credentials"]["erp"]["username"],
            "password": task["credentials"]["erp"]["password"],
        }
        self.relogin = relogin
        self.cookie = ""
        self.csrf = ""

    def login(self) -> Exchange:
        """Log in: keep the cookie from ``Set-Cookie`` and the CSRF token from the body."""
        # A second login opens a second session and the first one lapses: safe to repeat.
        login = request("POST", self.base + "/api/session", json_body=self.login_data)
        obs = yield hint(login, safe=True)
        body = expect_json(obs, 201)
        headers = {k.lower(): v for k, v in obs["headers"].items()}
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        self.csrf = body["csrf_token"]
        return obs

    def call(
        self, method: str, path: str, json_body: Any = None, *, check: Check | None = None
    ) -> Exchange:
        """Send a request with the session (and the CSRF token on writes); on an expired
        session log in again and send it once more. ``check`` tells whether a write whose
        response was lost happened."""
        for attempt in range(2):
            headers = {"Cookie": self.cookie}
            if method != "GET":
                headers["X-CSRF-Token"] = self.csrf
            action = request(method, self.base + path, headers=headers, json_body=json_body)
            obs = yield hint(action, check=check)
            if obs["status"] != 401 or attempt or not self.relogin:
                return obs
            code = json.loads(obs["body"])["error"]["code"]
            if code not in _EXPIRED:
                return obs
            yield from self.login()
        raise AssertionError("unreachable")

    def approve(self, po_id: Any) -> Exchange:
        """Approve a purchase order; after a lost response, the order is read to check."""

        def approved() -> Exchange:
            order = expect_json((yield from self.call("GET", f"/api/purchase-orders/{po_id}")))
            found = order.get("data", order)
            if found.get("status") == "approved":
                return {"status": 200, "headers": {}, "body": json.dumps(order)}
            return {}

        return (
            yield from self.call(
                "POST", f"/api/purchase-orders/{po_id}/approve", {}, check=approved
            )
        )

    def export(self, params: dict[str, Any]) -> Exchange:
        """Run an export job to the end; the download's observation."""
        obs = yield from self.call("POST", "/api/exports", params)
        if obs["status"] == 0:
            raise Unachievable(
                "lost-write: the export job's id was only in its lost response; the ERP lists "
                "no jobs, and another export would change the world twice"
            )
        created = expect_json(obs, 202)
        path = f"/api/exports/{created['id']}"
        delay = _retry_after(obs)
        while True:
            yield {"wait": delay}
            obs = yield from self.call("GET", path)
            status = expect_json(obs)
            if status["status"] == "ready":
                break
            delay = _retry_after(obs)
        download = yield from self.call("GET", status["download_url"])
        if download["status"] != 200:
            raise SolutionError(f"download failed: {download['status']} {download['body'][:200]}")
        return download


def _retry_after(obs: dict[str, Any]) -> int:
    headers = {k.lower(): v for k, v in obs["headers"].items()}
    return int(headers.get("retry-after", "5"))


def _rows(download: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download["body"])))


def units_ordered(task: dict[str, Any]) -> Solution:
    """Export the window's order lines and add up the item's quantities."""
    erp = Erp(task)
    inputs = task["inputs"]
    yield from erp.login()
    download = yield from erp.export(
        {"type": "purchase_orders", "from": inputs["start"], "to": inputs["end"]}
    )
    units = sum(
        int(row["quantity"])
        for row in _rows(download)
        if row["sku"] == inputs["sku"] and row["status"] != "cancelled"
    )
    yield {"submit": units}


def _approve_with_item(erp: Erp, sku: str) -> Solution:
    yield from erp.login()
    params = {"type": "purchase_orders", "from": "2000-01-01", "to": "2099-12-31"}
    download = yield from erp.export({**params, "status": "pending_approval"})
    ids = sorted({row["po_id"] for row in _rows(download) if row["sku"] == sku})
    for po_id in ids:
        expect_json((yield from erp.approve(po_id)))
    yield {"submit": None}


def approve_with_item(task: dict[str, Any]) -> Solution:
    """Export the pending orders, re-login after the wait, approve those with the item."""
    yield from _approve_with_item(Erp(task), task["inputs"]["sku"])


def approve_without_relogin(task: dict[str, Any]) -> Solution:
    """The naive client: the same, but it never logs in again when the session dies."""
    yield from _approve_with_item(Erp(task, relogin=False), task["inputs"]["sku"])


def approve_supplier_orders(task: dict[str, Any]) -> Solution:
    """List the supplier's pending orders (every page) and approve those under the limit."""
    erp = Erp(task)
    inputs = task["inputs"]
    yield from erp.login()
    orders = yield from _pending_orders(erp, inputs["supplier_id"])
    for order in orders:
        if float(order["total"]) < inputs["limit"]:
            expect_json((yield from erp.approve(order["id"])))
    yield {"submit": None}


@restarts
def _pending_orders(
    erp: Erp, supplier_id: Any
) -> Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The supplier's orders pending approval, 50 a page (from page 1 again if a page number
    expires)."""
    orders: list[dict[str, Any]] = []
    page = 1
    while True:
        query = f"status=pending_approval&supplier_id={supplier_id}&per_page=50&page={page}"
        listing = expect_json((yield from erp.call("GET", f"/api/purchase-orders?{query}")))
        orders.extend(listing["data"])
        if page >= listing["total_pages"]:
            return orders
        page += 1
