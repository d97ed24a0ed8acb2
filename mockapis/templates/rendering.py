"""Rendering: a stored template (``/v1/templates/{id}/render``) or an inline one
(``/v1/render``), with JSON data, to text, Markdown or HTML."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse
from mockapis.templates.access import account
from mockapis.templates.engine import FORMATS, TemplateProblem, check_data, render
from mockapis.templates.errors import from_problem
from mockapis.templates.params import (
    MAX_BODY_BYTES,
    body_of,
    optional_bool,
    optional_format,
    optional_text,
)
from mockapis.templates.store import find
from mockapis.world import World

__all__ = ["ROUTES"]


def _rendering(
    source: str, fmt: str, body: dict[str, Any], strict: bool, template_id: str | None
) -> Response:
    override = optional_bool(body, "strict_undefined")
    try:
        data = check_data(body.get("data", {}))
        output = render(source, data, fmt=fmt, strict=strict if override is None else override)
    except TemplateProblem as problem:
        raise from_problem(problem) from None
    return JSONResponse(
        {
            "object": "rendering",
            "template_id": template_id,
            "format": fmt,
            "content_type": FORMATS[fmt],
            "output": output,
        }
    )


async def render_stored(request: Request) -> Response:
    """Render a stored template with ``data``."""
    owner = account(request)
    world: World = request.scope["world"]
    row = find(world, owner, request.path_params["template_id"])
    body = await body_of(request, ("data", "strict_undefined"), required=False)
    return _rendering(row["body"], row["format"], body, row["strict_undefined"], row["id"])


async def render_inline(request: Request) -> Response:
    """Render the template source given in the request."""
    account(request)
    body = await body_of(request, ("template", "format", "data", "strict_undefined"))
    source = optional_text(body, "template", max_length=MAX_BODY_BYTES)
    if source is None:
        raise ApiError(400, "template: this field is required.", code="invalid_request")
    return _rendering(source, optional_format(body) or "text", body, False, None)


ROUTES = [
    Route("/v1/templates/{template_id}/render", render_stored, methods=["POST"]),
    Route("/v1/render", render_inline, methods=["POST"]),
]
