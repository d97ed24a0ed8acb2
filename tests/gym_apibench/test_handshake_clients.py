"""The handshake services against ``apibench serve`` with real clients over loopback.

Millbrook ERP with an ``httpx.Client`` cookie jar (login, CSRF on writes, an export job,
approvals); Tradepost with a request signer written here as an ``httpx.Auth``, from the spec
alone, signing with the real clock (served, a client-clock service's episode clock is the
real time).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit

import httpx
import pytest

from gym_apibench.episode import Episode
from tests.served import SEED, Served, serving

pytestmark = pytest.mark.slow

ERP_SCENARIO = "erp.approve-supplier-orders"
TRADEPOST_SCENARIO = "tradepost.place-limit-order"


# -- Millbrook ERP: cookies and CSRF ----------------------------------------------------------


@pytest.fixture(scope="module")
def erp_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("erp") / "info.json"
    with serving(Path(info), "--scenario", ERP_SCENARIO) as server:
        yield server


def _erp_login(served: Served, client: httpx.Client) -> str:
    creds = served.info["credentials"]["erp"]
    reply = client.post(
        "/api/session", json={"username": creds["username"], "password": creds["password"]}
    )
    assert reply.status_code == 201, reply.text
    assert client.cookies.get("MBSESSION")  # the jar took the HttpOnly cookie
    token: str = reply.headers["x-csrf-token"]
    return token


def test_erp_flow_with_a_cookie_jar(erp_served: Served) -> None:
    base = erp_served.info["services"]["erp"]
    expected = Episode(ERP_SCENARIO, SEED).built
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/api/session").status_code == 401  # no cookie yet
        csrf = _erp_login(erp_served, client)
        session = client.get("/api/session").json()
        assert session["csrf_token"] == csrf and session["user"]["username"] == "integration.bot"

        # Reads need only the cookie; writes need the token too.
        supplier = expected.inputs["supplier_id"]
        listing = client.get(
            "/api/purchase-orders",
            params={"status": "pending_approval", "supplier_id": supplier, "per_page": 50},
        ).json()
        first = listing["data"][0]["id"]
        refused = client.post(f"/api/purchase-orders/{first}/approve", json={})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_missing"

        # The export job: create, poll (the served clock is real time), download.
        created = client.post(
            "/api/exports",
            json={
                "type": "purchase_orders",
                "from": "2000-01-01",
                "to": "2099-12-31",
                "status": "pending_approval",
            },
            headers={"X-CSRF-Token": csrf},
        )
        assert created.status_code == 202
        status: dict[str, Any] = {}
        for _ in range(40):
            status = client.get(created.headers["location"]).json()
            if status["status"] == "ready":
                break
            time.sleep(0.25)
        assert status["status"] == "ready"
        rows = list(csv.DictReader(io.StringIO(client.get(status["download_url"]).text)))
        assert {r["po_id"] for r in rows} >= {o["id"] for o in listing["data"]}

        for order in listing["data"]:
            if float(order["total"]) < expected.inputs["limit"]:
                reply = client.post(
                    f"/api/purchase-orders/{order['id']}/approve",
                    json={},
                    headers={"X-CSRF-Token": csrf},
                )
                assert reply.status_code == 200 and reply.json()["status"] == "approved"

        # An old token after a new login is refused; logout clears the cookie.
        new_csrf = _erp_login(erp_served, client)
        stale = client.post("/api/exports", json={}, headers={"X-CSRF-Token": csrf})
        assert stale.json()["error"]["code"] == "csrf_session_mismatch"
        assert client.delete("/api/session", headers={"X-CSRF-Token": new_csrf}).status_code == 204
        assert not client.cookies.get("MBSESSION")
        assert client.get("/api/session").status_code == 401

    score = erp_served.control("GET", "/score").json()
    assert score["reward"] == 1.0, score


# -- Tradepost: an httpx.Auth signer ------------------------------------------------------------


class TradepostAuth(httpx.Auth):
    """Signs every request as the Tradepost spec says, with the real clock."""

    requires_request_body = True

    def __init__(self, key: str, secret: str, *, prefix: str = "") -> None:
        self.key, self.secret, self.prefix = key, secret, prefix

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        body = request.content
        digest = hashlib.sha256(body).hexdigest()
        pairs = []
        query = request.url.query.decode()
        for part in query.split("&") if query else []:
            name, _, value = part.partition("=")
            pairs.append((quote(unquote_plus(name), safe=""), quote(unquote_plus(value), safe="")))
        canonical = "&".join(f"{k}={v}" for k, v in sorted(pairs))
        path = request.url.path.removeprefix(self.prefix)
        stamp = str(time.time_ns() // 1_000_000)
        text = f"{stamp}{request.method}{path}{'?' + canonical if canonical else ''}{digest}"
        request.headers["TP-API-KEY"] = self.key
        request.headers["TP-TIMESTAMP"] = stamp
        request.headers["TP-SIGNATURE"] = hmac.new(
            self.secret.encode(), text.encode(), hashlib.sha256
        ).hexdigest()
        if body:
            request.headers["TP-CONTENT-SHA256"] = digest
        yield request


@pytest.fixture(scope="module")
def tp_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("tradepost") / "info.json"
    with serving(Path(info), "--scenario", TRADEPOST_SCENARIO) as server:
        yield server


def _tp_client(served: Served, *, strip_prefix: bool) -> httpx.Client:
    base = served.info["services"]["tradepost"]
    creds = served.info["credentials"]["tradepost"]
    prefix = urlsplit(base).path if strip_prefix else ""
    return httpx.Client(
        base_url=base, timeout=10, auth=TradepostAuth(creds["key"], creds["secret"], prefix=prefix)
    )


def test_tradepost_serves_the_real_time(tp_served: Served) -> None:
    base = tp_served.info["services"]["tradepost"]
    reply = httpx.get(base + "/v1/time")
    assert abs(reply.json()["serverTime"] - time.time() * 1000) < 5000
    assert reply.headers["date"].endswith("GMT")


@pytest.mark.parametrize("strip_prefix", [True, False])
def test_tradepost_signed_flow_with_httpx_auth(tp_served: Served, strip_prefix: bool) -> None:
    with _tp_client(tp_served, strip_prefix=strip_prefix) as client:
        account = client.get("/v1/account")
        assert account.status_code == 200, account.text
        listed = client.get(
            "/v1/orders", params={"status": "open", "limit": 5, "symbol": "BTC-USD"}
        )
        assert listed.status_code == 200, listed.text
        body = {
            "symbol": "ETH-USD",
            "side": "buy",
            "type": "limit",
            "quantity": "0.1",
            "price": "100.00",
        }
        placed = client.post(
            "/v1/orders", json=body
        )  # httpx serialises; the auth hashes those bytes
        assert placed.status_code == 201, placed.text
        canceled = client.delete(f"/v1/orders/{placed.json()['order_id']}")
        assert canceled.json()["status"] == "canceled"


def test_tradepost_tampering_replay_and_skew_over_the_wire(tp_served: Served) -> None:
    base = tp_served.info["services"]["tradepost"]
    with _tp_client(tp_served, strip_prefix=True) as client:
        auth = client.auth
        assert isinstance(auth, TradepostAuth)
        request = next(
            auth.auth_flow(client.build_request("GET", "/v1/orders", params={"limit": 2}))
        )
        assert client.send(request, auth=None).status_code == 200
        replay = client.send(request, auth=None)
        assert replay.status_code == 401 and replay.json()["code"] == -1023
        tampered = httpx.get(base + "/v1/orders?limit=3", headers=dict(request.headers))
        assert tampered.status_code == 401 and tampered.json()["code"] == -1022

        body = {
            "symbol": "ETH-USD",
            "side": "buy",
            "type": "limit",
            "quantity": "0.1",
            "price": "100.00",
        }
        order = next(auth.auth_flow(client.build_request("POST", "/v1/orders", json=body)))
        headers = {k: v for k, v in order.headers.items() if k.lower() != "content-length"}
        other = order.content.replace(b"100.00", b"101.00")
        swapped = httpx.post(base + "/v1/orders", content=other, headers=headers)
        assert swapped.status_code == 401 and swapped.json()["code"] == -1024
    old = str(time.time_ns() // 1_000_000 - 60_000)
    creds = tp_served.info["credentials"]["tradepost"]
    skewed = httpx.get(
        base + "/v1/account",
        headers={"TP-API-KEY": creds["key"], "TP-TIMESTAMP": old, "TP-SIGNATURE": "0" * 64},
    )
    assert skewed.status_code == 401 and skewed.json()["code"] == -1021
    assert abs(skewed.json()["serverTime"] - time.time() * 1000) < 5000


def test_tradepost_scenario_scored_through_the_control_plane(tp_served: Served) -> None:
    assert tp_served.control("POST", "/reset").status_code == 200  # other tests traded here
    inputs = Episode(TRADEPOST_SCENARIO, SEED).built.inputs
    with _tp_client(tp_served, strip_prefix=True) as client:
        order = {
            "symbol": inputs["symbol"],
            "side": "buy",
            "type": "limit",
            "quantity": inputs["quantity"],
            "price": inputs["price"],
            "client_order_id": inputs["client_order_id"],
        }
        placed = client.post("/v1/orders", json=order)
        assert placed.status_code == 201
    # The instruction asks for the new order's order_id: the grade reads it.
    verdict = tp_served.control("POST", "/submit", json={"answer": placed.json()["order_id"]})
    assert verdict.status_code == 200, verdict.text
    score = tp_served.control("GET", "/score").json()
    assert score["reward"] == 1.0, score
