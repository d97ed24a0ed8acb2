"""The storefront's error body: ``{"errors": "Not Found"}`` or ``{"errors": {param: msg}}``."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid_param", "render_error"]


def invalid_param(param: str, message: str) -> ApiError:
    """A 400 for one refused query parameter: ``{"errors": {param: message}}``."""
    return ApiError(400, message, code="invalid_param", extra={"param": param})


def render_error(exc: ApiError) -> dict[str, Any]:
    """Shopify's ``errors`` member: a string, or parameter -> message for a refused one."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    if "param" in exc.extra:
        return {"errors": {exc.extra["param"]: message}}
    return {"errors": "Not Found" if exc.status == 404 else message}
