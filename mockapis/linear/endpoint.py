"""``/graphql``: GraphQL over HTTP as Linear serves it.

A request goes: authentication, the request budget, parsing, validation, variable coercion,
the complexity check, the complexity budget, then execution. Everything up to execution is
refused with HTTP 400 (syntax and validation errors in graphql-core's words, with Linear's
``GRAPHQL_VALIDATION_FAILED`` extensions); resolver errors (not found, argument validation)
come back with HTTP 200 next to ``data``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import json_type, read_json
from mockapis.kit.responses import dumps
from mockapis.linear.access import (
    Caller,
    authenticate,
    charge_complexity,
    charge_request,
    rate_headers,
)
from mockapis.linear.complexity import MAX_COMPLEXITY, complexity, js_number
from mockapis.linear.errors import INPUT_ERROR, api_error
from mockapis.linear.lookups import Context
from mockapis.linear.schema import executable_schema, sdl_text
from mockapis.world import World

__all__ = ["MAX_TOKENS", "ROUTES", "graphql_endpoint", "schema_sdl"]

MAX_TOKENS = 20_000
"""The longest document parsed (in lexical tokens)."""
_MEDIA = "application/json; charset=utf-8"


@dataclass(frozen=True)
class _Params:
    query: str
    variables: dict[str, Any]
    operation_name: str | None


class _Refused(Exception):
    """GraphQL request errors (syntax, validation, variables): a 400 with their list."""

    def __init__(self, errors: Sequence[GraphQLError]) -> None:
        super().__init__(errors[0].message if errors else "invalid request")
        self.errors = list(errors)


async def graphql_endpoint(request: Request) -> Response:
    """Run one GraphQL operation for the caller."""
    world: World = request.scope["world"]
    caller = authenticate(request, world)
    try:
        charge_request(world, caller.key)
        params = await _params(request)
        body, cost = _run(world, caller, params, request.method)
    except ApiError as exc:
        exc.headers = {**rate_headers(world, caller.key), **exc.headers}
        raise
    except _Refused as refused:
        errors = [_request_error(e) for e in refused.errors]
        headers = rate_headers(world, caller.key)
        return Response(dumps({"errors": errors}), 400, headers=headers, media_type=_MEDIA)
    headers = rate_headers(world, caller.key, cost)
    return Response(dumps(body), 200, headers=headers, media_type=_MEDIA)


def _bad_request(message: str) -> ApiError:
    return api_error(400, message, *INPUT_ERROR, user_message=message)


async def _params(request: Request) -> _Params:
    """``query``, ``variables`` and ``operationName`` from a POST's JSON body or a GET's
    query string."""
    if request.method == "GET":
        raw: dict[str, Any] = dict(request.query_params)
        if "variables" in raw:
            try:
                raw["variables"] = json.loads(raw["variables"])
            except (ValueError, RecursionError):
                raise _bad_request("`variables` in the query string must be JSON.") from None
    else:
        payload = await read_json(request)
        if not isinstance(payload, dict):
            raise _bad_request(f"POST body must be a JSON object; got {json_type(payload)}.")
        raw = payload
    query = raw.get("query")
    if not isinstance(query, str) or not query.strip():
        raise _bad_request("GraphQL operations must contain a non-empty `query` string.")
    variables = raw.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise _bad_request("`variables` must be a JSON object if provided.")
    name = raw.get("operationName")
    if name is not None and not isinstance(name, str):
        raise _bad_request("`operationName` must be a string if provided.")
    return _Params(query, variables or {}, name or None)


def _prepare(params: _Params) -> tuple[DocumentNode, OperationDefinitionNode, dict[str, Any]]:
    """The parsed and validated document, the operation to run and its coerced variables."""
    schema = executable_schema()
    try:
        document = parse(params.query, max_tokens=MAX_TOKENS)
    except GraphQLError as exc:
        raise _Refused([exc]) from None
    errors = validate(schema, document)
    if errors:
        raise _Refused(errors)
    operation = get_operation_ast(document, params.operation_name)
    if operation is None:
        message = (
            f'Unknown operation named "{params.operation_name}".'
            if params.operation_name
            else "Must provide operation name if query contains multiple operations."
        )
        raise _Refused([GraphQLError(message)])
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), params.variables, max_errors=50
    )
    if isinstance(coerced, list):
        raise _Refused(coerced)
    return document, operation, dict(coerced.coerced)


def _run(world: World, caller: Caller, params: _Params, method: str) -> tuple[Any, int]:
    """The response body of a valid request, and its complexity."""
    try:
        document, operation, variables = _prepare(params)
        if method == "GET" and operation.operation != OperationType.QUERY:
            raise api_error(
                405,
                f"Can only perform a {operation.operation.value} operation from a POST request.",
                *INPUT_ERROR,
                headers={"Allow": "POST"},
            )
        schema = executable_schema()
        points = complexity(schema, document, operation, variables)
        if points > MAX_COMPLEXITY:
            raise api_error(
                400,
                "Query too complex",
                *INPUT_ERROR,
                user_message=f"The query is too complex. Complexity: {js_number(points)}. "
                f"Maximum allowed complexity: {MAX_COMPLEXITY}.",
            )
        cost = math.ceil(points)
        charge_complexity(world, caller.key, cost)
        result = execute_sync(
            schema,
            document,
            context_value=Context(world, caller.user_id),
            variable_values=params.variables,
            operation_name=params.operation_name,
        )
    except RecursionError:
        raise _bad_request("The query is nested too deeply.") from None
    body: dict[str, Any] = {}
    if result.errors:
        for error in result.errors:
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                raise original  # a bug or an HTTP-level refusal, never a silent error entry
        body["errors"] = [_execution_error(e) for e in result.errors]
    body["data"] = result.data
    return body, cost


def _execution_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    extensions: Mapping[str, Any] = formatted.pop("extensions", None) or {}
    return {**formatted, "extensions": dict(extensions)}


def _request_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [loc.formatted for loc in error.locations]
    formatted["extensions"] = {
        "http": {"status": 400, "headers": {}},
        "code": "GRAPHQL_VALIDATION_FAILED",
        "type": "graphql error",
        "userError": True,
    }
    return formatted


async def schema_sdl(request: Request) -> Response:
    """The schema in GraphQL SDL (the file the service executes)."""
    return Response(sdl_text(), media_type="text/plain; charset=utf-8")


ROUTES = [
    Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
    Route("/schema.graphql", schema_sdl, methods=["GET"]),
]
