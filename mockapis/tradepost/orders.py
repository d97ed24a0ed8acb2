"""Signed order endpoints: place (JSON body), list, get and cancel.

Limit orders rest ``open`` (there is no matching engine: nobody else trades) and lock their
funds: a buy locks ``price * quantity`` of the quote asset, a sell ``quantity`` of the base.
Market orders fill at once at the market's ``last_price``, with a taker fee in the quote asset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.parsing import read_json
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.tradepost.data import (
    BALANCES,
    FEE_RATE,
    FILLS,
    MARKETS,
    ORDERS,
    SEQUENCE,
    amount,
    decimals,
    fill_of,
    lock_of,
)
from mockapis.tradepost.errors import tp_error
from mockapis.tradepost.listing import check_params, page, symbol_param
from mockapis.tradepost.signing import now_ms, verify
from mockapis.world import World

__all__ = ["ORDER_FIELDS", "ROUTES"]

ORDER_FIELDS = ("symbol", "side", "type", "quantity", "price", "client_order_id")
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,36}")
_STATUSES = ("open", "filled", "canceled")
_MAX_DECIMAL = Decimal(10**12)


async def place(request: Request) -> Response:
    """``POST /v1/orders``: place a limit or market order."""
    world, _ = await verify(request)
    check_params(request, ())
    body = await _body(request)
    market = _market(world, body)
    side = _choice(body, "side", ("buy", "sell"))
    kind = _choice(body, "type", ("limit", "market"))
    quantity = _decimal(body, "quantity", market["step_size"], "invalid_quantity")
    if kind == "limit":
        price = _decimal(body, "price", market["tick_size"], "invalid_price")
    elif body.get("price") is not None:
        raise tp_error(400, "invalid_price", "A market order takes no price.")
    else:
        price = Decimal(market["last_price"])
    if price * quantity < Decimal(market["min_notional"]):
        raise tp_error(
            400,
            "invalid_quantity",
            f"Order value {price * quantity} is below the market's min_notional "
            f"{market['min_notional']}.",
        )
    client_id = _client_order_id(world, body)
    sequence = world.table(SEQUENCE)
    order_id = sequence["order"]["next"]
    sequence.put("order", {"next": order_id + 1})
    stamp = now_ms(world)
    places = decimals(market["step_size"])
    order: Record = {
        "order_id": order_id,
        "client_order_id": client_id or f"tp-{order_id}",
        "symbol": market["symbol"],
        "side": side,
        "type": kind,
        "price": amount(price, decimals(market["tick_size"])) if kind == "limit" else None,
        "quantity": amount(quantity, places),
        "filled_quantity": amount(Decimal(0), places),
        "status": "open",
        "created_at": stamp,
        "updated_at": stamp,
    }
    if kind == "limit":
        asset, lock = lock_of(market, order)
        _move(world, asset, free=-lock, locked=lock)
    else:
        order = {**order, "status": "filled", "filled_quantity": order["quantity"]}
        _execute(world, market, order, stamp)
    world.table(ORDERS).put(str(order_id), order)
    return JSONResponse(order, 201)


async def list_orders(request: Request) -> Response:
    """``GET /v1/orders``: orders, newest first, by symbol, status and side."""
    world, _ = await verify(request)
    check_params(request, ("symbol", "status", "side", "limit", "cursor"))
    symbol = symbol_param(request, world)
    status = _query_choice(request, "status", _STATUSES)
    side = _query_choice(request, "side", ("buy", "sell"))
    rows, cursor = page(
        request,
        list(world.table(ORDERS).values()),
        "order_id",
        lambda r: (
            (symbol is None or r["symbol"] == symbol)
            and (status is None or r["status"] == status)
            and (side is None or r["side"] == side)
        ),
    )
    return JSONResponse({"orders": rows, "next_cursor": cursor})


async def get_order(request: Request) -> Response:
    """``GET /v1/orders/{order_id}``: one order."""
    world, _ = await verify(request)
    check_params(request, ())
    return JSONResponse(_order(world, request))


async def cancel(request: Request) -> Response:
    """``DELETE /v1/orders/{order_id}``: cancel an open order and release its funds."""
    world, _ = await verify(request)
    check_params(request, ())
    order = _order(world, request)
    if order["status"] != "open":
        raise tp_error(
            400,
            "cancel_rejected",
            f"Order {order['order_id']} is {order['status']}; only open orders can be canceled.",
        )
    market = world.table(MARKETS)[order["symbol"]]
    asset, lock = lock_of(market, order)
    _move(world, asset, free=lock, locked=-lock)
    canceled = {**order, "status": "canceled", "updated_at": now_ms(world)}
    world.table(ORDERS).put(str(order["order_id"]), canceled)
    return JSONResponse(canceled)


# -- helpers ---------------------------------------------------------------------------------


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await read_json(request, max_bytes=16_384)
    except RecursionError:
        raise tp_error(400, "invalid_json", "The JSON body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise tp_error(400, "invalid_json", "The body must be a JSON object.")
    unknown = sorted(set(body) - set(ORDER_FIELDS))
    if unknown:
        raise tp_error(
            400,
            "unknown_parameter",
            f"Unknown field(s) {', '.join(repr(u[:40]) for u in unknown[:5])}; an order takes "
            f"{', '.join(ORDER_FIELDS)}.",
        )
    return body


def _market(world: World, body: dict[str, Any]) -> Record:
    symbol = body.get("symbol")
    if symbol is None:
        raise tp_error(400, "missing_parameter", "Mandatory parameter 'symbol' was not sent.")
    market = world.table(MARKETS).get(symbol) if isinstance(symbol, str) else None
    if market is None:
        raise tp_error(
            400,
            "invalid_symbol",
            f"Invalid symbol {_shown(symbol)}; markets: {', '.join(world.table(MARKETS))}.",
        )
    return market


def _choice(body: dict[str, Any], name: str, options: tuple[str, ...]) -> str:
    value = body.get(name)
    if value is None:
        raise tp_error(400, "missing_parameter", f"Mandatory parameter '{name}' was not sent.")
    if value not in options:
        raise tp_error(
            400,
            "invalid_request",
            f"{name} must be one of {', '.join(options)}; got {_shown(value)}.",
        )
    return str(value)


def _decimal(body: dict[str, Any], name: str, step: str, code: str) -> Decimal:
    """A positive decimal (string or number) on the ``step`` grid, else 400 ``code``."""
    raw = body.get(name)
    if raw is None:
        raise tp_error(400, "missing_parameter", f"Mandatory parameter '{name}' was not sent.")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float) or len(str(raw)) > 32:
        raise tp_error(
            400, code, f'{name} must be a decimal string like "1.25"; got {_shown(raw)}.'
        )
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise tp_error(400, code, f"{name} {_shown(raw)} is not a decimal number.") from None
    if not value.is_finite() or value <= 0:
        raise tp_error(400, code, f"{name} must be greater than zero; got {_shown(raw)}.")
    if value >= _MAX_DECIMAL or value.adjusted() < -18:
        raise tp_error(400, code, f"{name} {_shown(raw)} is out of range (at most 10^12).")
    if value % Decimal(step) != 0:
        raise tp_error(400, code, f"{name} {raw} is not a multiple of the market's {step} step.")
    return value


def _client_order_id(world: World, body: dict[str, Any]) -> str | None:
    value = body.get("client_order_id")
    if value is None:
        return None
    if not isinstance(value, str) or not _CLIENT_ID.fullmatch(value):
        raise tp_error(
            400,
            "invalid_request",
            "client_order_id must be 1 to 36 characters of letters, digits, '_' and '-'.",
        )
    if any(o["client_order_id"] == value for o in world.table(ORDERS).values()):
        raise tp_error(400, "invalid_request", f"Duplicate client_order_id {value!r}.")
    return value


def _query_choice(request: Request, name: str, options: tuple[str, ...]) -> str | None:
    value = request.query_params.get(name)
    if value is not None and value not in options:
        raise tp_error(
            400,
            "invalid_request",
            f"{name} must be one of {', '.join(options)}; got {_shown(value)}.",
        )
    return value


def _order(world: World, request: Request) -> Record:
    raw = request.path_params["order_id"]
    order = world.table(ORDERS).get(raw) if raw.isascii() and raw.isdigit() else None
    if order is None:
        raise tp_error(404, "no_such_order", f"Order does not exist: {_shown(raw)}.")
    return order


def _move(world: World, asset: str, *, free: Decimal, locked: Decimal) -> None:
    balances = world.table(BALANCES)
    row = balances[asset]
    new_free, new_locked = Decimal(row["free"]) + free, Decimal(row["locked"]) + locked
    if new_free < 0:
        raise tp_error(
            400,
            "insufficient_balance",
            f"Account has insufficient balance for requested action: {asset} free "
            f"{row['free']}, needed {amount(-free)}.",
        )
    balances.put(asset, {**row, "free": amount(new_free), "locked": amount(new_locked)})


def _execute(world: World, market: Record, order: Record, stamp: int) -> None:
    """Settle a market order at the last price: balances and a fill."""
    notional = Decimal(market["last_price"]) * Decimal(order["quantity"])
    fee = notional * FEE_RATE
    base, quote = market["base_asset"], market["quote_asset"]
    if order["side"] == "buy":
        _move(world, quote, free=-(notional + fee), locked=Decimal(0))
        _move(world, base, free=Decimal(order["quantity"]), locked=Decimal(0))
    else:
        _move(world, base, free=-Decimal(order["quantity"]), locked=Decimal(0))
        _move(world, quote, free=notional - fee, locked=Decimal(0))
    fill = fill_of(market, order, stamp)
    world.table(FILLS).put(str(fill["fill_id"]), fill)


def _shown(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _route(path: str, handlers: dict[str, Callable[[Request], Awaitable[Response]]]) -> Route:
    """One route serving several methods, so that a 405 lists every allowed one."""

    async def endpoint(request: Request) -> Response:
        return await handlers[request.method if request.method != "HEAD" else "GET"](request)

    endpoint.__doc__ = " / ".join(f"{m}: {h.__doc__}" for m, h in handlers.items())
    return Route(path, endpoint, methods=list(handlers))


ROUTES = [
    _route("/v1/orders", {"POST": place, "GET": list_orders}),
    _route("/v1/orders/{order_id}", {"GET": get_order, "DELETE": cancel}),
]
