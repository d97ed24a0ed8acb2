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


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"status_code", "type", "code", "message"}`` as Attio sends it."""
    kind = "auth_error" if exc.status in (401, 403) else "invalid_request_error"
    # Messages may quote what the agent sent; never let a lone surrogate break the encoder.
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {
        "status_code": exc.status,
        "type": kind,
        "code": _CODES.get(exc.code, exc.code),
        "message": message,
    }
