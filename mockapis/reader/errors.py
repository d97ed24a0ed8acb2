"""Jina Reader's error body: ``{"data": null, "code", "name", "status", "message",
"readableMessage"}`` (civkit's envelope), with the error class's name and its five-digit
status (the HTTP code followed by a sub-code)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["ERRORS", "reader_error", "render_error"]

ERRORS: Mapping[str, tuple[int, str, int]] = {
    "invalid_param": (400, "ParamValidationError", 40001),
    "unauthorized": (401, "AuthenticationFailedError", 40103),
    "not_found": (404, "ResourceNotFoundError", 40401),
    "method_not_allowed": (405, "MethodNotAllowedError", 40501),
    "rate_limited": (429, "RateLimitTriggeredError", 42903),
    "target_failed": (422, "AssertionFailureError", 42206),
}
"""Error code -> (HTTP status, error class name, envelope status)."""


def reader_error(
    code: str, message: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> ApiError:
    """An :class:`ApiError` of one of the :data:`ERRORS` kinds."""
    status, name, sub = ERRORS[code]
    return ApiError(
        status, message, code=code, headers=headers, extra={"name": name, "status": sub, **extra}
    )


def render_error(exc: ApiError) -> dict[str, Any]:
    """Jina's error envelope; errors not raised through :func:`reader_error` get the class
    name and status of their code (or a generic one)."""
    _, name, sub = ERRORS.get(exc.code, (exc.status, "ApplicationError", exc.status * 100))
    extra = dict(exc.extra)
    name = str(extra.pop("name", name))
    sub = int(extra.pop("status", sub))
    return {
        "data": None,
        **extra,
        "code": exc.status,
        "name": name,
        "status": sub,
        "message": exc.message,
        "readableMessage": f"{name}: {exc.message}",
    }
