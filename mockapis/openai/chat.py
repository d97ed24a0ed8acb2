"""``/v1/chat/completions``: messages in, one simulated ``chat.completion`` out (not stored)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.openai.access import authorize
from mockapis.openai.errors import invalid_value, missing_param, oai_error
from mockapis.openai.formats import invalid_type, parse_format
from mockapis.openai.generation import check_known, generate, metadata, model_of, read_request
from mockapis.openai.inputs import file_source, supported
from mockapis.openai.simulator import Source
from mockapis.openai.store import new_id, now_s

__all__ = ["ROUTES"]

ROLES = ("system", "developer", "user", "assistant", "tool")
PART_TYPES = ("text", "image_url", "input_audio", "refusal", "audio", "file")
_KNOWN = frozenset(
    {
        "model", "messages", "response_format", "temperature", "top_p", "n", "max_tokens",
        "max_completion_tokens", "stop", "seed", "user", "store", "metadata", "stream",
        "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "tools",
        "tool_choice", "parallel_tool_calls", "reasoning_effort", "service_tier", "logit_bias",
        "modalities", "safety_identifier", "prompt_cache_key", "verbosity",
    }
)  # fmt: skip


async def _message(
    request: Request, message: Any, param: str, system: list[str], sources: list[Source]
) -> bool:
    """Read one message into ``system``/``sources``; whether it mentions JSON."""
    if not isinstance(message, Mapping):
        raise invalid_type(param, "an object", message)
    role = message.get("role")
    if role is None:
        raise missing_param(f"{param}.role")
    if role not in ROLES:
        raise invalid_value(
            f"{param}.role", f"Invalid value: '{role}'. Supported values are: {supported(ROLES)}."
        )
    content = message.get("content")
    if content is None and role != "assistant":
        raise missing_param(f"{param}.content")
    parts = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
    if not isinstance(parts, list):
        raise invalid_type(
            f"{param}.content", "one of a string or an array of content parts", content
        )
    mentions = False
    for j, part in enumerate(parts):
        where = f"{param}.content[{j}]"
        if not isinstance(part, Mapping):
            raise invalid_type(where, "an object", part)
        kind = part.get("type")
        if kind not in PART_TYPES:
            raise invalid_value(
                f"{where}.type",
                f"Invalid value: '{kind}'. Supported values are: {supported(PART_TYPES)}.",
            )
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise (
                    missing_param(f"{where}.text")
                    if text is None
                    else invalid_type(f"{where}.text", "a string", text)
                )
            mentions = mentions or "json" in text.lower()
            if role in ("system", "developer"):
                system.append(text)
            elif role == "user":
                sources.append(Source(text, "text"))
        elif kind == "file":
            spec = part.get("file")
            if not isinstance(spec, Mapping):
                raise (
                    missing_param(f"{where}.file")
                    if spec is None
                    else invalid_type(f"{where}.file", "an object", spec)
                )
            source = await file_source(request, spec, f"{where}.file")
            if role == "user":
                sources.append(source)
        elif kind in ("input_audio", "audio"):
            raise oai_error(400, "Audio input is not supported by this model.",
                            param=f"{where}.type", code="unsupported_value")  # fmt: skip
    return mentions


async def create_chat_completion(request: Request) -> Response:
    """One completion of ``messages``."""
    world = authorize(request)
    body = await read_request(request)
    check_known(body, _KNOWN)
    model = model_of(body)
    messages = body.get("messages")
    if messages is None:
        raise missing_param("messages")
    if not isinstance(messages, list):
        raise invalid_type("messages", "an array", messages)
    if not messages:
        raise oai_error(
            400,
            "Invalid 'messages': empty array. Expected an array with minimum length 1, but "
            "got an empty array instead.",
            param="messages",
            code="empty_array",
        )
    fmt = parse_format(body.get("response_format"), "response_format", nested=True)
    metadata(body.get("metadata"))
    n = body.get("n", 1)
    if n is None:
        n = 1
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 8:
        raise oai_error(400, f"Invalid 'n': expected an integer from 1 to 8; got {n!r}.",
                        param="n", code="invalid_value")  # fmt: skip
    system: list[str] = []
    sources: list[Source] = []
    mentions = False
    for i, message in enumerate(messages):
        mentions = await _message(request, message, f"messages[{i}]", system, sources) or mentions
    if fmt["type"] == "json_object" and not mentions:
        raise oai_error(
            400,
            "'messages' must contain the word 'json' in some form, to use 'response_format' "
            "of type 'json_object'.",
            param="messages",
            code=None,
        )
    output, prompt_tokens, completion_tokens = generate("\n".join(system), sources, fmt)
    message_out: dict[str, Any] = {
        "role": "assistant",
        "content": output,
        "refusal": None,
        "annotations": [],
    }
    return JSONResponse(
        {
            "id": new_id(world, "chatcmpl-"),
            "object": "chat.completion",
            "created": now_s(world),
            "model": model,
            "choices": [
                {"index": i, "message": message_out, "logprobs": None, "finish_reason": "stop"}
                for i in range(n)
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens * n,
                "total_tokens": prompt_tokens + completion_tokens * n,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "service_tier": "default",
            "system_fingerprint": "fp_apibench",
        }
    )


ROUTES = [Route("/v1/chat/completions", create_chat_completion, methods=["POST"])]
