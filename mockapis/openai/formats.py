"""Output formats: ``text``, ``json_object`` and ``json_schema`` (with strict-mode rules), as
``text.format`` (Responses) and ``response_format`` (Chat Completions) give them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mockapis.kit.parsing import json_type
from mockapis.openai.errors import invalid_value, missing_param, oai_error

__all__ = ["invalid_type", "parse_format"]

_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_TYPES = ("text", "json_object", "json_schema")


def invalid_type(param: str, expected: str, value: Any) -> Exception:
    """OpenAI's 400 ``invalid_type``: ``Invalid type for 'x': expected ..., but got ...``."""
    return oai_error(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {json_type(value)} instead.",
        param=param,
        code="invalid_type",
    )


def parse_format(raw: Any, param: str, *, nested: bool) -> dict[str, Any]:
    """The format object at ``param``; ``nested``: the json_schema fields sit in a
    ``json_schema`` object (Chat Completions) rather than beside ``type`` (Responses)."""
    if raw is None:
        return {"type": "text"}
    if not isinstance(raw, Mapping):
        raise invalid_type(param, "an object", raw)
    kind = raw.get("type")
    if kind is None:
        raise missing_param(f"{param}.type")
    if kind not in _TYPES:
        shown = ", ".join(f"'{t}'" for t in _TYPES[:-1]) + f", and '{_TYPES[-1]}'"
        raise invalid_value(
            f"{param}.type", f"Invalid value: '{kind}'. Supported values are: {shown}."
        )
    if kind != "json_schema":
        return {"type": kind}
    where = f"{param}.json_schema" if nested else param
    spec = raw.get("json_schema") if nested else raw
    if nested and spec is None:
        raise missing_param(where)
    if not isinstance(spec, Mapping):
        raise invalid_type(where, "an object", spec)
    name = spec.get("name")
    if name is None:
        raise missing_param(f"{where}.name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise invalid_value(
            f"{where}.name",
            f"Invalid '{where}.name': string does not match pattern. Expected a string that "
            "matches the pattern '^[a-zA-Z0-9_-]+$' with at most 64 characters.",
        )
    schema = spec.get("schema")
    if schema is None:
        raise missing_param(f"{where}.schema")
    if not isinstance(schema, Mapping):
        raise invalid_type(f"{where}.schema", "an object", schema)
    strict = spec.get("strict", False)
    if strict is not None and not isinstance(strict, bool):
        raise invalid_type(f"{where}.strict", "a boolean", strict)
    if strict:
        _check_strict(name, schema, (), f"{where}.schema", 0)
    result: dict[str, Any] = {"type": "json_schema", "name": name, "schema": dict(schema)}
    if isinstance(spec.get("description"), str):
        result["description"] = spec["description"]
    result["strict"] = bool(strict)
    return result


def _schema_error(name: str, context: tuple[str, ...], message: str, param: str) -> Exception:
    return oai_error(
        400,
        f"Invalid schema for response_format '{name}': In context={context!r}, {message}",
        param=param,
        code="invalid_json_schema",
    )


def _check_strict(
    name: str, schema: Mapping[str, Any], context: tuple[str, ...], param: str, depth: int
) -> None:
    """Strict mode: every object closes ``additionalProperties`` and requires every property."""
    if depth > 10:
        raise _schema_error(name, context, "schemas may nest at most 10 levels.", param)
    kinds = schema.get("type")
    is_object = kinds == "object" or (isinstance(kinds, list) and "object" in kinds)
    properties = schema.get("properties")
    if is_object or isinstance(properties, Mapping):
        if schema.get("additionalProperties") is not False:
            raise _schema_error(
                name,
                context,
                "'additionalProperties' is required to be supplied and to be false.",
                param,
            )
        keys = list(properties) if isinstance(properties, Mapping) else []
        required = schema.get("required")
        listed = required if isinstance(required, list) else []
        missing = [k for k in keys if k not in listed]
        if not isinstance(required, list) or missing:
            shown = f" Missing '{missing[0]}'." if missing else ""
            raise _schema_error(
                name,
                context,
                "'required' is required to be supplied and to be an array including every "
                f"key in properties.{shown}",
                param,
            )
        for key in keys:
            sub = properties[key] if isinstance(properties, Mapping) else None
            if isinstance(sub, Mapping):
                _check_strict(name, sub, (*context, "properties", str(key)), param, depth + 1)
    items = schema.get("items")
    if isinstance(items, Mapping):
        _check_strict(name, items, (*context, "items"), param, depth + 1)
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            for i, option in enumerate(options):
                if isinstance(option, Mapping):
                    _check_strict(name, option, (*context, key, str(i)), param, depth + 1)
