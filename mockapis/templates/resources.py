"""The ``/v1/templates`` endpoints: create, list, get, update and delete stored templates."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import paginate_keyset
from mockapis.kit.parsing import query_int
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.templates.access import account
from mockapis.templates.engine import TemplateProblem, compile_template
from mockapis.templates.errors import from_problem
from mockapis.templates.params import (
    MAX_BODY_BYTES,
    NAME_PATTERN,
    body_of,
    optional_bool,
    optional_format,
    optional_text,
)
from mockapis.templates.store import TEMPLATES, find, iso, new_id, public, rows_of
from mockapis.world import World

__all__ = ["ROUTES"]

_FIELDS = ("name", "body", "format", "description", "strict_undefined")
_MAX_DESCRIPTION = 2000


def _world(request: Request) -> World:
    world: World = request.scope["world"]
    return world


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    """The given fields of a create or update body, each validated."""
    fields: dict[str, Any] = {
        "name": optional_text(body, "name", max_length=100, pattern=NAME_PATTERN),
        "body": optional_text(body, "body", max_length=MAX_BODY_BYTES),
        "format": optional_format(body),
        "description": optional_text(body, "description", max_length=_MAX_DESCRIPTION),
        "strict_undefined": optional_bool(body, "strict_undefined"),
    }
    return {k: v for k, v in fields.items() if v is not None}


def _check_name(world: World, owner: str, name: str, template_id: str | None) -> None:
    for row in rows_of(world, owner):
        if row["name"] == name and row["id"] != template_id:
            raise ApiError(
                409,
                f"A template named {name!r} already exists ({row['id']}); names are unique.",
                code="template_name_taken",
            )


def _check_compiles(source: str, fmt: str) -> None:
    try:
        compile_template(source, fmt)
    except TemplateProblem as problem:
        raise from_problem(problem, "body") from None


async def create_template(request: Request) -> Response:
    """Store a new template (its body must compile)."""
    owner = account(request)
    fields = _fields(await body_of(request, _FIELDS))
    for required in ("name", "body"):
        if required not in fields:
            raise ApiError(400, f"{required}: this field is required.", code="invalid_request")
    world = _world(request)
    _check_name(world, owner, fields["name"], None)
    fmt = fields.get("format", "text")
    _check_compiles(fields["body"], fmt)
    now = iso(world.clock.now_ns)
    template_id = new_id(world.rng)
    row: Record = {
        "id": template_id,
        "account": owner,
        "seq": world.next_id("templates.template"),
        "name": fields["name"],
        "description": fields.get("description", ""),
        "format": fmt,
        "body": fields["body"],
        "strict_undefined": fields.get("strict_undefined", False),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    world.table(TEMPLATES).put(template_id, row)
    return JSONResponse(public(row), 201)


async def list_templates(request: Request) -> Response:
    """The account's templates, oldest first, Stripe-style pages; ``name`` filters exactly."""
    owner = account(request)
    limit = query_int(request, "limit", 20, minimum=1, maximum=100)
    rows = rows_of(_world(request), owner)
    name = request.query_params.get("name")
    if name is not None:
        rows = [r for r in rows if r["name"] == name]
    page = paginate_keyset(
        [r["id"] for r in rows],
        limit=limit,
        starting_after=request.query_params.get("starting_after") or None,
    )
    by_id = {r["id"]: r for r in rows}
    data = [public(by_id[i]) for i in page.ids]
    return JSONResponse({"object": "list", "data": data, "has_more": page.has_more})


async def get_template(request: Request) -> Response:
    """One template."""
    owner = account(request)
    return JSONResponse(public(find(_world(request), owner, request.path_params["template_id"])))


async def update_template(request: Request) -> Response:
    """Change some fields of a template; the version goes up by one."""
    owner = account(request)
    world = _world(request)
    row = find(world, owner, request.path_params["template_id"])
    fields = _fields(await body_of(request, _FIELDS))
    if not fields:
        raise ApiError(
            400,
            f"Nothing to update; give one or more of {', '.join(_FIELDS)}.",
            code="invalid_request",
        )
    if "name" in fields:
        _check_name(world, owner, fields["name"], row["id"])
    updated = {**row, **fields}
    _check_compiles(updated["body"], updated["format"])
    updated["version"] = row["version"] + 1
    updated["updated_at"] = iso(world.clock.now_ns)
    world.table(TEMPLATES).put(row["id"], updated)
    return JSONResponse(public(updated))


async def delete_template(request: Request) -> Response:
    """Delete a template."""
    owner = account(request)
    world = _world(request)
    row = find(world, owner, request.path_params["template_id"])
    world.table(TEMPLATES).delete(row["id"])
    return JSONResponse({"id": row["id"], "object": "template", "deleted": True})


ROUTES = [
    Route("/v1/templates", create_template, methods=["POST"]),
    Route("/v1/templates", list_templates, methods=["GET"]),
    Route("/v1/templates/{template_id}", get_template, methods=["GET"]),
    Route("/v1/templates/{template_id}", update_template, methods=["PATCH"]),
    Route("/v1/templates/{template_id}", delete_template, methods=["DELETE"]),
]
