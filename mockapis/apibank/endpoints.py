"""The HTTP endpoints: ``POST /apis/{api_name}`` (JSON parameters), ``POST /call`` (API-Bank's
call syntax or an OpenAI-style function call), ``GET /apis`` and ``GET /apis/{api_name}``.

A call's response is always API-Bank's result ``{"api_name", "input", "output",
"exception"}``: 200 when ``exception`` is null, 400 when the API (or parameter checking)
raised, 404 for a name not in the episode's suite. Every call, refused or not, is appended to
``apibank._calls``; a refused call keeps only that log entry (``world.keep()`` after the API's
own writes were discarded).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.apibank import callsyntax, home
from mockapis.apibank.base import CALLS_TABLE, Result, execute, level_of, registry
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import first_invalid_text, read_body
from mockapis.world import World

__all__ = ["ROUTES"]

MAX_BODY = 262_144


def _render(content: Any, status: int) -> Response:
    try:
        body = orjson.dumps(content)
    except TypeError:  # an integer past 64 bits, a non-text key: the slower encoder copes
        body = json.dumps(content, default=str, ensure_ascii=False).encode()
    return Response(body, status, media_type="application/json")


def _log_refusal(world: World, api_name: str | None, given: Any, message: str) -> None:
    seq = world.next_id("apibank.calls")
    entry = {"api_name": api_name, "input": given, "output": None, "exception": message}
    world.table(CALLS_TABLE).put(f"{seq:06d}", {"seq": seq, **entry})
    world.keep()


def _refuse(world: World, api_name: str | None, given: Any, message: str) -> ApiError:
    """A 400 in the result shape, logged as the agent's call."""
    _log_refusal(world, api_name, given, message)
    return ApiError(400, message, code="invalid_call", extra={"api_name": api_name, "input": given})


def _dispatch(world: World, name: str, args: dict[str, Any]) -> Response:
    bad = first_invalid_text(args)
    if bad is not None:
        raise _refuse(world, name, None, f"A parameter holds invalid Unicode text: {bad!r}.")
    try:
        result: Result = execute(world, name, args)
    except home.NotImported as exc:
        raise ApiError(404, str(exc), code="not_imported", extra={"api_name": name}) from None
    if result["exception"] is None:
        return _render(result, 200)
    world.keep()
    unknown = name not in registry(level_of(world))
    return _render(result, 404 if unknown else 400)


async def _json_object(request: Request, world: World, name: str) -> dict[str, Any]:
    body = await read_body(request, max_bytes=MAX_BODY)
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _refuse(
            world, name, None, f"The body must be a JSON object of parameters: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise _refuse(
            world, name, None, "The body must be a JSON object of parameters (name -> value)."
        )
    return data


async def call_api(request: Request) -> Response:
    """``POST /apis/{api_name}``: one call with a JSON object of parameters."""
    world: World = request.scope["world"]
    name = request.path_params["api_name"]
    args = await _json_object(request, world, name)
    return _dispatch(world, name, args)


async def call_text(request: Request) -> Response:
    """``POST /call``: ``[ApiName(key='value', ...)]`` or ``{"name", "arguments"}``."""
    world: World = request.scope["world"]
    body = await read_body(request, max_bytes=MAX_BODY)
    try:
        parsed = callsyntax.parse_request(body)
    except (callsyntax.CallSyntaxError, RecursionError) as exc:
        text = body.decode("utf-8", "replace")
        raise _refuse(world, None, text, f"Cannot parse the API call: {exc}") from None
    return _dispatch(world, parsed.name, dict(parsed.args))


async def list_apis(request: Request) -> Response:
    """``GET /apis``: the names of the episode's APIs, sorted."""
    world: World = request.scope["world"]
    return _render(sorted(registry(level_of(world))), 200)


async def describe_api(request: Request) -> Response:
    """``GET /apis/{api_name}``: the API's spec (name, description, parameters)."""
    world: World = request.scope["world"]
    name = request.path_params["api_name"]
    api = registry(level_of(world)).get(name)
    if api is None:
        raise ApiError(404, "invalid tool name.", code="not_found", extra={"api_name": name})
    try:
        return _render(api.spec, 200)
    except (home.NotImported, KeyError) as exc:
        raise ApiError(404, str(exc), code="not_imported", extra={"api_name": name}) from None


ROUTES = [
    Route("/apis", list_apis, methods=["GET"]),
    Route("/apis/{api_name}", describe_api, methods=["GET"]),
    Route("/apis/{api_name}", call_api, methods=["POST"]),
    Route("/call", call_text, methods=["POST"]),
]
