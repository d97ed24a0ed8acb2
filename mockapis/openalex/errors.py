"""OpenAlex's error body: ``{"error": <kind>, "message": <detail>}``."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid", "render_error"]

_KINDS = {400: "Invalid query parameters error.", 404: "Not Found"}


def invalid(message: str) -> ApiError:
    """A 400 for a refused query parameter (filter, sort, page, cursor...)."""
    return ApiError(400, message, code="invalid_query")


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error", "message"}`` as OpenAlex sends it."""
    kind = _KINDS.get(exc.status, "Error")
    return {"error": kind, "message": exc.message.encode("utf-8", "replace").decode("utf-8")}
