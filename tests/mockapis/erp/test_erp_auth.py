"""Millbrook ERP auth: login, cookie, CSRF, idle expiry, lockout, logout, on every route."""

from __future__ import annotations

import pytest

from mockapis.erp import SERVICE
from tests.mockapis.erp.conftest import ErpClient

PENDING = next(
    o["id"]
    for o in ErpClient(0).world.table("erp.purchase_orders").values()
    if o["status"] == "pending_approval"
)
READS = [
    ("GET", "/api/session"),
    ("GET", "/api/warehouses"),
    ("GET", "/api/suppliers"),
    ("GET", "/api/items"),
    ("GET", "/api/items/MB-10000"),
    ("GET", "/api/purchase-orders"),
    ("GET", f"/api/purchase-orders/{PENDING}"),
    ("GET", "/api/exports/EXP-000001"),
    ("GET", "/api/exports/EXP-000001/download"),
]
WRITES = [
    ("POST", f"/api/purchase-orders/{PENDING}/approve"),
    ("POST", f"/api/purchase-orders/{PENDING}/reject"),
    ("POST", "/api/exports"),
    ("DELETE", "/api/session"),
]
PROTECTED = READS + WRITES


def test_every_route_but_login_is_protected() -> None:
    served = {
        (m, getattr(r, "path", "").replace("{sku}", "MB-10000").replace("{id}", "X"))
        for r in SERVICE.routes
        for m in getattr(r, "methods", None) or ()
        if m != "HEAD"
    }
    listed = {(m, p.replace(PENDING, "X").replace("EXP-000001", "X")) for m, p in PROTECTED}
    assert served - {("POST", "/api/session")} == listed


def test_login_sets_an_httponly_cookie_and_returns_the_csrf_token(fresh: ErpClient) -> None:
    reply = fresh.login()
    assert reply.status == 201
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith("MBSESSION=") and "HttpOnly" in cookie and "Path=/" in cookie
    assert reply.headers["x-csrf-token"] == reply.json["csrf_token"]
    assert reply.json["user"]["username"] == "integration.bot"
    assert reply.json["idle_timeout_s"] == 900


def test_login_takes_a_form_body(fresh: ErpClient) -> None:
    form = f"username=integration.bot&password={fresh.creds['password']}".encode()
    headers = (("content-type", "application/x-www-form-urlencoded"),)
    reply = fresh.request("POST", "/api/session", raw=form, headers=headers, cookie="", csrf="")
    assert reply.status == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{", 400),
        (b"[]", 400),
        (b'{"username": "x"}', 400),
        (b'{"username": 1, "password": 2}', 400),
    ],
)
def test_malformed_logins_are_400(fresh: ErpClient, body: bytes, status: int) -> None:
    headers = (("content-type", "application/json"),)
    reply = fresh.request("POST", "/api/session", raw=body, headers=headers, cookie="", csrf="")
    assert reply.status == status and reply.json["error"]["code"] in {
        "invalid_json",
        "invalid_request",
    }
    assert (
        reply.status == 415
        or "erp._login_failures" not in fresh.world.table_names
        or not len(fresh.world.table("erp._login_failures"))
    )


def test_login_without_a_content_type_is_415(fresh: ErpClient) -> None:
    reply = fresh.request("POST", "/api/session", raw=b"username=a", cookie="", csrf="")
    assert reply.status == 415


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_cookie_is_401(erp: ErpClient, method: str, path: str) -> None:
    reply = erp.request(method, path, cookie="", csrf=erp.csrf)
    assert reply.status == 401
    assert reply.json["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_unknown_session_is_401(erp: ErpClient, method: str, path: str) -> None:
    reply = erp.request(method, path, cookie="MBSESSION=0123456789abcdef")
    assert reply.status == 401
    assert reply.json["error"]["code"] == "invalid_session"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_idle_session_expires(erp: ErpClient, method: str, path: str) -> None:
    erp.wait(901)
    reply = erp.request(method, path)
    assert reply.status == 401
    assert reply.json["error"]["code"] == "session_expired"
    assert "900 s" in reply.json["error"]["message"]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_without_csrf_are_403(erp: ErpClient, method: str, path: str) -> None:
    before = erp.world.snapshot()
    reply = erp.request(method, path, {"reason": "x"}, csrf="")
    assert reply.status == 403
    assert reply.json["error"]["code"] == "csrf_missing"
    assert erp.world.diff(before) == {}  # a refused write changes nothing, not even last_seen


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_with_a_wrong_csrf_token_are_403(erp: ErpClient, method: str, path: str) -> None:
    reply = erp.request(method, path, {"reason": "x"}, csrf="deadbeef")
    assert reply.status == 403
    assert reply.json["error"]["code"] == "csrf_invalid"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_csrf_token_of_another_session_is_403(erp: ErpClient, method: str, path: str) -> None:
    old = erp.csrf
    assert erp.login().status == 201
    reply = erp.request(method, path, {"reason": "x"}, csrf=old)
    assert reply.status == 403
    assert reply.json["error"]["code"] == "csrf_session_mismatch"


@pytest.mark.parametrize(("method", "path"), READS)
def test_reads_need_no_csrf_token(erp: ErpClient, method: str, path: str) -> None:
    assert erp.request(method, path, csrf="").status not in (401, 403)


def test_requests_keep_the_session_alive(erp: ErpClient) -> None:
    for _ in range(5):
        erp.wait(600)
        assert erp.request("GET", "/api/warehouses").status == 200
    erp.wait(899)
    assert erp.request("GET", "/api/warehouses").status == 200
    erp.wait(900.1)
    assert erp.request("GET", "/api/warehouses").status == 401


def test_a_failed_request_does_not_refresh_the_idle_timer(erp: ErpClient) -> None:
    erp.wait(800)
    assert erp.request("GET", "/api/items/nope").status == 404
    erp.wait(150)
    assert erp.request("GET", "/api/warehouses").json["error"]["code"] == "session_expired"


def test_after_expiry_a_new_login_with_its_new_token_works(erp: ErpClient) -> None:
    old_cookie, old_csrf = erp.cookie, erp.csrf
    erp.wait(1000)
    assert erp.request("GET", "/api/session").status == 401
    assert erp.login().status == 201
    assert (erp.cookie, erp.csrf) != (old_cookie, old_csrf)
    assert erp.request("GET", "/api/session").json["csrf_token"] == erp.csrf
    reply = erp.request("POST", f"/api/purchase-orders/{PENDING}/approve", {})
    assert reply.status in (200, 409)


def test_logout_ends_the_session(erp: ErpClient) -> None:
    reply = erp.request("DELETE", "/api/session")
    assert reply.status == 204
    assert (
        'MBSESSION=""' in reply.headers["set-cookie"] or "Max-Age=0" in reply.headers["set-cookie"]
    )
    assert erp.request("GET", "/api/session").json["error"]["code"] == "invalid_session"


def test_wrong_passwords_lock_the_user_and_the_count_survives_the_401(fresh: ErpClient) -> None:
    for left in (4, 3, 2, 1):
        reply = fresh.login(password="wrong")
        assert reply.status == 401 and f"{left} attempt(s) left" in reply.json["error"]["message"]
    reply = fresh.login(password="wrong")
    assert reply.status == 401 and "now locked" in reply.json["error"]["message"]
    locked = fresh.login()
    assert locked.status == 403 and locked.json["error"]["code"] == "account_locked"
    assert int(locked.headers["retry-after"]) == 900
    fresh.wait(901)
    assert fresh.login().status == 201
    assert len(fresh.world.table("erp._login_failures")) == 0


def test_unknown_users_fail_like_wrong_passwords(fresh: ErpClient) -> None:
    reply = fresh.login(username="nobody", password="x")
    assert reply.status == 401 and reply.json["error"]["code"] == "invalid_credentials"


def test_the_idle_timeout_is_a_world_setting() -> None:
    client = ErpClient(0, session_idle_s=60)
    assert client.login().json["idle_timeout_s"] == 60
    client.wait(61)
    assert client.request("GET", "/api/warehouses").json["error"]["code"] == "session_expired"
