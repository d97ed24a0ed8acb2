"""Open Brewery DB's error bodies: ``{"message"}`` for lookups, ``{"errors": [...]}`` for
invalid parameters."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid", "render_error"]


def invalid(message: str) -> ApiError:
    """A 400 for a refused query parameter, rendered as ``{"errors": [message]}``."""
    return ApiError(400, message, code="invalid_parameter", extra={"errors": [message]})


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"errors": [...]}`` for parameter errors, else ``{"message": ...}``."""
    if "errors" in exc.extra:
        return {"errors": list(exc.extra["errors"])}
    return {"message": exc.message.encode("utf-8", "replace").decode("utf-8")}
