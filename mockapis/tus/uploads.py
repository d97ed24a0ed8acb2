"""The ``/files/`` endpoints: tus 1.0 core (HEAD, PATCH), creation, termination, checksum
and expiration, plus a JSON listing and download of finished uploads."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.tus import protocol
from mockapis.tus.access import account
from mockapis.tus.errors import TUS_VERSION, tus_error
from mockapis.tus.store import (
    EXPIRY_NS,
    UPLOADS,
    complete,
    expires_header,
    find_upload,
    listing,
    new_upload_id,
)
from mockapis.world import World

__all__ = ["ROUTES"]

_BASE = {"Tus-Resumable": TUS_VERSION}
_OVERRIDABLE = ("PATCH", "DELETE", "HEAD", "GET")


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


async def options(request: Request) -> Response:
    """The server's tus capabilities (no authentication needed)."""
    headers = {
        **_BASE,
        "Tus-Version": TUS_VERSION,
        "Tus-Max-Size": str(protocol.MAX_SIZE),
        "Tus-Max-Chunk-Size": str(protocol.MAX_CHUNK),
        "Tus-Extension": protocol.EXTENSIONS,
        "Tus-Checksum-Algorithm": ",".join(protocol.CHECKSUM_ALGORITHMS),
    }
    return Response(status_code=204, headers=headers)


async def list_files(request: Request) -> Response:
    """Every finished upload of the account, oldest first (not part of tus)."""
    protocol.check_version(request)
    owner = account(request)
    rows = [
        r
        for r in world_of(request).table(UPLOADS).values()
        if r["account"] == owner and complete(r)
    ]
    rows.sort(key=lambda r: (r["created_ns"], r["id"]))
    files = [listing(r, _root(request)) for r in rows]
    return JSONResponse({"files": files}, headers=_BASE)


def _check_body(row_length: int | None, offset: int, body: bytes) -> None:
    """413 for a body over the per-request limit or past the upload's (or server's) size."""
    if len(body) > protocol.MAX_CHUNK:
        raise tus_error(
            413,
            f"The request body is {len(body)} bytes; at most {protocol.MAX_CHUNK} bytes "
            "(Tus-Max-Chunk-Size) per request: send the rest in further PATCH requests.",
            "chunk_too_large",
        )
    limit = protocol.MAX_SIZE if row_length is None else row_length
    if offset + len(body) > limit:
        what = "Upload-Length" if row_length is not None else "Tus-Max-Size"
        raise tus_error(
            413,
            f"Offset {offset} plus {len(body)} bytes exceeds the {what} of {limit} bytes.",
            "too_large",
        )


def _written(world: World, row: Record, body: bytes) -> Record:
    """``row`` with ``body`` appended at its offset (expiry pushed back, or cleared once
    complete), stored."""
    data = base64.b64decode(row["data"]) + body
    updated = {**row, "offset": len(data), "data": base64.b64encode(data).decode("ascii")}
    updated["expires_ns"] = None if complete(updated) else world.clock.now_ns + EXPIRY_NS
    world.table(UPLOADS).put(row["id"], updated)
    return updated


async def create(request: Request) -> Response:
    """Creation (and creation-with-upload): a new upload, 201 with its ``Location``."""
    protocol.check_version(request)
    owner = account(request)
    length = protocol.upload_length(request)
    metadata = protocol.parse_metadata(request)
    body = await request.body()
    if body:
        if protocol.content_type(request) != protocol.OFFSET_STREAM:
            raise tus_error(
                415,
                f"A creation request with a body must be Content-Type {protocol.OFFSET_STREAM}.",
                "unsupported_media_type",
            )
        _check_body(length, 0, body)
        protocol.check_checksum(request, body)
    world = world_of(request)
    upload_id = new_upload_id(world)
    row: Record = {
        "id": upload_id,
        "account": owner,
        "length": length,
        "offset": 0,
        "metadata": metadata,
        "data": "",
        "created_ns": world.clock.now_ns,
        "expires_ns": world.clock.now_ns + EXPIRY_NS,
    }
    world.table(UPLOADS).put(upload_id, row)
    row = _written(world, row, body)
    headers = {
        **_BASE,
        "Location": f"{_root(request)}/files/{upload_id}",
        "Upload-Offset": str(row["offset"]),
        **expires_header(row),
    }
    return Response(status_code=201, headers=headers)


def _head(row: Record) -> Response:
    headers = {**_BASE, "Upload-Offset": str(row["offset"]), "Cache-Control": "no-store"}
    if row["length"] is None:
        headers["Upload-Defer-Length"] = "1"
    else:
        headers["Upload-Length"] = str(row["length"])
    if row["metadata"]:
        headers["Upload-Metadata"] = ",".join(
            f"{k} {base64.b64encode(v.encode()).decode()}" if v else k
            for k, v in row["metadata"].items()
        )
    return Response(status_code=200, headers={**headers, **expires_header(row)})


async def _patch(request: Request, row: Record) -> Response:
    if protocol.content_type(request) != protocol.OFFSET_STREAM:
        raise tus_error(
            415,
            f"PATCH requests must be Content-Type {protocol.OFFSET_STREAM}.",
            "unsupported_media_type",
        )
    offset = protocol.upload_offset(request)
    if offset != row["offset"]:
        raise tus_error(
            409,
            f"Upload-Offset {offset} does not match the upload's offset {row['offset']}; "
            "send HEAD to learn the current offset.",
            "offset_mismatch",
        )
    world = world_of(request)
    if request.headers.get("upload-length") is not None:
        declared = protocol.header_count(request, "Upload-Length")
        if row["length"] is not None and declared != row["length"]:
            raise tus_error(400, "Upload-Length is already set for this upload.", "invalid_header")
        if declared is not None and (declared > protocol.MAX_SIZE or declared < offset):
            raise tus_error(413, f"Upload-Length {declared} is out of range.", "too_large")
        row = {**row, "length": declared}
        world.table(UPLOADS).put(row["id"], row)
    body = await request.body()
    _check_body(row["length"], offset, body)
    protocol.check_checksum(request, body)
    row = _written(world, row, body)
    headers = {**_BASE, "Upload-Offset": str(row["offset"]), **expires_header(row)}
    return Response(status_code=204, headers=headers)


def _download(row: Record) -> Response:
    if not complete(row):
        raise tus_error(
            404,
            f"Upload {row['id']!r} is not complete ({row['offset']} bytes received): "
            "there is no file to download yet.",
            "upload_incomplete",
        )
    headers = {**_BASE, "Cache-Control": "no-store"}
    name = row["metadata"].get("filename")
    if name:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(
        base64.b64decode(row["data"]), media_type="application/octet-stream", headers=headers
    )


def _delete(request: Request, row: Record) -> Response:
    world_of(request).table(UPLOADS).delete(row["id"])
    return Response(status_code=204, headers=_BASE)


async def upload(request: Request) -> Response:
    """HEAD (offset), PATCH (append), DELETE (terminate), GET (download once complete) on one
    upload; POST with ``X-HTTP-Method-Override`` stands for any of them."""
    method = request.method
    if method == "POST":
        override = (request.headers.get("x-http-method-override") or "").strip().upper()
        if override not in _OVERRIDABLE:
            raise tus_error(
                405,
                "POST on an upload needs X-HTTP-Method-Override: PATCH, DELETE, HEAD or GET.",
                "method_not_allowed",
                {"Allow": "GET, HEAD, PATCH, DELETE, POST"},
            )
        method = override
    protocol.check_version(request)
    owner = account(request)
    row = find_upload(world_of(request), owner, request.path_params["upload_id"])
    handlers: dict[str, Callable[[], Awaitable[Response] | Response]] = {
        "HEAD": lambda: _head(row),
        "GET": lambda: _download(row),
        "PATCH": lambda: _patch(request, row),
        "DELETE": lambda: _delete(request, row),
    }
    result = handlers[method]()
    return result if isinstance(result, Response) else await result


ROUTES = [
    Route("/files/", list_files, methods=["GET"]),
    Route("/files/", create, methods=["POST"]),
    Route("/files/", options, methods=["OPTIONS"]),
    Route("/files/{upload_id}", upload, methods=["GET", "PATCH", "DELETE", "POST"]),
]
