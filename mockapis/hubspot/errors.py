"""HubSpot's error body: ``{"status": "error", "message", "correlationId", "category", ...}``."""

from __future__ import annotations

import uuid
from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["CATEGORIES", "render_error"]

CATEGORIES = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    403: "MISSING_SCOPES",
    404: "OBJECT_NOT_FOUND",
    405: "VALIDATION_ERROR",
    409: "CONFLICT",
    413: "VALIDATION_ERROR",
    415: "VALIDATION_ERROR",
    429: "RATE_LIMITS",
}
"""HubSpot's error ``category`` by status, unless the error names its own."""

_CODES = {
    "invalid_token": "EXPIRED_AUTHENTICATION",
    "server_error": "INTERNAL_ERROR",
    "invalid_cursor": "VALIDATION_ERROR",
}
"""Categories for the codes the kit and the fault layer use."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """HubSpot's JSON error; ``extra`` adds fields (``errors``, ``context``, ``links``)."""
    category = exc.extra.get("category") or _CODES.get(exc.code)
    if category is None:
        category = "INTERNAL_ERROR" if exc.status >= 500 else CATEGORIES.get(exc.status, "ERROR")
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    # Deterministic: the same error always gets the same id (no RNG is at hand here).
    correlation = uuid.uuid5(uuid.NAMESPACE_URL, f"hubspot:{exc.status}:{message}")
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "correlationId": str(correlation),
        "category": category,
    }
    body.update({k: v for k, v in exc.extra.items() if k != "category"})
    return body
