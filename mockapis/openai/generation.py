"""What the Responses and Chat Completions endpoints share: body reading, the model,
metadata, and running the simulator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request

from mockapis.kit.parsing import read_json, require_object
from mockapis.openai.errors import missing_param, oai_error
from mockapis.openai.formats import invalid_type
from mockapis.openai.models import check_model
from mockapis.openai.simulator import Source, complete
from mockapis.openai.store import tokens

__all__ = ["MAX_BODY", "check_known", "generate", "metadata", "model_of", "read_request"]

MAX_BODY = 32 * 1024 * 1024
"""The largest request body (file_data inlines whole files)."""


async def read_request(request: Request) -> dict[str, Any]:
    """The JSON object body."""
    return require_object(await read_json(request, max_bytes=MAX_BODY), "The request body")


def check_known(body: Mapping[str, Any], known: frozenset[str]) -> None:
    """400 ``unknown_parameter`` for a top-level field the endpoint does not take."""
    for key in body:
        if key not in known:
            raise oai_error(
                400, f"Unknown parameter: '{key}'.", param=str(key), code="unknown_parameter"
            )
    if body.get("stream"):
        raise oai_error(
            400,
            "Streaming is not supported by this API; send 'stream': false.",
            param="stream",
            code="unsupported_value",
        )


def model_of(body: Mapping[str, Any], message: str | None = None) -> str:
    """The ``model``: 400 when missing, 404 ``model_not_found`` when unknown."""
    model = body.get("model")
    if model is None:
        raise missing_param("model")
    if not isinstance(model, str):
        raise invalid_type("model", "a string", model)
    check_model(model, message.format(model=model) if message else None)
    return model


def metadata(raw: Any) -> dict[str, str]:
    """``metadata``: at most 16 string pairs (keys up to 64, values up to 512 characters)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise invalid_type("metadata", "an object", raw)
    if len(raw) > 16:
        raise oai_error(
            400,
            f"Invalid 'metadata': too many properties. Expected an object with at most 16 "
            f"properties, but got an object with {len(raw)} properties instead.",
            param="metadata",
            code="object_above_max_properties",
        )
    for key, value in raw.items():
        if not isinstance(value, str):
            raise invalid_type(f"metadata.{key}", "a string", value)
        if len(key) > 64 or len(value) > 512:
            raise oai_error(
                400,
                f"Invalid 'metadata.{key}': keys are at most 64 and values at most 512 "
                "characters long.",
                param=f"metadata.{key}",
                code="string_above_max_length",
            )
    return dict(raw)


def generate(
    instructions: str, sources: Sequence[Source], fmt: Mapping[str, Any]
) -> tuple[str, int, int]:
    """``(output text, input tokens, output tokens)``."""
    text = complete(instructions, sources, fmt)
    used = len(instructions) + sum(len(s.text) for s in sources)
    return text, tokens(used), tokens(len(text))
