"""The file server's error body: ``{"error": {"code", "message"}}`` (plus any extra fields)."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"code", "message", ...extra}}``."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"error": {"code": exc.code, "message": message, **exc.extra}}
