"""GitHub's error body: ``{"message", "documentation_url", "status"}`` (plus ``errors``)."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["DOCS", "render_error"]

DOCS = "https://docs.github.com/rest"

_MESSAGES = {404: "Not Found", 405: "Not Found"}
"""GitHub answers an unknown path (or method) with a plain 404 message."""


def render_error(exc: ApiError) -> dict[str, Any]:
    """GitHub's error object; validation errors carry their ``errors`` list."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    if exc.code in ("not_found", "method_not_allowed"):
        message = _MESSAGES.get(exc.status, message)
    body: dict[str, Any] = {"message": message}
    if "errors" in exc.extra:
        body["errors"] = exc.extra["errors"]
    body["documentation_url"] = exc.extra.get("documentation_url", DOCS)
    body["status"] = str(exc.status)
    return body
