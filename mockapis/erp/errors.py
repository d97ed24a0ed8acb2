"""Millbrook ERP's one error format: ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]

_CODES = {
    "validation_type": "invalid_request",
    "http_error": "invalid_request",
}


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"code", "message"}}``, the kit's generic codes folded into ERP ones."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"error": {"code": _CODES.get(exc.code, exc.code), "message": message, **exc.extra}}
