"""Clockify's error body, ``{"message", "code"}``, and how the kit's error codes map onto it."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]

_CODES = {401: 1000, 400: 501}
"""Clockify's codes: 1000 for missing or wrong credentials, 501 for a refused parameter."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"message", "code"}`` as Clockify sends it (``code`` a number)."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"message": message, "code": _CODES.get(exc.status, exc.status)}
