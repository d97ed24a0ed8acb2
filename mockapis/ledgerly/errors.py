"""Ledgerly's error body for errors raised outside its handlers (unknown paths, methods)."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError
from mockapis.ledgerly.formats import error_body

__all__ = ["render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"status", "code", "message"}}``: the JSON form of Ledgerly's errors.

    Handlers answer in the request's format (XML by default); only the router's own 404 and
    405, which the service's app renders as JSON, come through here.
    """
    return {"error": error_body(exc)}
