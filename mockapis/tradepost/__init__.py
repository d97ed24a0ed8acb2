"""Tradepost (``api.tradepost.example``): a fictional crypto and commodity exchange whose
private endpoints take HMAC-signed requests (see :mod:`mockapis.tradepost.signing`).

Public: ``GET /v1/time``, ``GET /v1/markets``. Signed: ``GET /v1/account``, ``GET /v1/fills``,
``POST /v1/orders`` (JSON body, so ``TP-CONTENT-SHA256`` too), ``GET /v1/orders``,
``GET /v1/orders/{order_id}``, ``DELETE /v1/orders/{order_id}``. Errors are
``{"code": <negative int>, "msg": "..."}`` (:data:`mockapis.tradepost.errors.CODES`), with
``serverTime`` on auth errors. ``client_clock=True``: responses carry a ``Date`` header.

Stored tables (scenario checks read them):

- ``tradepost.markets``: symbol -> ``{"symbol", "base_asset", "quote_asset", "status",
  "tick_size", "step_size", "min_quantity", "min_notional", "last_price"}``.
- ``tradepost.balances``: asset -> ``{"asset", "free", "locked"}`` (8-decimal strings).
- ``tradepost.orders``: str(order_id) -> ``{"order_id", "client_order_id", "symbol", "side",
  "type", "price", "quantity", "filled_quantity", "status", "created_at", "updated_at"}``
  (times in ms; ``status`` open, filled or canceled).
- ``tradepost.fills``: str(fill_id) -> ``{"fill_id", "order_id", "symbol", "side", "price",
  "quantity", "fee", "fee_asset", "time"}``.
- ``tradepost._api_keys``, ``tradepost._sequence``: credentials and the order-id sequence.

Sizes: ``open_orders`` (default 30) and ``history`` (closed orders, default 120).
"""

from mockapis.service import Service
from mockapis.tradepost import account, market, orders
from mockapis.tradepost.data import DEFAULT_SIZES, HOST, seed
from mockapis.tradepost.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    name="tradepost",
    hosts=(HOST,),
    routes=[*market.ROUTES, *account.ROUTES, *orders.ROUTES],
    spec="tradepost.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Tradepost exchange: HMAC-SHA256 signed requests with body hash, skew and replay "
    "checks; balances, orders, fills.",
    default_sizes=DEFAULT_SIZES,
    client_clock=True,
)
