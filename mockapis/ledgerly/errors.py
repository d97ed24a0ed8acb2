"""Ledgerly's errors, in the request's format: XML unless ``?format=json`` (XML too when the
format itself is invalid), for handlers and the router's own 404 and 405 alike."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.errors import ApiError
from mockapis.ledgerly.formats import error_body, error_response

__all__ = ["negotiated_error", "render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"status", "code", "message"}}``: the JSON form of Ledgerly's errors."""
    return {"error": error_body(exc)}


def negotiated_error(exc: ApiError, request: Request) -> Response:
    """``exc`` as XML, or as JSON when the request asks ``?format=json``."""
    fmt = request.query_params.get("format", "xml").lower()
    return error_response(exc, "json" if fmt == "json" else "xml")
