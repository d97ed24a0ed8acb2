"""Stripe's error object, and how the kit's error codes map onto it."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["missing", "param_error", "render_error"]

_GENERIC = frozenset(
    {
        "invalid_request",
        "validation_type",
        "invalid_json",
        "http_error",
        "not_found",
        "method_not_allowed",
        "unauthorized",
        "payload_too_large",
    }
)
"""Kit codes with no Stripe counterpart: Stripe sends such errors without a ``code``."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"type", "message", "code"?, "param"?, "doc_url"?}}`` as Stripe sends it."""
    if exc.code.startswith("idempotency"):
        kind = "idempotency_error"
    elif exc.status >= 500:
        kind = "api_error"
    else:
        kind = "invalid_request_error"
    error: dict[str, Any] = {"type": kind}
    if exc.status == 429:
        error["code"] = "rate_limit"
    elif exc.code not in _GENERIC and not exc.code.startswith("idempotency"):
        error["code"] = exc.code
        error["doc_url"] = f"https://stripe.com/docs/error-codes/{exc.code.replace('_', '-')}"
    # Messages may quote what the agent sent; never let a lone surrogate break the encoder.
    error["message"] = exc.message.encode("utf-8", "replace").decode("utf-8")
    if "param" in exc.extra:
        error["param"] = exc.extra["param"]
    return {"error": error}


def param_error(param: str, message: str, code: str = "parameter_invalid") -> ApiError:
    """A 400 about one request parameter (``code``: ``parameter_invalid_integer``, ...)."""
    return ApiError(400, message, code=code, extra={"param": param})


def missing(kind: str, object_id: str, param: str = "id") -> ApiError:
    """Stripe's 404 for an id that names nothing: ``No such customer: 'cus_x'``."""
    return ApiError(
        404, f"No such {kind}: '{object_id}'", code="resource_missing", extra={"param": param}
    )
