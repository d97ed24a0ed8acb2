"""Workspace routes: token identity (/v2/self), objects, object attributes, members."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mockapis.attio.access import authorize, path_object, route
from mockapis.attio.schema import OBJECTS, WORKSPACE_ID, WORKSPACE_NAME, WORKSPACE_SLUG
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import query_bool, query_int
from mockapis.kit.responses import JSONResponse

__all__ = ["ROUTES"]


async def identify(request: Request) -> Response:
    """``GET /v2/self``: the token, its scopes and the workspace it belongs to."""
    _, token = authorize(request)
    return JSONResponse(
        {
            "active": True,
            "scope": token["scope"],
            "client_id": token["token_id"],
            "token_type": "Bearer",
            "exp": None,
            "iat": token["issued_at"],
            "sub": WORKSPACE_ID,
            "aud": token["token_id"],
            "iss": "attio.com",
            "authorized_by_workspace_member_id": token["workspace_member_id"],
            "workspace_id": WORKSPACE_ID,
            "workspace_name": WORKSPACE_NAME,
            "workspace_slug": WORKSPACE_SLUG,
            "workspace_logo_url": None,
        }
    )


async def list_objects(request: Request) -> Response:
    """``GET /v2/objects``: the standard objects of the workspace."""
    authorize(request)
    return JSONResponse({"data": [obj.render() for obj in OBJECTS.values()]})


async def get_object(request: Request) -> Response:
    """``GET /v2/objects/{object}`` by api_slug or id."""
    authorize(request)
    return JSONResponse({"data": path_object(request).render()})


async def list_object_attributes(request: Request) -> Response:
    """``GET /v2/objects/{object}/attributes`` (``limit``, ``offset``; none are archived)."""
    authorize(request)
    obj = path_object(request)
    limit = query_int(request, "limit", 1000, minimum=1, maximum=1000)
    offset = query_int(request, "offset", 0, minimum=0, maximum=10**9)
    query_bool(request, "show_archived", False)
    rendered = [a.render() for a in obj.attributes.values()]
    return JSONResponse({"data": rendered[offset : offset + limit]})


async def list_members(request: Request) -> Response:
    """``GET /v2/workspace_members``."""
    world, _ = authorize(request)
    rows = sorted(world.table("attio.members").values(), key=lambda m: m["created_at"])
    return JSONResponse({"data": rows})


async def get_member(request: Request) -> Response:
    """``GET /v2/workspace_members/{workspace_member_id}``."""
    world, _ = authorize(request)
    member_id = request.path_params["workspace_member_id"]
    member = world.table("attio.members").get(member_id)
    if member is None:
        raise ApiError(404, f'Workspace member with ID "{member_id}" not found.', code="not_found")
    return JSONResponse({"data": member})


ROUTES = [
    route("/v2/self", {"GET": identify}),
    route("/v2/objects", {"GET": list_objects}),
    route("/v2/objects/{object}", {"GET": get_object}),
    route("/v2/objects/{object}/attributes", {"GET": list_object_attributes}),
    route("/v2/workspace_members", {"GET": list_members}),
    route("/v2/workspace_members/{workspace_member_id}", {"GET": get_member}),
]
"""The workspace-level operations."""
