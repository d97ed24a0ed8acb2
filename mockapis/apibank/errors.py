"""API-Bank's error bodies: every error is a result ``{"api_name", "input", "output",
"exception"}`` with the message as ``exception`` (routing, body and parse errors included)."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """The result shape; ``api_name`` and ``input`` when the error carries them."""
    return {
        "api_name": exc.extra.get("api_name"),
        "input": exc.extra.get("input"),
        "output": None,
        "exception": exc.message.encode("utf-8", "replace").decode("utf-8"),
    }
