"""Attio's error body, and how the kit's error codes map onto it."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]

_CODES = {
    "invalid_json": "validation_type",
    "invalid_request": "validation_type",
    "http_error": "validation_type",
}


_TYPES = {401: "auth_error", 403: "auth_error", 429: "rate_limit_error"}
"""Attio's error types by status (429 as in Attio's rate-limiting guide)."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"status_code", "type", "code", "message"}`` as Attio sends it."""
    kind = _TYPES.get(exc.status) or ("api_error" if exc.status >= 500 else "invalid_request_error")
    # Messages may quote what the agent sent; never let a lone surrogate break the encoder.
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {
        "status_code": exc.status,
        "type": kind,
        "code": _CODES.get(exc.code, exc.code),
        "message": message,
    }
