"""``/v1/responses``: create (simulated generation), retrieve, delete, list input items."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.openai.access import authorize
from mockapis.openai.errors import not_found, oai_error
from mockapis.openai.formats import invalid_type, parse_format
from mockapis.openai.generation import check_known, generate, metadata, model_of, read_request
from mockapis.openai.inputs import read_input
from mockapis.openai.listing import list_params, page
from mockapis.openai.simulator import Source
from mockapis.openai.store import RESPONSES, new_id, now_s, response_object
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES"]

_KNOWN = frozenset(
    {
        "model", "input", "instructions", "text", "store", "previous_response_id", "metadata",
        "temperature", "top_p", "max_output_tokens", "user", "tools", "tool_choice",
        "parallel_tool_calls", "truncation", "reasoning", "include", "stream", "background",
        "service_tier", "safety_identifier", "prompt_cache_key", "top_logprobs",
    }
)  # fmt: skip


def _find(world: World, response_id: str) -> Record:
    row = world.table(RESPONSES).get(response_id)
    if row is None:
        raise not_found(f"Response with id '{response_id}' not found.", param="response_id")
    return row


def _previous(world: World, raw: Any) -> tuple[str | None, list[Source]]:
    if raw is None:
        return None, []
    if not isinstance(raw, str):
        raise invalid_type("previous_response_id", "a string", raw)
    row = world.table(RESPONSES).get(raw)
    if row is None:
        raise oai_error(
            404,
            f"Previous response with id '{raw}' not found.",
            param="previous_response_id",
            code="previous_response_not_found",
        )
    return raw, [Source(s["text"], s["kind"]) for s in row["_context"]]


def _number(body: dict[str, Any], key: str, default: float | None) -> Any:
    value = body.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise invalid_type(key, "a number", value)
    return value


async def create_response(request: Request) -> Response:
    """Generate a response from ``input`` (and the chain of ``previous_response_id``)."""
    world = authorize(request)
    body = await read_request(request)
    check_known(body, _KNOWN)
    model = model_of(body, "The requested model '{model}' does not exist.")
    if body.get("input") is None:
        raise oai_error(400, "Missing required parameter: 'input'.", param="input",
                        code="missing_required_parameter")  # fmt: skip
    instructions = body.get("instructions")
    if instructions is not None and not isinstance(instructions, str):
        raise invalid_type("instructions", "a string", instructions)
    text_param = body.get("text")
    if text_param is not None and not isinstance(text_param, dict):
        raise invalid_type("text", "an object", text_param)
    fmt = parse_format((text_param or {}).get("format"), "text.format", nested=False)
    store = body.get("store", True)
    if not isinstance(store, bool):
        raise invalid_type("store", "a boolean", store)
    meta = metadata(body.get("metadata"))
    user = body.get("user")
    if user is not None and not isinstance(user, str):
        raise invalid_type("user", "a string", user)
    previous_id, context = _previous(world, body.get("previous_response_id"))
    temperature = _number(body, "temperature", 1.0)
    top_p = _number(body, "top_p", 1.0)
    max_output = _number(body, "max_output_tokens", None)
    material = await read_input(request, body["input"])
    system = "\n".join([instructions or "", *material.instructions]).strip()
    if fmt["type"] == "json_object" and not (material.mentions_json or "json" in system.lower()):
        raise oai_error(
            400,
            "Response input messages must contain the word 'json' in some form to use "
            "'text.format' of type 'json_object'.",
            param="input",
            code="invalid_value",
        )
    sources = [*context, *material.sources]
    output, input_tokens, output_tokens = generate(system, sources, fmt)
    response_id = new_id(world, "resp_")
    created = now_s(world)
    obj: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": created,
        "completed_at": created,  # present when completed; generation takes no clock time
        "status": "completed",
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": instructions,
        "max_output_tokens": max_output,
        "model": model,
        "output": [
            {
                "id": new_id(world, "msg_"),
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [
                    {"type": "output_text", "text": output, "annotations": [], "logprobs": []}
                ],
            }
        ],
        "parallel_tool_calls": True,
        "previous_response_id": previous_id,
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "default",
        "store": store,
        "temperature": temperature,
        "text": {"format": fmt, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_p": top_p,
        "truncation": "disabled",
        "usage": {
            "input_tokens": input_tokens,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": input_tokens + output_tokens,
        },
        "metadata": meta,
    }
    if user is not None:  # optional, and never null, in OpenAI's Response object
        obj["user"] = user
    if store:
        row = {
            **obj,
            "input_items": material.items,
            "_context": [{"text": s.text, "kind": s.kind} for s in sources],
        }
        world.table(RESPONSES).put(response_id, row)
    return JSONResponse(obj)


async def retrieve_response(request: Request) -> Response:
    """A stored response."""
    world = authorize(request)
    row = _find(world, request.path_params["response_id"])
    return JSONResponse(response_object(row))


async def delete_response(request: Request) -> Response:
    """Delete a stored response."""
    world = authorize(request)
    row = _find(world, request.path_params["response_id"])
    world.table(RESPONSES).delete(row["id"])
    # The live API's object is "response.deleted" (openai/openai-openapi#490, whose
    # description documents no 200 body for this operation).
    return JSONResponse({"id": row["id"], "object": "response.deleted", "deleted": True})


async def list_input_items(request: Request) -> Response:
    """The input items of a stored response (``limit`` 1-100, default 20; ``order``
    default desc; ``after``)."""
    world = authorize(request)
    row = _find(world, request.path_params["response_id"])
    limit, order, after = list_params(request, default_limit=20, max_limit=100)
    return JSONResponse(
        page(row["input_items"], limit=limit, order=order, after=after, what="item")
    )


ROUTES = [
    Route("/v1/responses", create_response, methods=["POST"]),
    Route("/v1/responses/{response_id}", retrieve_response, methods=["GET"]),
    Route("/v1/responses/{response_id}", delete_response, methods=["DELETE"]),
    Route("/v1/responses/{response_id}/input_items", list_input_items, methods=["GET"]),
]
