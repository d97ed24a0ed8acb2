"""Reference solutions of the Tradepost scenarios: HTTP only, signing with hmac and hashlib.

The agent's clock is not the server's (in the gym the episode clock starts at the scenario's
epoch), so the signer learns the server time from ``GET /v1/time`` and keeps it current from
every response's ``Date`` header, never from its own clock.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Generator, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from gym_apibench.solving import (
    Check,
    Exchange,
    Solution,
    SolutionError,
    expect_json,
    hint,
    request,
    restarts,
    server_time,
)

Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


class Signer:
    """A Tradepost client: the signing keys and the server time as last seen."""

    def __init__(self, task: dict[str, Any], *, sort_query: bool = True, compact: bool = True):
        self.base = task["services"]["tradepost"]
        creds = task["credentials"]["tradepost"]
        self.key, self.secret = creds["key"], creds["secret"]
        self.sort_query = sort_query
        self.compact = compact
        self.server_ms = 0
        self.last_ms = 0

    def sync(self) -> Exchange:
        """Read the server time."""
        obs = yield request("GET", self.base + "/v1/time")
        self.server_ms = expect_json(obs)["serverTime"]
        return obs

    def _observe(self, obs: Mapping[str, Any]) -> None:
        now = server_time(obs)
        if now is not None:
            self.server_ms = max(self.server_ms, int(now.timestamp() * 1000))

    def call(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        *,
        check: Check | None = None,
    ) -> Exchange:
        """Send a signed request; the observation. A retry is signed afresh (see
        :meth:`signed`); ``check`` tells whether a lost write happened."""

        def remake(failed: Mapping[str, Any]) -> Exchange:
            yield from self.resync(failed)
            return self.signed(method, path, query, body)

        action = hint(self.signed(method, path, query, body), check=check, remake=remake)
        obs = yield action
        self._observe(obs)
        return obs

    def resync(
        self, failed: Mapping[str, Any]
    ) -> Generator[dict[str, Any], dict[str, Any], Mapping[str, Any]]:
        """Before a retry: the server time from the failed answer, or (an answer lost in
        transport, after a wait of unknown length) from the server."""
        if server_time(failed) is None:
            return (yield from self.sync())
        self._observe(failed)
        return failed

    def signed(
        self, method: str, path: str, query: Sequence[tuple[str, str]] = (), body: Any = None
    ) -> dict[str, Any]:
        """A request action signed now (by the server time as last seen)."""
        pairs = [(quote(k, safe=""), quote(v, safe="")) for k, v in query]
        signed_query = "&".join(
            f"{k}={v}" for k, v in (sorted(pairs) if self.sort_query else pairs)
        )
        sent_query = "&".join(f"{k}={v}" for k, v in pairs)
        text = "" if body is None else json.dumps(body, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()
        stamp = max(self.server_ms, self.last_ms + 1)
        self.last_ms = stamp
        to_sign = f"{stamp}{method}{path}{'?' + signed_query if signed_query else ''}{digest}"
        headers = {
            "TP-API-KEY": self.key,
            "TP-TIMESTAMP": str(stamp),
            "TP-SIGNATURE": hmac.new(self.secret.encode(), to_sign.encode(), "sha256").hexdigest(),
        }
        if body is not None:
            headers["TP-CONTENT-SHA256"] = digest
            headers["Content-Type"] = "application/json"
        url = self.base + path + (f"?{sent_query}" if sent_query else "")
        action = request(method, url, headers=headers)
        if body is not None:
            if self.compact:
                action["body"] = text
            else:  # the naive client hashes one serialisation and sends another
                action["json"] = body
        return action


def place_limit_buy(task: dict[str, Any]) -> Solution:
    """Sync the clock, then place the order with the exact body bytes hashed and signed."""
    yield from _place(Signer(task), task["inputs"])


def place_with_reserialised_body(task: dict[str, Any]) -> Solution:
    """The naive client: hashes compact JSON but lets the client re-serialise the body."""
    yield from _place(Signer(task, compact=False), task["inputs"])


def _place(signer: Signer, inputs: dict[str, Any]) -> Solution:
    yield from signer.sync()
    order = {
        "symbol": inputs["symbol"],
        "side": "buy",
        "type": "limit",
        "quantity": inputs["quantity"],
        "price": inputs["price"],
        "client_order_id": inputs["client_order_id"],
    }
    check = functools.partial(_placed, signer, order["client_order_id"])
    placed = expect_json(
        (yield from signer.call("POST", "/v1/orders", body=order, check=check)), 201
    )
    yield {"submit": placed["order_id"]}


def _placed(signer: Signer, client_order_id: str) -> Exchange:
    """After a lost response: the open order with ``client_order_id``, if it was placed."""
    yield from signer.sync()  # the timeout's wait left the last seen server time behind
    orders = yield from _open_orders(signer, until=client_order_id)
    for order in orders:
        if order["client_order_id"] == client_order_id:
            return {"status": 201, "headers": {}, "body": json.dumps(order)}
    return {}


@restarts
def _open_orders(signer: Signer, *, until: str | None = None) -> Paged:
    """The open orders, page by page: all of them, or (``until``) up to the page holding
    the order with that ``client_order_id``. From the first page again if a cursor expires."""
    orders: list[dict[str, Any]] = []
    cursor: list[tuple[str, str]] = []
    while True:
        query = [("status", "open"), ("limit", "100"), *cursor]
        page = expect_json((yield from signer.call("GET", "/v1/orders", query)))
        orders.extend(page["orders"])
        found = until is not None and any(o["client_order_id"] == until for o in page["orders"])
        if found or not page["next_cursor"]:
            return orders
        cursor = [("cursor", page["next_cursor"])]


def _canceled(signer: Signer, path: str) -> Exchange:
    """After a lost response: the order at ``path``, if the cancel went through."""
    yield from signer.sync()
    order = expect_json((yield from signer.call("GET", path)))
    return (
        {"status": 200, "headers": {}, "body": json.dumps(order)}
        if order["status"] == "canceled"
        else {}
    )


def cancel_far_orders(task: dict[str, Any]) -> Solution:
    """List every open order (all pages), cancel those too far from the last price."""
    yield from _cancel_far(Signer(task), task["inputs"]["pct"])


def cancel_far_unsorted_query(task: dict[str, Any]) -> Solution:
    """The naive client: signs the query in the order it sends it, not sorted."""
    yield from _cancel_far(Signer(task, sort_query=False), task["inputs"]["pct"])


def _cancel_far(signer: Signer, pct: int) -> Solution:
    yield from signer.sync()
    markets = expect_json((yield request("GET", signer.base + "/v1/markets")))["markets"]
    last = {m["symbol"]: Decimal(m["last_price"]) for m in markets}
    orders = yield from _open_orders(signer)
    for order in orders:
        reference = last[order["symbol"]]
        if abs(Decimal(order["price"]) - reference) > reference * pct / 100:
            path = f"/v1/orders/{order['order_id']}"
            check = functools.partial(_canceled, signer, path)
            obs = yield from signer.call("DELETE", path, check=check)
            if obs["status"] != 200:
                raise SolutionError(f"cancel failed: {obs['body'][:200]}")
    yield {"submit": None}
