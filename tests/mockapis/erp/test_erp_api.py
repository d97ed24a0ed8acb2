"""Millbrook ERP resources: inventory, purchase orders (approve/reject), export jobs."""

from __future__ import annotations

import csv
import io

import pytest

from mockapis.erp.exports import COLUMNS
from tests.mockapis.erp.conftest import ErpClient


def _pending(erp: ErpClient) -> list[str]:
    orders = erp.world.table("erp.purchase_orders").values()
    return [o["id"] for o in orders if o["status"] == "pending_approval"]


def test_lists_page_with_totals(erp: ErpClient) -> None:
    first = erp.request("GET", "/api/purchase-orders?per_page=50").json
    assert first["total"] == 300 and first["total_pages"] == 6 and len(first["data"]) == 50
    assert "lines" not in first["data"][0]
    last = erp.request("GET", "/api/purchase-orders?per_page=50&page=6").json
    ids = {o["id"] for o in first["data"]} | {o["id"] for o in last["data"]}
    assert len(ids) == 100
    assert erp.request("GET", "/api/purchase-orders?per_page=51").status == 400


def test_status_and_supplier_filters(erp: ErpClient) -> None:
    reply = erp.request("GET", "/api/purchase-orders?status=pending_approval&per_page=50").json
    assert {o["status"] for o in reply["data"]} == {"pending_approval"}
    assert reply["total"] == len(_pending(erp))
    bad = erp.request("GET", "/api/purchase-orders?status=open")
    assert bad.status == 400 and "pending_approval" in bad.json["error"]["message"]
    assert erp.request("GET", "/api/purchase-orders?supplier_id=SUP-9999").status == 400


def test_an_order_has_lines_that_add_up(erp: ErpClient) -> None:
    order_id = _pending(erp)[0]
    order = erp.request("GET", f"/api/purchase-orders/{order_id}").json
    total = sum(float(line["amount"]) for line in order["lines"])
    assert abs(total - float(order["total"])) < 0.005


def test_items_and_warehouses(erp: ErpClient) -> None:
    warehouses = erp.request("GET", "/api/warehouses").json["data"]
    assert len(warehouses) == 4
    items = erp.request("GET", "/api/items?per_page=50").json
    sku = items["data"][0]["sku"]
    item = erp.request("GET", f"/api/items/{sku}").json
    assert set(item["stock"]) == {w["id"] for w in warehouses}
    stocked = erp.request("GET", f"/api/items?warehouse_id={warehouses[0]['id']}&per_page=50")
    assert all(i["stock"][warehouses[0]["id"]] > 0 for i in stocked.json["data"])
    assert erp.request("GET", "/api/items?warehouse_id=WH-XXX").status == 400
    assert erp.request("GET", "/api/items/NOPE").status == 404


def test_approve_then_approve_again_is_409(erp: ErpClient) -> None:
    order_id = _pending(erp)[0]
    reply = erp.request("POST", f"/api/purchase-orders/{order_id}/approve", {"comment": "ok"})
    assert reply.status == 200
    assert reply.json["status"] == "approved" and reply.json["approved_by"] == "integration.bot"
    again = erp.request("POST", f"/api/purchase-orders/{order_id}/approve")
    assert again.status == 409 and again.json["error"]["code"] == "invalid_state"


def test_reject_needs_a_reason(erp: ErpClient) -> None:
    order_id = _pending(erp)[0]
    assert erp.request("POST", f"/api/purchase-orders/{order_id}/reject", {}).status == 400
    reply = erp.request("POST", f"/api/purchase-orders/{order_id}/reject", {"reason": " late "})
    assert reply.json["status"] == "rejected" and reply.json["rejection_reason"] == "late"


def test_users_without_the_approver_role_cannot_approve() -> None:
    client = ErpClient(0)
    clerk = next(u for u in client.world.table("erp._users").values() if u["role"] == "buyer")
    assert client.login(clerk["username"], clerk["password"]).status == 201
    order_id = _pending(client)[0]
    reply = client.request("POST", f"/api/purchase-orders/{order_id}/approve")
    assert reply.status == 403 and reply.json["error"]["code"] == "forbidden"


def test_export_flow_queued_running_ready_download(erp: ErpClient) -> None:
    body = {"type": "purchase_orders", "from": "2023-01-01", "to": "2023-03-31"}
    created = erp.request("POST", "/api/exports", body)
    assert created.status == 202 and created.json["status"] == "queued"
    assert created.headers["retry-after"] == "90"
    path = created.headers["location"]
    assert erp.request("GET", path + "/download").status == 409
    erp.wait(40)
    assert erp.request("GET", path).json["status"] == "running"
    erp.wait(50)
    status = erp.request("GET", path).json
    assert status["status"] == "ready" and status["download_url"] == path + "/download"
    download = erp.request("GET", status["download_url"])
    assert download.status == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.raw.decode())))
    assert tuple(rows[0]) == COLUMNS and len(rows) == status["row_count"]
    expected = [
        (o["id"], line["sku"], line["quantity"])
        for o in erp.world.table("erp.purchase_orders").values()
        if "2023-01-01" <= o["order_date"] <= "2023-03-31"
        for line in o["lines"]
    ]
    assert [(r["po_id"], r["sku"], int(r["quantity"])) for r in rows] == expected
    assert expected


def test_exports_survive_a_new_login_but_not_another_user(erp: ErpClient) -> None:
    body = {"type": "purchase_orders", "from": "2023-01-01", "to": "2023-12-31"}
    path = erp.request("POST", "/api/exports", {**body, "status": "draft"}).headers["location"]
    erp.wait(1000)
    assert erp.request("GET", path).status == 401
    erp.login()
    assert erp.request("GET", path).json["status"] == "ready"
    other = ErpClient(0)
    other.world, other.gateway = erp.world, erp.gateway
    colleague = next(u for u in erp.world.table("erp._users").values() if u["role"] == "approver")
    other.login(colleague["username"], colleague["password"])
    assert other.request("GET", path).status == 404


@pytest.mark.parametrize(
    "body",
    [
        {"type": "invoices", "from": "2023-01-01", "to": "2023-02-01"},
        {"type": "purchase_orders", "from": "2023-02-01", "to": "2023-01-01"},
        {"type": "purchase_orders", "from": "2023-13-01", "to": "2023-12-01"},
        {"type": "purchase_orders", "from": 20230101, "to": "2023-12-01"},
        {"type": "purchase_orders", "from": "2023-01-01"},
        {"type": "purchase_orders", "from": "2023-01-01", "to": "2023-12-01", "status": "x"},
        {"type": "purchase_orders", "from": "2023-01-01", "to": "2023-12-01", "extra": 1},
        [],
    ],
)
def test_bad_exports_are_400_and_create_nothing(erp: ErpClient, body: object) -> None:
    reply = erp.request("POST", "/api/exports", body)
    assert reply.status == 400, reply.json
    assert len(erp.world.table("erp.exports")) == 0


def test_unknown_routes_and_methods(erp: ErpClient) -> None:
    assert erp.request("GET", "/api/nothing").json["error"]["code"] == "not_found"
    reply = erp.request("PUT", "/api/session")
    assert reply.status == 405 and "DELETE" in reply.headers["allow"]
