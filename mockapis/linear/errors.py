"""Linear's GraphQL error objects: ``{"message", "extensions": {"type", "code", ...}}``.

Two kinds: HTTP-level refusals (bad key, malformed request, over-complex query, rate limit)
raised as :class:`ApiError` and rendered by :func:`render_error`; and resolver errors (entity
not found, argument validation) raised as :class:`LinearError` inside execution, which come
back with HTTP 200 next to ``data``, as on Linear.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from mockapis.kit.errors import ApiError

__all__ = [
    "INPUT_ERROR",
    "LinearError",
    "api_error",
    "argument_error",
    "extensions",
    "not_found",
    "render_error",
]

INPUT_ERROR = ("invalid input", "INPUT_ERROR")
"""``(type, code)`` of Linear's generic input errors (not found, bad Authorization format)."""

_KIT_CODES: Mapping[str, tuple[str, str]] = {
    "unauthorized": ("authentication error", "AUTHENTICATION_ERROR"),
    "rate_limited": ("ratelimited", "RATELIMITED"),
}
"""Kit error codes -> Linear ``(type, code)``; anything else is an input error."""


def extensions(
    kind: str,
    code: str,
    status: int,
    *,
    user_message: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``extensions`` object of one Linear error."""
    found: dict[str, Any] = {"type": kind, "code": code, "statusCode": status, "userError": True}
    if user_message is not None:
        found["userPresentableMessage"] = user_message
    found.update(extra or {})
    found["meta"] = {}
    found["http"] = {"status": status}
    return found


class LinearError(GraphQLError):
    """An error a resolver raises; reported in ``errors`` (HTTP 200), with Linear's extensions."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = INPUT_ERROR[0],
        code: str = INPUT_ERROR[1],
        user_message: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            message,
            extensions=extensions(kind, code, 400, user_message=user_message, extra=extra),
        )


def not_found(entity: str) -> LinearError:
    """Linear's not-found: an input error naming the entity type."""
    return LinearError(
        f"Entity not found: {entity}", user_message=f"Could not find referenced {entity}."
    )


def argument_error(prop: str, value: Any, constraint: str, text: str) -> LinearError:
    """Linear's ``Argument Validation Error`` (class-validator style ``validationErrors``)."""
    return LinearError(
        "Argument Validation Error",
        code="INVALID_INPUT",
        user_message=text[:1].upper() + text[1:] + ".",
        extra={
            "validationErrors": [
                {
                    "property": prop,
                    "value": value,
                    "constraints": {constraint: text},
                    "children": [],
                }
            ]
        },
    )


def api_error(
    status: int,
    message: str,
    kind: str,
    code: str,
    *,
    user_message: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    """An HTTP-level refusal with Linear's ``(type, code)``."""
    return ApiError(
        status,
        message,
        code=code,
        headers=headers,
        extra={"type": kind, "userPresentableMessage": user_message},
    )


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"errors": [...]}`` as Linear sends an HTTP-level error."""
    kind = exc.extra.get("type")
    code = exc.code
    if kind is None:
        kind, code = _KIT_CODES.get(exc.code, INPUT_ERROR)
    # Messages may quote what the client sent; never let a lone surrogate break the encoder.
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    user_message = exc.extra.get("userPresentableMessage")
    ext = extensions(str(kind), code, exc.status, user_message=user_message)
    return {"errors": [{"message": message, "extensions": ext}]}
