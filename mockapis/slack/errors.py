"""Slack's error body (``{"ok": false, "error": ...}``) and the errors handlers raise."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error", "slack_error"]

_CODES = {
    "not_found": "unknown_method",
    "method_not_allowed": "method_not_supported",
    "payload_too_large": "request_too_large",
    "rate_limited": "ratelimited",
    "too_many_requests": "ratelimited",
}
"""Kit and gateway codes renamed to the error strings Slack uses for the same failure."""
_TOP_LEVEL = ("needed", "provided")
"""Fields Slack adds next to ``error`` (``missing_scope`` names the scope needed and those
the token has)."""


def slack_error(
    error: str, *, warning: str | None = None, extra: dict[str, Any] | None = None
) -> ApiError:
    """A Web API failure: HTTP 200 with ``{"ok": false, "error": error}``, as Slack answers.

    Nothing a handler raises this way may follow a write: the gateway only rolls back
    responses of status 400 and above, so every check comes before the first ``put``.
    """
    fields: dict[str, Any] = dict(extra or {})
    if warning:
        fields["response_metadata"] = {"messages": [f"[ERROR] {warning}"]}
    return ApiError(200, warning or error, code=error, extra=fields)


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"ok": false, "error": <code>}`` plus Slack's optional ``response_metadata``."""
    if exc.status == 429:
        code = "ratelimited"
    elif exc.status >= 500:
        code = "internal_error"
    else:
        code = _CODES.get(exc.code, exc.code)
    body: dict[str, Any] = {"ok": False, "error": code}
    for name in _TOP_LEVEL:
        if isinstance(exc.extra.get(name), str):
            body[name] = exc.extra[name]
    metadata = exc.extra.get("response_metadata")
    if isinstance(metadata, dict):
        body["response_metadata"] = metadata
    return body
