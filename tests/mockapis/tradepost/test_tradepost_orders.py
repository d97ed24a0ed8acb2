"""Tradepost orders, balances and fills, through correctly signed requests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.mockapis.tradepost.conftest import TradepostClient

LIMIT = {"symbol": "ETH-USD", "side": "buy", "type": "limit", "quantity": "0.5", "price": "2000.00"}


def _balance(tp: TradepostClient, asset: str) -> tuple[Decimal, Decimal]:
    row = tp.world.table("tradepost.balances")[asset]
    return Decimal(row["free"]), Decimal(row["locked"])


def test_a_limit_buy_locks_quote_funds_and_cancel_releases_them(tp: TradepostClient) -> None:
    free, locked = _balance(tp, "USD")
    placed = tp.request("POST", "/v1/orders", body={**LIMIT, "client_order_id": "my-1"})
    assert placed.status == 201
    order = placed.json
    assert (order["status"], order["client_order_id"], order["price"]) == (
        "open",
        "my-1",
        "2000.00",
    )
    assert _balance(tp, "USD") == (free - 1000, locked + 1000)
    got = tp.request("GET", f"/v1/orders/{order['order_id']}").json
    assert got == order
    canceled = tp.request("DELETE", f"/v1/orders/{order['order_id']}")
    assert canceled.json["status"] == "canceled"
    assert _balance(tp, "USD") == (free, locked)
    again = tp.request("DELETE", f"/v1/orders/{order['order_id']}")
    assert again.status == 400 and again.json["code"] == -2011


def test_a_limit_sell_locks_the_base_asset(tp: TradepostClient) -> None:
    free, locked = _balance(tp, "ETH")
    tp.request("POST", "/v1/orders", body={**LIMIT, "side": "sell", "price": "9000.00"})
    assert _balance(tp, "ETH") == (free - Decimal("0.5"), locked + Decimal("0.5"))


def test_a_market_buy_fills_at_the_last_price_with_a_fee(tp: TradepostClient) -> None:
    last = Decimal(tp.world.table("tradepost.markets")["SOL-USD"]["last_price"])
    usd, _ = _balance(tp, "USD")
    sol, _ = _balance(tp, "SOL")
    body = {"symbol": "SOL-USD", "side": "buy", "type": "market", "quantity": "10"}
    order = tp.request("POST", "/v1/orders", body=body).json
    assert order["status"] == "filled" and order["price"] is None
    assert _balance(tp, "SOL")[0] == sol + 10
    cost = last * 10 * Decimal("1.001")
    assert abs(_balance(tp, "USD")[0] - (usd - cost)) < Decimal("0.00000002")
    fills = tp.request("GET", "/v1/fills", f"order_id={order['order_id']}").json["fills"]
    assert len(fills) == 1 and Decimal(fills[0]["price"]) == last


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"price": "2000.005"}, -1014),
        ({"quantity": "0.00005"}, -1013),
        ({"quantity": "0.0001", "price": "10.00"}, -1013),
        ({"quantity": "-1"}, -1013),
        ({"quantity": "NaN"}, -1013),
        ({"quantity": "1e400"}, -1013),
        ({"quantity": True}, -1013),
        ({"symbol": "DOGE-USD"}, -1121),
        ({"symbol": None}, -1102),
        ({"side": "hold"}, -1100),
        ({"type": "stop"}, -1100),
        ({"quantity": "100000"}, -2010),
        ({"client_order_id": "has space"}, -1100),
        ({"leverage": 10}, -1104),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(
    tp: TradepostClient, change: dict[str, object], code: int
) -> None:
    body = {k: v for k, v in {**LIMIT, **change}.items() if v is not None}
    before = tp.world.snapshot()
    reply = tp.request("POST", "/v1/orders", body=body)
    assert reply.status == 400, reply.json
    assert reply.json["code"] == code, reply.json
    assert tp.world.diff(before) == {}


def test_a_market_order_takes_no_price(tp: TradepostClient) -> None:
    reply = tp.request("POST", "/v1/orders", body={**LIMIT, "type": "market"})
    assert reply.json["code"] == -1014


def test_numbers_are_accepted_for_decimals(tp: TradepostClient) -> None:
    reply = tp.request("POST", "/v1/orders", body={**LIMIT, "quantity": 0.5, "price": 2000})
    assert reply.status == 201 and reply.json["quantity"] == "0.5000"


def test_client_order_ids_are_unique(tp: TradepostClient) -> None:
    assert tp.request("POST", "/v1/orders", body={**LIMIT, "client_order_id": "x"}).status == 201
    reply = tp.request("POST", "/v1/orders", body={**LIMIT, "client_order_id": "x"})
    assert reply.status == 400 and "Duplicate" in reply.json["msg"]


@pytest.mark.parametrize("raw", [b"{", b"[]", b'"x"', b"{" * 5000])
def test_malformed_bodies_are_400(tp: TradepostClient, raw: bytes) -> None:
    reply = tp.request("POST", "/v1/orders", body=raw)
    assert reply.status == 400 and reply.json["code"] == -1101


def test_listing_walks_every_open_order_once() -> None:
    tp = TradepostClient(0, open_orders=130)
    seen: list[int] = []
    query = "status=open&limit=50"
    while True:
        page = tp.request("GET", "/v1/orders", query).json
        seen.extend(o["order_id"] for o in page["orders"])
        if page["next_cursor"] is None:
            break
        query = f"status=open&limit=50&cursor={page['next_cursor']}"
    expected = sorted(
        (
            o["order_id"]
            for o in tp.world.table("tradepost.orders").values()
            if o["status"] == "open"
        ),
        reverse=True,
    )
    assert seen == expected and len(seen) == 130


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", -1100),
        ("limit=101", -1100),
        ("status=closed", -1100),
        ("cursor=%%%", -1128),
        ("cursor=eyJiZWZvcmUiOiJ4In0", -1128),
        ("page=2", -1104),
        ("symbol=XYZ", -1121),
    ],
)
def test_bad_list_queries(tp: TradepostClient, query: str, code: int) -> None:
    reply = tp.request("GET", "/v1/orders", query)
    assert reply.status == 400 and reply.json["code"] == code, reply.json


def test_account_and_unknown_orders(tp: TradepostClient) -> None:
    account = tp.request("GET", "/v1/account").json
    assert {b["asset"] for b in account["balances"]} == {"USD", "BTC", "ETH", "SOL", "XAU", "WHT"}
    assert tp.request("GET", "/v1/orders/1").json["code"] == -2013
    assert tp.request("GET", "/v1/orders/abc").status == 404
    assert tp.request("GET", "/v1/fills", "order_id=x").json["code"] == -1100


def test_seeded_locks_match_the_open_orders(tp: TradepostClient) -> None:
    markets = tp.world.table("tradepost.markets")
    locked: dict[str, Decimal] = {}
    for o in tp.world.table("tradepost.orders").values():
        if o["status"] == "open":
            m = markets[o["symbol"]]
            asset = m["quote_asset"] if o["side"] == "buy" else m["base_asset"]
            amount = (
                Decimal(o["price"]) * Decimal(o["quantity"])
                if o["side"] == "buy"
                else Decimal(o["quantity"])
            )
            locked[asset] = locked.get(asset, Decimal(0)) + amount
    for asset, total in locked.items():
        assert abs(_balance(tp, asset)[1] - total) < Decimal("0.00000001") * 100
