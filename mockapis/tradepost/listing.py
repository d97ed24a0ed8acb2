"""Newest-first keyset listing with an opaque ``cursor`` and ``limit`` (orders and fills)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.requests import Request

from mockapis.kit.pagination import decode_cursor, encode_cursor
from mockapis.kit.parsing import query_int
from mockapis.tables import Record
from mockapis.tradepost.data import MARKETS
from mockapis.tradepost.errors import tp_error
from mockapis.world import World

__all__ = ["MAX_LIMIT", "check_params", "page", "symbol_param"]

MAX_LIMIT = 100


def check_params(request: Request, allowed: Iterable[str]) -> None:
    """400 ``unknown_parameter`` for a query parameter the endpoint does not take."""
    known = set(allowed)
    for name in request.query_params:
        if name not in known:
            raise tp_error(
                400,
                "unknown_parameter",
                f"Unknown query parameter {name[:40]!r}; this endpoint takes "
                f"{', '.join(sorted(known))}.",
            )


def symbol_param(request: Request, world: World) -> str | None:
    """The ``symbol`` filter, which must name a market."""
    symbol = request.query_params.get("symbol")
    if symbol is not None and symbol not in world.table(MARKETS):
        raise tp_error(
            400,
            "invalid_symbol",
            f"Invalid symbol {symbol[:40]!r}; markets: {', '.join(world.table(MARKETS))}.",
        )
    return symbol


def page(
    request: Request, rows: list[Record], key: str, keep: Callable[[Record], bool]
) -> tuple[list[Record], str | None]:
    """The ``limit`` rows after ``cursor`` of ``rows`` kept by ``keep``, newest (largest
    ``key``) first, and the cursor of the next page (``None`` on the last)."""
    limit = query_int(request, "limit", 50, minimum=1, maximum=MAX_LIMIT)
    raw = request.query_params.get("cursor")
    before: int | None = None
    if raw:
        payload: dict[str, Any] = decode_cursor(raw)
        before = payload.get("before")
        if isinstance(before, bool) or not isinstance(before, int):
            raise tp_error(400, "invalid_cursor", "cursor is not one this API issued.")
    ordered = sorted((r for r in rows if keep(r)), key=lambda r: r[key], reverse=True)
    if before is not None:
        ordered = [r for r in ordered if r[key] < before]
    window = ordered[:limit]
    more = len(ordered) > limit
    return window, encode_cursor({"before": window[-1][key]}) if more else None
