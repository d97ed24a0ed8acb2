"""ClickUp's error body, ``{"err", "ECODE"}``, and how the kit's error codes map onto it."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["ECODES", "render_error"]

ECODES = {
    "not_found": "APP_001",
    "method_not_allowed": "APP_001",
    "http_error": "APP_001",
    "rate_limited": "APP_002",
    "invalid_json": "INPUT_001",
    "unsupported_media_type": "INPUT_001",
    "payload_too_large": "INPUT_001",
    "validation_type": "INPUT_005",
    "invalid_request": "INPUT_005",
}
"""Kit codes -> ClickUp ``ECODE``s; a handler's own code (``OAUTH_019``, ``ITEM_013``) is kept."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"err": message, "ECODE": code}`` as ClickUp sends it."""
    # Messages may quote what the agent sent; never let a lone surrogate break the encoder.
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"err": message, "ECODE": ECODES.get(exc.code, exc.code)}
