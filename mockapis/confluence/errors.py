"""Confluence's error body: ``{"statusCode", "data", "message", "reason"}``."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["bad_request", "render_error"]


def bad_request(message: str) -> ApiError:
    """A 400 for a refused parameter."""
    return ApiError(400, message, code="bad_request")


def render_error(exc: ApiError) -> dict[str, Any]:
    """Confluence's error object (``data`` tells whether the caller was authorized)."""
    try:
        reason = HTTPStatus(exc.status).phrase
    except ValueError:
        reason = "Error"
    return {
        "statusCode": exc.status,
        "data": {
            "authorized": exc.status not in (401, 403),
            "valid": exc.status != 400,
            "allowedInReadOnlyMode": True,
            "errors": [],
            "successful": False,
        },
        "message": exc.message.encode("utf-8", "replace").decode("utf-8"),
        "reason": reason,
    }
