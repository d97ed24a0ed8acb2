"""Tradepost request signing: the auth matrix on every signed route, skew, replay, the spec's
worked example."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pytest

from mockapis.tradepost import SERVICE
from tests.mockapis.tradepost.conftest import TradepostClient

ORDER = {"symbol": "ETH-USD", "side": "buy", "type": "limit", "quantity": "0.5", "price": "2000.00"}
SIGNED = [
    ("GET", "/v1/account", "", None),
    ("GET", "/v1/fills", "limit=5", None),
    ("GET", "/v1/orders", "status=open&limit=5", None),
    ("POST", "/v1/orders", "", ORDER),
    ("GET", "/v1/orders/8100000", "", None),
    ("DELETE", "/v1/orders/8100000", "", None),
]


def _error(reply: object) -> int:
    return reply.json["code"]  # type: ignore[attr-defined,no-any-return]


def test_every_private_route_is_in_the_matrix() -> None:
    served = {
        (m, getattr(r, "path", "").replace("{order_id}", "8100000"))
        for r in SERVICE.routes
        for m in getattr(r, "methods", None) or ()
        if m != "HEAD"
    }
    assert served - {("GET", "/v1/time"), ("GET", "/v1/markets")} == {
        (m, p) for m, p, _, _ in SIGNED
    }


@pytest.mark.parametrize(("method", "path", "query", "body"), SIGNED)
def test_a_correctly_signed_request_passes(
    tp: TradepostClient, method: str, path: str, query: str, body: object
) -> None:
    reply = tp.request(method, path, query, body)
    assert reply.status in (200, 201, 400), reply.json  # 400: order 8100000 may not be open
    if reply.status == 400:
        assert _error(reply) == -2011


@pytest.mark.parametrize(("method", "path", "query", "body"), SIGNED)
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"signed": False}, -1002),
        ({"drop": ("tp-api-key",)}, -1002),
        ({"override": {"tp-api-key": "tp_" + "A" * 40}}, -2015),
        ({"override": {"tp-api-key": "not-a-key"}}, -2014),
        ({"drop": ("tp-timestamp",)}, -1002),
        ({"drop": ("tp-signature",)}, -1002),
        ({"override": {"tp-timestamp": "17e11"}}, -1026),
        ({"override": {"tp-signature": "0" * 64}}, -1022),
        ({"skew_ms": -5200}, -1021),
        ({"skew_ms": 5200}, -1021),
        ({"sign_query": "limit=6"}, -1022),
    ],
)
def test_the_auth_matrix(
    tp: TradepostClient,
    method: str,
    path: str,
    query: str,
    body: object,
    kwargs: dict[str, object],
    code: int,
) -> None:
    before = tp.world.snapshot()
    reply = tp.request(method, path, query, body, **kwargs)  # type: ignore[arg-type]
    assert reply.status == 401, reply.json
    assert _error(reply) == code, reply.json
    assert abs(reply.json["serverTime"] - tp.now_ms) < 1000
    assert tp.world.diff(before) == {}


@pytest.mark.parametrize("skew", [-4900, 4900])
def test_skew_inside_the_window_is_accepted(tp: TradepostClient, skew: int) -> None:
    assert tp.request("GET", "/v1/account", skew_ms=skew).status == 200


def test_the_skew_message_gives_the_direction_and_server_time(tp: TradepostClient) -> None:
    msg = tp.request("GET", "/v1/account", skew_ms=-60_000).json["msg"]
    assert "behind the server time" in msg and str(tp.now_ms)[:8] in msg
    assert "ahead of" in tp.request("GET", "/v1/account", skew_ms=60_000).json["msg"]


def test_a_replayed_request_is_refused(tp: TradepostClient) -> None:
    stamp = str(tp.now_ms)
    assert tp.request("GET", "/v1/account", stamp=stamp).status == 200
    again = tp.request("GET", "/v1/account", stamp=stamp)
    assert again.status == 401 and _error(again) == -1023 and "serverTime" in again.json


def test_a_replayed_order_is_refused_and_places_nothing(tp: TradepostClient) -> None:
    stamp = str(tp.now_ms)
    assert tp.request("POST", "/v1/orders", body=ORDER, stamp=stamp).status == 201
    count = len(tp.world.table("tradepost.orders"))
    again = tp.request("POST", "/v1/orders", body=ORDER, stamp=stamp)
    assert _error(again) == -1023 and len(tp.world.table("tradepost.orders")) == count


def test_a_signature_is_burnt_even_when_the_request_then_fails(tp: TradepostClient) -> None:
    bad = {**ORDER, "quantity": "0.00001"}  # under min_notional
    stamp = str(tp.now_ms)
    assert _error(tp.request("POST", "/v1/orders", body=bad, stamp=stamp)) == -1013
    assert _error(tp.request("POST", "/v1/orders", body=bad, stamp=stamp)) == -1023


def test_same_timestamp_on_different_requests_is_not_a_replay(tp: TradepostClient) -> None:
    stamp = str(tp.now_ms)
    assert tp.request("GET", "/v1/account", stamp=stamp).status == 200
    assert tp.request("GET", "/v1/fills", stamp=stamp).status == 200


def test_a_tampered_body_is_refused(tp: TradepostClient) -> None:
    signed_for = b'{"symbol":"ETH-USD","side":"buy","type":"limit","quantity":"0.5","price":"1.00"}'
    reply = tp.request("POST", "/v1/orders", body=ORDER, sign_body=signed_for)
    assert reply.status == 401 and _error(reply) == -1024
    assert hashlib.sha256(b"").hexdigest() not in reply.json["msg"]


def test_a_body_needs_its_hash(tp: TradepostClient) -> None:
    reply = tp.request("POST", "/v1/orders", body=ORDER, drop=("tp-content-sha256",))
    assert reply.status == 401 and _error(reply) == -1025


def test_a_hash_of_the_body_but_a_signature_over_another_is_refused(tp: TradepostClient) -> None:
    # The header hash matches the body sent, but the signature covers another body.
    raw = b'{"symbol":"ETH-USD","side":"buy","type":"limit","quantity":"0.5","price":"2000.00"}'
    reply = tp.request(
        "POST",
        "/v1/orders",
        body=raw,
        sign_body=b"{}",
        override={"tp-content-sha256": hashlib.sha256(raw).hexdigest()},
    )
    assert reply.status == 401 and _error(reply) == -1022


def test_the_query_order_sent_does_not_matter(tp: TradepostClient) -> None:
    assert tp.request("GET", "/v1/orders", "status=open&limit=3").status == 200
    assert tp.request("GET", "/v1/orders", "limit=3&status=open").status == 200


def test_a_query_needing_percent_encoding(tp: TradepostClient) -> None:
    reply = tp.request("GET", "/v1/orders", "symbol=BTC-USD&side=buy&limit=2")
    assert reply.status == 200
    odd = tp.request("GET", "/v1/orders", "symbol=BTC%20USD")  # signed with %20, sent as is
    assert odd.status == 400 and _error(odd) == -1121  # past auth: the symbol is just unknown
    plus = tp.request("GET", "/v1/orders", "symbol=BTC+USD")  # '+' is a space too
    assert plus.status == 400 and _error(plus) == -1121


def test_the_signature_error_shows_the_string_to_sign(tp: TradepostClient) -> None:
    reply = tp.request(
        "GET", "/v1/orders", "status=open&limit=3", override={"tp-signature": "ab" * 32}
    )
    match = re.search(r"'(\d+)GET/v1/orders\?limit=3&status=open([0-9a-f]{64})'", reply.json["msg"])
    assert match and match.group(2) == hashlib.sha256(b"").hexdigest()


def test_public_endpoints_need_no_signature_and_every_response_is_dated(
    tp: TradepostClient,
) -> None:
    time = tp.request("GET", "/v1/time", signed=False)
    assert time.status == 200 and abs(time.json["serverTime"] - tp.now_ms) < 100
    assert time.headers["date"].endswith("GMT")
    assert len(tp.request("GET", "/v1/markets", signed=False).json["markets"]) == 5
    assert "date" in tp.request("GET", "/v1/account", signed=False).headers


def test_the_worked_example_of_the_spec_is_right() -> None:
    spec = Path(SERVICE.spec_path).read_text()
    secret = "S3cr3tK3yForDocsOnly0000000000000000000000000000"
    body = (
        b'{"symbol":"BTC-USD","side":"buy","type":"limit","quantity":"0.01500","price":"41250.00"}'
    )
    digest = hashlib.sha256(body).hexdigest()
    text = f"1705309200123POST/v1/orders{digest}"
    signature = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    assert digest in spec and text in spec and signature in spec
    empty = hashlib.sha256(b"").hexdigest()
    text = f"1705309201000GET/v1/orders?limit=100&status=open&symbol=BTC-USD{empty}"
    signature = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    assert text in spec and signature in spec
