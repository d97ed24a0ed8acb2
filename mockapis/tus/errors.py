"""The tus service's errors: a JSON ``{"error": {"code", "message"}}`` body, and on every
error the ``Tus-Resumable`` header a tus server sends with each response."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["TUS_VERSION", "render_error", "tus_error"]

TUS_VERSION = "1.0.0"
"""The only protocol version served (``Tus-Resumable`` and ``Tus-Version``)."""


def tus_error(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> ApiError:
    """An :class:`ApiError` carrying ``Tus-Resumable`` (plus any extra ``headers``)."""
    return ApiError(
        status, message, code=code, headers={"Tus-Resumable": TUS_VERSION, **(headers or {})}
    )


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"code", "message"}}``."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"error": {"code": exc.code, "message": message}}
