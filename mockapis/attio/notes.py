"""Note routes: list (by parent record), create, get, delete."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.attio import formats
from mockapis.attio.access import authorize, read_data, route
from mockapis.attio.records import check_keys
from mockapis.attio.schema import WORKSPACE_ID, find_object
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import query_int
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES", "build_note", "markdown_to_plaintext"]

MAX_NOTES_LIMIT = 50
DEFAULT_NOTES_LIMIT = 10
_NOTE_KEYS = frozenset(
    {"parent_object", "parent_record_id", "title", "format", "content", "created_at", "meeting_id"}
)
_MARKUP = re.compile(r"(^#{1,6}[ \t]+|^[ \t]*[-*+][ \t]+|^>[ \t]?|\*\*|__|`|~~)", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def markdown_to_plaintext(text: str) -> str:
    """A plaintext rendering of simple markdown (headings, emphasis, lists, links)."""
    return _MARKUP.sub("", _LINK.sub(r"\1", text))


def build_note(
    note_id: str,
    parent_object: str,
    parent_record_id: str,
    title: str,
    fmt: str,
    content: str,
    actor: dict[str, Any],
    created_at: str,
) -> Record:
    """A note exactly as the API returns it."""
    markdown = content
    plaintext = markdown_to_plaintext(content) if fmt == "markdown" else content
    return {
        "id": {"workspace_id": WORKSPACE_ID, "note_id": note_id},
        "parent_object": parent_object,
        "parent_record_id": parent_record_id,
        "title": title,
        "meeting_id": None,
        "content_plaintext": plaintext,
        "content_markdown": markdown,
        "tags": [],
        "created_by_actor": actor,
        "created_at": created_at,
    }


def _parent(world: World, parent_object: Any, parent_record_id: Any) -> tuple[str, str]:
    obj = find_object(parent_object) if isinstance(parent_object, str) else None
    if obj is None:
        raise ApiError(
            404,
            f"Object with slug/ID {parent_object!r} not found (parent_object).",
            code="not_found",
        )
    if not isinstance(parent_record_id, str) or parent_record_id not in world.table(
        f"attio.{obj.slug}"
    ):
        raise ApiError(
            404,
            f'Record with ID "{parent_record_id}" not found in object "{obj.slug}".',
            code="not_found",
        )
    return obj.slug, parent_record_id


async def list_notes(request: Request) -> Response:
    """``GET /v2/notes``: newest last; optionally only those of one parent record."""
    world, _ = authorize(request)
    limit = query_int(request, "limit", DEFAULT_NOTES_LIMIT, minimum=1, maximum=MAX_NOTES_LIMIT)
    offset = query_int(request, "offset", 0, minimum=0, maximum=10**9)
    parent_object = request.query_params.get("parent_object")
    parent_record_id = request.query_params.get("parent_record_id")
    rows = list(world.table("attio.notes").values())
    if parent_record_id is not None and parent_object is None:
        raise ApiError(
            400,
            "parent_record_id must be given together with parent_object.",
            code="validation_type",
        )
    if parent_object is not None:
        obj = find_object(parent_object)
        if obj is None:
            raise ApiError(
                404,
                f'Object with slug/ID "{parent_object}" not found (parent_object).',
                code="not_found",
            )
        rows = [n for n in rows if n["parent_object"] == obj.slug]
        if parent_record_id is not None:
            rows = [n for n in rows if n["parent_record_id"] == parent_record_id]
    rows.sort(key=lambda n: (n["created_at"], n["id"]["note_id"]))
    return JSONResponse({"data": rows[offset : offset + limit]})


def _string(data: dict[str, Any], key: str, *, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(
            400,
            f"data.{key} must be a string of at most {limit} characters.",
            code="validation_type",
        )
    return value


async def create_note(request: Request) -> Response:
    """``POST /v2/notes``: a note on one record, in plaintext or markdown."""
    world, token = authorize(request)
    data = await read_data(request)
    check_keys(data, _NOTE_KEYS, "data")
    title = _string(data, "title", limit=1000)
    content = _string(data, "content", limit=100_000)
    fmt = data.get("format", "plaintext")
    if fmt not in ("plaintext", "markdown"):
        raise ApiError(
            400,
            f'data.format must be "plaintext" or "markdown"; got {fmt!r}.',
            code="validation_type",
        )
    if data.get("meeting_id") is not None:
        raise ApiError(
            400, "data.meeting_id: no meetings exist in this workspace.", code="validation_type"
        )
    created_at = world.clock.isoformat()
    if data.get("created_at") is not None:
        raw = data["created_at"]
        ns = formats.parse_timestamp_ns(raw) if isinstance(raw, str) else None
        if ns is None:
            raise ApiError(
                400, "data.created_at must be an ISO 8601 timestamp.", code="validation_type"
            )
        created_at = formats.timestamp_string(ns)
    parent_object, parent_record_id = _parent(
        world, data.get("parent_object"), data.get("parent_record_id")
    )
    note_id = world.uuid4()
    note = build_note(
        note_id,
        parent_object,
        parent_record_id,
        title,
        fmt,
        content,
        {"type": "api-token", "id": token["token_id"]},
        created_at,
    )
    world.table("attio.notes").put(note_id, note)
    return JSONResponse({"data": note})


def _note(world: World, note_id: str) -> Record:
    note = world.table("attio.notes").get(note_id)
    if note is None:
        raise ApiError(404, f'Note with ID "{note_id}" not found.', code="not_found")
    return note


async def get_note(request: Request) -> Response:
    """``GET /v2/notes/{note_id}``."""
    world, _ = authorize(request)
    return JSONResponse({"data": _note(world, request.path_params["note_id"])})


async def delete_note(request: Request) -> Response:
    """``DELETE /v2/notes/{note_id}``."""
    world, _ = authorize(request)
    note_id = request.path_params["note_id"]
    _note(world, note_id)
    world.table("attio.notes").delete(note_id)
    return JSONResponse({})


ROUTES = [
    route("/v2/notes", {"GET": list_notes, "POST": create_note}),
    route("/v2/notes/{note_id}", {"GET": get_note, "DELETE": delete_note}),
]
"""The note operations."""
