"""PunkAPI's error body: ``{"statusCode", "error", "message"}`` plus ``data`` for invalid
parameters (one ``{"location", "param", "msg", "value"}`` per refused parameter)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid_param", "render_error"]


def invalid_param(location: str, param: str, msg: str, value: str) -> ApiError:
    """A 400 naming one refused query (``location="query"``) or path parameter."""
    message = "Invalid query params" if location == "query" else "Invalid params"
    item = {"location": location, "param": param, "msg": msg, "value": value}
    return ApiError(400, message, code="invalid_params", extra={"data": [item]})


def render_error(exc: ApiError) -> dict[str, Any]:
    """PunkAPI's (hapi/boom style) error object."""
    try:
        reason = HTTPStatus(exc.status).phrase
    except ValueError:
        reason = "Error"
    body: dict[str, Any] = {
        "statusCode": exc.status,
        "error": reason,
        "message": exc.message.encode("utf-8", "replace").decode("utf-8"),
    }
    if "data" in exc.extra:
        body["data"] = list(exc.extra["data"])
    return body
