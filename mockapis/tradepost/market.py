"""Public, unsigned endpoints: the server time and the markets."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.tradepost.data import MARKETS
from mockapis.tradepost.signing import now_ms
from mockapis.world import World

__all__ = ["ROUTES"]


async def server_time(request: Request) -> Response:
    """``GET /v1/time``: the server's clock in milliseconds (sign with it)."""
    world: World = request.scope["world"]
    return JSONResponse({"serverTime": now_ms(world)})


async def markets(request: Request) -> Response:
    """``GET /v1/markets``: every market with its trading rules and last price."""
    world: World = request.scope["world"]
    return JSONResponse({"markets": list(world.table(MARKETS).values())})


ROUTES = [
    Route("/v1/time", server_time, methods=["GET"]),
    Route("/v1/markets", markets, methods=["GET"]),
]
