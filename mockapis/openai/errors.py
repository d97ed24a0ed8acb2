"""OpenAI's error object ``{"error": {"message", "type", "param", "code"}}``."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["invalid_value", "missing_param", "not_found", "oai_error", "render_error"]

_KIT_CODES = frozenset(
    {
        "invalid_request",
        "validation_type",
        "invalid_json",
        "http_error",
        "not_found",
        "method_not_allowed",
        "unauthorized",
        "payload_too_large",
        "unsupported_media_type",
    }
)
"""Kit codes with no OpenAI counterpart: such errors carry ``"code": null``."""


def oai_error(
    status: int,
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    kind: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> ApiError:
    """An :class:`ApiError` rendered with OpenAI's ``type``, ``param`` and ``code``."""
    return ApiError(
        status,
        message,
        code=code or "invalid_request",
        headers=headers,
        extra={"param": param, "type": kind, "oai_code": code},
    )


def missing_param(param: str) -> ApiError:
    """``Missing required parameter: 'model'.``"""
    return oai_error(
        400,
        f"Missing required parameter: '{param}'.",
        param=param,
        code="missing_required_parameter",
    )


def invalid_value(param: str, message: str) -> ApiError:
    """A 400 ``invalid_value`` about ``param``."""
    return oai_error(400, message, param=param, code="invalid_value")


def not_found(message: str, param: str | None = None) -> ApiError:
    """A 404 about an id that names nothing."""
    return oai_error(404, message, param=param)


def render_error(exc: ApiError) -> dict[str, Any]:
    """The error object; kit errors (routing, parsing) are ``invalid_request_error`` with a
    null code, 429 is ``requests``/``rate_limit_exceeded`` and 5xx ``server_error``."""
    extra = exc.extra
    if "type" in extra:
        kind, code = extra["type"], extra.get("oai_code")
    elif exc.status == 429:
        kind, code = "requests", "rate_limit_exceeded"
    elif exc.status >= 500:
        kind, code = "server_error", None
    else:
        kind, code = "invalid_request_error", None if exc.code in _KIT_CODES else exc.code
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"error": {"message": message, "type": kind, "param": extra.get("param"), "code": code}}
