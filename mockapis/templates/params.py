"""Reading the JSON bodies of template requests: known fields, types and bounds, 400s that
name the field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import first_invalid_text, json_type, read_json, require_object
from mockapis.templates.engine import FORMATS
from mockapis.templates.limits import MAX_DATA_BYTES, MAX_TEMPLATE_BYTES

__all__ = [
    "MAX_BODY_BYTES",
    "NAME_PATTERN",
    "body_of",
    "optional_bool",
    "optional_format",
    "optional_text",
]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""Template names: 1-100 letters, digits, ``.``, ``_`` or ``-``, starting alphanumeric."""
MAX_BODY_BYTES = 2 * (MAX_DATA_BYTES + MAX_TEMPLATE_BYTES)
"""The largest request body (JSON escaping may double the size of the source and data)."""


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(400, f"{field}: {message}", code="invalid_request")


async def body_of(
    request: Request, allowed: Iterable[str], *, required: bool = True
) -> dict[str, Any]:
    """The request's JSON object, with only ``allowed`` fields and valid Unicode."""
    raw = await read_json(request, max_bytes=MAX_BODY_BYTES, required=required)
    body = require_object({} if raw is None else raw, "The request body")
    names = sorted(allowed)
    for key in body:
        if key not in names:
            raise _invalid(key, f"unknown field; the fields are {', '.join(names)}")
    if first_invalid_text(body) is not None:
        raise ApiError(
            400, "The body holds text that is not valid Unicode.", code="invalid_request"
        )
    return body


def optional_text(
    body: dict[str, Any], field: str, *, max_length: int, pattern: re.Pattern[str] | None = None
) -> str | None:
    """``body[field]`` as a string within bounds, None when absent."""
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, str):
        raise _invalid(field, f"must be a string; got {json_type(value)}")
    if len(value) > max_length:
        raise _invalid(field, f"is limited to {max_length} characters; got {len(value)}")
    if pattern is not None and not pattern.match(value):
        raise _invalid(
            field,
            f"{value!r} is not valid: use 1-100 letters, digits, '.', '_' or '-', starting "
            "with a letter or digit",
        )
    return value


def optional_format(body: dict[str, Any], field: str = "format") -> str | None:
    """``body[field]``, one of the output formats, None when absent."""
    if field not in body:
        return None
    value = body[field]
    if value not in FORMATS:
        raise _invalid(field, f"must be one of {', '.join(FORMATS)}; got {value!r}")
    return str(value)


def optional_bool(body: dict[str, Any], field: str) -> bool | None:
    """``body[field]`` as a boolean, None when absent."""
    if field not in body:
        return None
    value = body[field]
    if not isinstance(value, bool):
        raise _invalid(field, f"must be true or false; got {json_type(value)}")
    return value
