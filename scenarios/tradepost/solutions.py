"""Reference solutions of the Tradepost scenarios: HTTP only, signing with hmac and hashlib.

The agent's clock is not the server's (in the gym the episode clock starts at the scenario's
epoch), so the signer learns the server time from ``GET /v1/time`` and keeps it current from
every response's ``Date`` header, never from its own clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from gym_apibench.solving import (
    Exchange,
    Solution,
    SolutionError,
    expect_json,
    request,
    server_time,
)


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

    def _observe(self, obs: dict[str, Any]) -> None:
        now = server_time(obs)
        if now is not None:
            self.server_ms = max(self.server_ms, int(now.timestamp() * 1000))

    def call(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
    ) -> Exchange:
        """Send a signed request; the observation."""
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
        obs = yield action
        self._observe(obs)
        return obs


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
    placed = expect_json((yield from signer.call("POST", "/v1/orders", body=order)), 201)
    yield {"submit": placed["order_id"]}


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
    orders: list[dict[str, Any]] = []
    cursor: list[tuple[str, str]] = []
    while True:
        query = [("status", "open"), ("limit", "100"), *cursor]
        page = expect_json((yield from signer.call("GET", "/v1/orders", query)))
        orders.extend(page["orders"])
        if not page["next_cursor"]:
            break
        cursor = [("cursor", page["next_cursor"])]
    for order in orders:
        reference = last[order["symbol"]]
        if abs(Decimal(order["price"]) - reference) > reference * pct / 100:
            obs = yield from signer.call("DELETE", f"/v1/orders/{order['order_id']}")
            if obs["status"] != 200:
                raise SolutionError(f"cancel failed: {obs['body'][:200]}")
    yield {"submit": None}
