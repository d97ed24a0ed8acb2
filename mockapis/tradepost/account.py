"""Signed account endpoints: balances and fills."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.tradepost.data import BALANCES, FILLS
from mockapis.tradepost.errors import tp_error
from mockapis.tradepost.listing import check_params, page, symbol_param
from mockapis.tradepost.signing import now_ms, verify

__all__ = ["ROUTES"]


async def account(request: Request) -> Response:
    """``GET /v1/account``: the account's balances per asset (free and locked in orders)."""
    world, key = await verify(request)
    check_params(request, ())
    return JSONResponse(
        {
            "account_id": key["account_id"],
            "balances": list(world.table(BALANCES).values()),
            "serverTime": now_ms(world),
        }
    )


async def fills(request: Request) -> Response:
    """``GET /v1/fills``: executed trades, newest first, by symbol or order."""
    world, _ = await verify(request)
    check_params(request, ("symbol", "order_id", "limit", "cursor"))
    symbol = symbol_param(request, world)
    order = request.query_params.get("order_id")
    if order is not None and not (order.isascii() and order.isdigit() and len(order) < 16):
        raise tp_error(400, "invalid_request", "order_id must be an integer.")
    wanted = int(order) if order is not None else None
    rows, cursor = page(
        request,
        list(world.table(FILLS).values()),
        "fill_id",
        lambda r: (
            (symbol is None or r["symbol"] == symbol)
            and (wanted is None or r["order_id"] == wanted)
        ),
    )
    return JSONResponse({"fills": rows, "next_cursor": cursor})


ROUTES = [
    Route("/v1/account", account, methods=["GET"]),
    Route("/v1/fills", fills, methods=["GET"]),
]
