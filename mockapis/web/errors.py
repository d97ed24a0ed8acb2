"""The site's errors outside its pages (no route, wrong method): HTML, as the pages' own.

Pages answer their own refusals and misses (see :mod:`mockapis.web.access` and
:mod:`mockapis.web.site`); the router's 404 and 405 come here."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from mockapis.kit.errors import ApiError
from mockapis.web.pages import not_found_page

__all__ = ["error_response", "render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"code", "message"}}``: the error's fields (the site answers in HTML)."""
    return {"error": {"code": exc.code, "message": exc.message}}


def error_response(exc: ApiError, request: Request) -> Response:
    """The 404 page for a path the site has not, else a short HTML error page."""
    if exc.status == 404:
        return HTMLResponse(not_found_page(request.url.path), 404)
    text = f"<html><body><h1>{exc.status}</h1><p>{escape(exc.message)}</p></body></html>"
    return HTMLResponse(text, exc.status, headers=exc.headers)
