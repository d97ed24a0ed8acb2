"""Reading what the model is given: Responses ``input`` items and their content parts, and
the files they point at (``file_id``, ``file_data`` data URLs, ``file_url`` fetched from the
episode's other services)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from starlette.requests import Request

from mockapis.kit.fetch import FetchFailed, fetch
from mockapis.openai.data import max_file_bytes
from mockapis.openai.documents import to_source
from mockapis.openai.errors import invalid_value, missing_param, oai_error
from mockapis.openai.files import find_file
from mockapis.openai.formats import invalid_type
from mockapis.openai.simulator import Source
from mockapis.openai.store import new_id
from mockapis.world import World

__all__ = ["Material", "file_source", "read_input", "supported"]

ROLES = ("user", "assistant", "system", "developer")
PART_TYPES = ("input_text", "input_image", "input_file", "output_text", "refusal")
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+);base64,(.*)", re.DOTALL)


def supported(values: tuple[str, ...]) -> str:
    """``'a', 'b', and 'c'`` as OpenAI lists supported values."""
    quoted = [f"'{v}'" for v in values]
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}" if len(quoted) > 1 else quoted[0]


@dataclass
class Material:
    """What one request gives the model: instructions, sources, stored items, text length."""

    instructions: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    mentions_json: bool = False


def _string(value: Any, param: str) -> str:
    if value is None:
        raise missing_param(param)
    if not isinstance(value, str):
        raise invalid_type(param, "a string", value)
    return value


def _file_data(world: World, part: Mapping[str, Any], param: str) -> Source:
    raw = _string(part.get("file_data"), f"{param}.file_data")
    filename = _string(part.get("filename"), f"{param}.filename")
    match = _DATA_URL.fullmatch(raw.strip())
    data: bytes | None = None
    if match is not None:
        try:
            data = base64.b64decode(match.group(2), validate=True)
        except binascii.Error:
            data = None
    if match is None or data is None:
        raise invalid_value(
            f"{param}.file_data",
            f"Invalid file data: '{param}.file_data'. Expected a base64-encoded data URL with a "
            "MIME type (e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ==').",
        )
    limit = max_file_bytes(world)
    if len(data) > limit:
        raise oai_error(
            400,
            f"File is too large: {len(data)} bytes; the maximum is {limit} bytes.",
            param=f"{param}.file_data",
            code="file_too_large",
        )
    return to_source(data, filename, match.group(1), f"{param}.file_data")


async def _file_url(request: Request, url: str, param: str) -> Source:
    try:
        fetched = await fetch(request.scope, url, origin="openai")
    except ValueError:
        raise invalid_value(param, f"Invalid URL: '{url}'. Expected an http(s) URL.") from None
    except FetchFailed as exc:
        raise invalid_value(param, f"Error while downloading {url} ({exc.kind}).") from None
    if fetched is None or not 200 <= fetched.status < 300:
        why = "the host could not be reached" if fetched is None else f"HTTP {fetched.status}"
        raise invalid_value(param, f"Error while downloading {url} ({why}).")
    limit = max_file_bytes(request.scope["world"])
    if len(fetched.body) > limit:
        raise oai_error(
            400,
            f"File is too large: {len(fetched.body)} bytes; the maximum is {limit} bytes.",
            param=param,
            code="file_too_large",
        )
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    disposition = re.search(r'filename="([^"]*)"', fetched.headers.get("content-disposition", ""))
    if disposition is not None:
        name = disposition.group(1)
    return to_source(fetched.body, name, fetched.content_type, param)


async def file_source(request: Request, part: Mapping[str, Any], param: str) -> Source:
    """The material of a file part: exactly one of ``file_id``, ``file_data`` (with
    ``filename``) or ``file_url``."""
    world: World = request.scope["world"]
    given = [k for k in ("file_id", "file_data", "file_url") if part.get(k) is not None]
    if len(given) != 1:
        raise oai_error(
            400,
            f"Invalid '{param}': give exactly one of 'file_id', 'file_data' (with 'filename') "
            f"or 'file_url'; got {len(given)}.",
            param=param,
            code="invalid_value",
        )
    if given[0] == "file_id":
        file_id = _string(part["file_id"], f"{param}.file_id")
        row = find_file(world, file_id, f"{param}.file_id")
        return to_source(base64.b64decode(row["data"]), row["filename"], "", f"{param}.file_id")
    if given[0] == "file_data":
        return _file_data(world, part, param)
    return await _file_url(
        request, _string(part["file_url"], f"{param}.file_url"), param + ".file_url"
    )


async def _part(
    request: Request, material: Material, role: str, part: Any, param: str
) -> dict[str, Any]:
    if not isinstance(part, Mapping):
        raise invalid_type(param, "an object", part)
    kind = part.get("type")
    if kind is None:
        raise missing_param(f"{param}.type")
    if kind not in PART_TYPES:
        raise invalid_value(
            f"{param}.type",
            f"Invalid value: '{kind}'. Supported values are: {supported(PART_TYPES)}.",
        )
    if kind in ("input_text", "output_text"):
        text = _string(part.get("text"), f"{param}.text")
        if "json" in text.lower():
            material.mentions_json = True
        if role in ("system", "developer"):
            material.instructions.append(text)
        elif role == "user":
            material.sources.append(Source(text, "text"))
        return {"type": kind, "text": text}
    if kind == "refusal":
        return {"type": kind, "refusal": _string(part.get("refusal"), f"{param}.refusal")}
    if kind == "input_image":
        if part.get("image_url") is None and part.get("file_id") is None:
            raise missing_param(f"{param}.image_url")
        return {k: part[k] for k in ("type", "image_url", "file_id", "detail") if k in part}
    source = await file_source(request, part, param)
    if role == "user":
        material.sources.append(source)
    keys = ("type", "file_id", "file_data", "file_url", "filename")
    return {k: part[k] for k in keys if part.get(k) is not None}


async def read_input(request: Request, raw: Any) -> Material:
    """The ``input`` of a Responses request: a string, or a list of messages."""
    world: World = request.scope["world"]
    material = Material()
    if isinstance(raw, str):
        raw = [{"type": "message", "role": "user", "content": raw}]
    if not isinstance(raw, list):
        raise invalid_type("input", "one of a string or an array of input items", raw)
    for i, item in enumerate(raw):
        param = f"input[{i}]"
        if not isinstance(item, Mapping):
            raise invalid_type(param, "an object", item)
        kind = item.get("type", "message")
        if kind != "message":
            raise invalid_value(
                f"{param}.type",
                f"Invalid value: '{kind}'. Supported values are: 'message'.",
            )
        role = item.get("role")
        if role is None:
            raise missing_param(f"{param}.role")
        if role not in ROLES:
            raise invalid_value(
                f"{param}.role",
                f"Invalid value: '{role}'. Supported values are: {supported(ROLES)}.",
            )
        content = item.get("content")
        if content is None:
            raise missing_param(f"{param}.content")
        if isinstance(content, str):
            content = [
                {"type": "output_text" if role == "assistant" else "input_text", "text": content}
            ]
        if not isinstance(content, list):
            raise invalid_type(
                f"{param}.content", "one of a string or an array of input content parts", content
            )
        parts = [
            await _part(request, material, str(role), part, f"{param}.content[{j}]")
            for j, part in enumerate(content)
        ]
        material.items.append(
            {
                "id": new_id(world, "msg_"),
                "type": "message",
                "role": role,
                "status": "completed",
                "content": parts,
            }
        )
    return material
