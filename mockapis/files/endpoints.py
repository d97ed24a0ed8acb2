"""The ``/files`` endpoints: list, download (ranges, ETag), upload with a verified size and
SHA-256, and delete."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.files.access import account
from mockapis.files.ranges import parse_range
from mockapis.files.store import FILES, content, etag, file_key, iso, metadata, new_row
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import query_int
from mockapis.kit.ratelimit import http_date
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["CHECKSUM_HEADER", "MAX_FILE_SIZE", "MAX_NAME_BYTES", "ROUTES"]

MAX_FILE_SIZE = 4 * 1024 * 1024
"""The largest upload, in bytes (4 MiB)."""
MAX_NAME_BYTES = 1024
"""The longest name, in UTF-8 bytes."""
CHECKSUM_HEADER = "X-Checksum-Sha256"
"""The upload's SHA-256, as 64 hexadecimal digits."""
OCTET_STREAM = "application/octet-stream"
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FEW_CHARS = 60


def _world(request: Request) -> World:
    world: World = request.scope["world"]
    return world


def _name(request: Request) -> str:
    """The literal file name of the path (after percent-decoding), within bounds."""
    name = str(request.path_params["name"])
    if not name:
        raise ApiError(400, "The file name is empty: use /files/<name>.", code="invalid_name")
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "The file name is not valid UTF-8.", code="invalid_name") from None
    if len(encoded) > MAX_NAME_BYTES:
        raise ApiError(
            400,
            f"The file name is {len(encoded)} bytes; at most {MAX_NAME_BYTES} are allowed.",
            code="invalid_name",
        )
    if _CONTROL.search(name):
        raise ApiError(400, "File names may not hold control characters.", code="invalid_name")
    return name


def _find(request: Request, owner: str, name: str) -> Record:
    row = _world(request).table(FILES).get(file_key(owner, name))
    if row is None:
        raise ApiError(404, f"No file named {name[:_FEW_CHARS]!r}.", code="file_not_found")
    return row


def _file_headers(row: Record) -> dict[str, str]:
    disposition = quote(row["name"].rsplit("/", 1)[-1], safe="")
    return {
        "ETag": etag(row),
        "Last-Modified": http_date(_ns(row["updated_at"])),
        "Accept-Ranges": "bytes",
        CHECKSUM_HEADER: row["sha256"],
        "Content-Disposition": f"attachment; filename*=UTF-8''{disposition}",
        "Cache-Control": "no-store",
    }


def _ns(stamp: str) -> int:
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return int(moment.timestamp()) * 1_000_000_000


def _matches(header: str, row: Record) -> bool:
    """Whether an ``If-None-Match`` / ``If-Match`` list names the file's ETag (or is ``*``)."""
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag(row) in tags


async def list_files(request: Request) -> Response:
    """Names in code-point order, after ``after``, starting with ``prefix``, ``limit`` a page."""
    owner = account(request)
    limit = query_int(request, "limit", 100, minimum=1, maximum=1000)
    prefix = request.query_params.get("prefix", "")
    after = request.query_params.get("after", "")
    rows = sorted(
        (
            r
            for r in _world(request).table(FILES).values()
            if r["account"] == owner and r["name"].startswith(prefix) and r["name"] > after
        ),
        key=lambda r: r["name"],
    )
    page = rows[:limit]
    more = len(rows) > limit
    return JSONResponse(
        {
            "files": [metadata(r) for r in page],
            "has_more": more,
            "next_after": page[-1]["name"] if more else None,
        }
    )


async def download(request: Request) -> Response:
    """The file's bytes: whole, or one range (206); 304 for a matching ``If-None-Match``."""
    owner = account(request)
    row = _find(request, owner, _name(request))
    headers = _file_headers(row)
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and _matches(if_none_match, row):
        return Response(status_code=304, headers=headers)
    data = content(row)
    status = 200
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range.strip() != etag(row):
        wanted = None  # the file changed since the client's copy: send it whole
    span = parse_range(wanted, len(data))
    if span is not None:
        first, last = span
        data = data[first : last + 1]
        headers["Content-Range"] = f"bytes {first}-{last}/{row['size']}"
        status = 206
    headers["Content-Length"] = str(len(data))
    body = b"" if request.method == "HEAD" else data
    return Response(body, status, headers=headers, media_type=OCTET_STREAM)


def _declared_length(request: Request) -> int:
    raw = request.headers.get("content-length")
    if raw is None:
        raise ApiError(
            411,
            "Content-Length is required: send the file in one request body of known size "
            "(chunked uploads are not supported).",
            code="length_required",
        )
    if not raw.strip().isdigit():
        raise ApiError(400, f"Content-Length {raw!r} is not a number.", code="invalid_length")
    length = int(raw)
    if length > MAX_FILE_SIZE:
        raise ApiError(
            413,
            f"The file is {length} bytes; the limit is {MAX_FILE_SIZE} bytes.",
            code="file_too_large",
            extra={"limit": MAX_FILE_SIZE},
        )
    return length


def _declared_checksum(request: Request) -> str:
    raw = request.headers.get(CHECKSUM_HEADER.lower())
    if raw is None:
        raise ApiError(
            400,
            f"{CHECKSUM_HEADER} is required: the SHA-256 of the body as 64 hexadecimal digits.",
            code="checksum_required",
        )
    if not _HEX64.match(raw.strip()):
        raise ApiError(
            400,
            f"{CHECKSUM_HEADER} must be 64 hexadecimal digits (a SHA-256); got {raw[:80]!r}.",
            code="invalid_checksum",
        )
    return raw.strip().lower()


def _check_preconditions(request: Request, existing: Record | None) -> None:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and existing is not None and _matches(if_none_match, existing):
        raise ApiError(412, "The file already exists (If-None-Match).", code="precondition_failed")
    if_match = request.headers.get("if-match")
    if if_match is not None and (existing is None or not _matches(if_match, existing)):
        raise ApiError(412, "The file's ETag does not match If-Match.", code="precondition_failed")


async def upload(request: Request) -> Response:
    """Store the body under the name (201 new, 200 replaced) once its size and SHA-256 match."""
    owner = account(request)
    name = _name(request)
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != OCTET_STREAM:
        raise ApiError(
            415,
            f"Content-Type must be {OCTET_STREAM} (the raw bytes); got {media_type or 'none'}.",
            code="unsupported_media_type",
        )
    declared = _declared_length(request)
    checksum = _declared_checksum(request)
    world = _world(request)
    key = file_key(owner, name)
    existing = world.table(FILES).get(key)
    _check_preconditions(request, existing)
    data = await request.body()
    if len(data) != declared:
        raise ApiError(
            400,
            f"Content-Length says {declared} bytes but the body has {len(data)}.",
            code="size_mismatch",
        )
    if hashlib.sha256(data).hexdigest() != checksum:
        raise ApiError(
            422,
            f"The body's SHA-256 does not match {CHECKSUM_HEADER}; nothing was stored.",
            code="checksum_mismatch",
        )
    now = iso(world.clock.now_ns)
    row = new_row(owner, name, data, now, existing["created_at"] if existing else None)
    world.table(FILES).put(key, row)
    location = request.scope.get("root_path", "") + "/files/" + quote(name, safe="/")
    headers = {"ETag": etag(row), "Location": location}
    return JSONResponse(metadata(row), 200 if existing else 201, headers=headers)


async def delete(request: Request) -> Response:
    """Remove the file (``If-Match`` optional)."""
    owner = account(request)
    row = _find(request, owner, _name(request))
    if_match = request.headers.get("if-match")
    if if_match is not None and not _matches(if_match, row):
        raise ApiError(412, "The file's ETag does not match If-Match.", code="precondition_failed")
    _world(request).table(FILES).delete(file_key(owner, row["name"]))
    return Response(status_code=204)


ROUTES = [
    Route("/files", list_files, methods=["GET"]),
    Route("/files/{name:path}", download, methods=["GET"]),
    Route("/files/{name:path}", upload, methods=["PUT"]),
    Route("/files/{name:path}", delete, methods=["DELETE"]),
]
