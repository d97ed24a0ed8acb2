"""Typeform's error body: ``{"code", "description"}`` (plus ``details`` for invalid parameters)."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid_param", "not_found", "render_error"]

_CODES = {
    400: "VALIDATION_ERROR",
    401: "AUTHENTICATION_FAILED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
    429: "RATE_LIMITED",
}


def invalid_param(name: str, description: str) -> ApiError:
    """A 400 for the query parameter ``name``, with Typeform's ``details`` entry."""
    return ApiError(
        400,
        description,
        code="VALIDATION_ERROR",
        extra={
            "details": [
                {
                    "code": "INVALID_PARAMETER",
                    "description": description,
                    "field": name,
                    "in": "query",
                }
            ]
        },
    )


def not_found(kind: str, key: str) -> ApiError:
    """Typeform's 404 for a form or workspace the token cannot see (``FORM_NOT_FOUND``...)."""
    return ApiError(
        404,
        f"Non existing {kind} with uid {key}",
        code=f"{kind.upper()}_NOT_FOUND",
    )


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"code", "description"}``; the code is Typeform's upper-case one when the handler named
    it, else the usual one for the status."""
    code = exc.code if exc.code.isupper() else _CODES.get(exc.status, "UNKNOWN_ERROR")
    body: dict[str, Any] = {
        "code": code,
        "description": exc.message.encode("utf-8", "replace").decode("utf-8"),
    }
    if "details" in exc.extra:
        body["details"] = exc.extra["details"]
    return body
