"""Tradepost's error catalogue: ``{"code": <negative int>, "msg": "..."}`` like real exchanges."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["CODES", "render_error", "tp_error"]

CODES: dict[str, int] = {
    "http_error": -1000,
    "unauthorized": -1002,
    "timestamp_outside_window": -1021,
    "bad_signature": -1022,
    "replayed": -1023,
    "content_hash_mismatch": -1024,
    "content_hash_missing": -1025,
    "bad_timestamp": -1026,
    "invalid_json": -1101,
    "missing_parameter": -1102,
    "unknown_parameter": -1104,
    "validation_type": -1100,
    "invalid_request": -1100,
    "invalid_cursor": -1128,
    "invalid_quantity": -1013,
    "invalid_price": -1014,
    "invalid_symbol": -1121,
    "insufficient_balance": -2010,
    "cancel_rejected": -2011,
    "no_such_order": -2013,
    "bad_key_format": -2014,
    "invalid_key": -2015,
    "not_found": -1404,
    "method_not_allowed": -1405,
    "payload_too_large": -1413,
    "unsupported_media_type": -1415,
}
"""Reason -> error code; the spec's table of codes is this one."""


def tp_error(
    status: int, code: str, msg: str, *, server_ms: int | None = None, **headers: str
) -> ApiError:
    """An error in the catalogue; ``server_ms`` adds ``serverTime`` for clients to sync."""
    extra = {} if server_ms is None else {"serverTime": server_ms}
    return ApiError(status, msg, code=code, extra=extra, headers=headers)


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"code", "msg"}`` (plus ``serverTime`` on auth errors)."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"code": CODES.get(exc.code, -1000), "msg": message, **exc.extra}
