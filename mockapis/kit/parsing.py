"""Request parsing with 4xx errors that say what was expected."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from mockapis.kit.errors import ApiError

__all__ = [
    "DEFAULT_MAX_BODY",
    "first_invalid_text",
    "json_type",
    "query_bool",
    "query_int",
    "read_body",
    "read_json",
    "require_object",
]

DEFAULT_MAX_BODY = 1_048_576
"""Default request body limit in bytes (1 MiB)."""


async def read_body(request: Request, *, max_bytes: int = DEFAULT_MAX_BODY) -> bytes:
    """The raw body, or 413 when it is larger than ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(int(declared), max_bytes)
    body = await request.body()
    if len(body) > max_bytes:
        raise _too_large(len(body), max_bytes)
    return body


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(
        413,
        f"Request body is {size} bytes; the limit is {limit} bytes.",
        code="payload_too_large",
    )


async def read_json(
    request: Request, *, max_bytes: int = DEFAULT_MAX_BODY, required: bool = True
) -> Any:
    """The JSON body: 415 for another content type, 413 over the limit, 400 when malformed.

    An empty body gives ``None`` when ``required`` is false, else 400.
    """
    body = await read_body(request, max_bytes=max_bytes)
    if not body.strip():
        if required:
            raise ApiError(
                400, "Request body is empty; expected a JSON document.", code="invalid_json"
            )
        return None
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        shown = media_type or "none"
        raise ApiError(
            415,
            f"Content-Type must be application/json; got {shown}.",
            code="unsupported_media_type",
        )
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ApiError(400, "Request body is not valid UTF-8.", code="invalid_json") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400,
            f"Malformed JSON body: {exc.msg} at line {exc.lineno} column {exc.colno}.",
            code="invalid_json",
        ) from None
    except RecursionError:
        raise ApiError(400, "JSON body is nested too deeply.", code="invalid_json") from None
    except ValueError as exc:  # NaN/Infinity literals, integers past Python's digit limit
        raise ApiError(400, f"Malformed JSON body: {exc}.", code="invalid_json") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (use null or a finite number)")


def require_object(value: Any, where: str) -> dict[str, Any]:
    """``value`` if it is a JSON object, else 400 naming ``where``."""
    if not isinstance(value, dict):
        raise ApiError(
            400,
            f"{where} must be a JSON object; got {json_type(value)}.",
            code="validation_type",
        )
    return value


def query_int(
    request: Request, name: str, default: int, *, minimum: int = 0, maximum: int | None = None
) -> int:
    """Integer query parameter ``name`` within bounds, else 400 stating them."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(
            400, f"{name} must be an integer {bounds}; got {raw!r}.", code="validation_type"
        ) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ApiError(
            400, f"{name} must be an integer {bounds}; got {value}.", code="validation_type"
        )
    return value


def query_bool(request: Request, name: str, default: bool) -> bool:
    """Boolean query parameter (``true``/``false``/``1``/``0``), else 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ApiError(400, f"{name} must be true or false; got {raw!r}.", code="validation_type")


def json_type(value: Any) -> str:
    """The JSON type of ``value`` with its article, for messages ("a string", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def first_invalid_text(body: Any) -> str | None:
    """The first string (key or value) in a decoded JSON ``body`` that is not valid Unicode
    (a lone surrogate, which cannot be stored or encoded), else None."""
    stack: list[Any] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item
    return None
