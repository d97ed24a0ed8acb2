"""The site's errors outside its pages (no route, wrong method): a small JSON body.

Pages answer their own refusals and misses as HTML (see :mod:`mockapis.web.access` and
:mod:`mockapis.web.site`); only the router's errors come here."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError

__all__ = ["render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"code", "message"}}``."""
    return {"error": {"code": exc.code, "message": exc.message}}
