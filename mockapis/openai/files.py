"""``/v1/files``: multipart upload with per-purpose format rules, list, retrieve, content,
delete."""

from __future__ import annotations

import base64
import json

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.parsing import read_body
from mockapis.kit.responses import JSONResponse
from mockapis.openai.access import authorize
from mockapis.openai.data import max_file_bytes, stored_file
from mockapis.openai.errors import missing_param, not_found, oai_error
from mockapis.openai.listing import list_params, page
from mockapis.openai.store import FILES, file_object
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["PURPOSES", "ROUTES", "extension", "find_file"]

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
_JSONL_PURPOSES = {"batch": "Batch API", "fine-tune": "Fine-Tuning API", "evals": "Evals API"}
_IMAGES = ("png", "jpeg", "jpg", "gif", "webp")
_RETRIEVAL = (
    "c", "cpp", "cs", "css", "csv", "doc", "docx", "go", "html", "java", "js", "json", "md",
    "pdf", "php", "pptx", "py", "rb", "sh", "tex", "ts", "txt",
)  # fmt: skip
_USER_DATA = (*_RETRIEVAL, "jsonl", "tsv", "xml", "yaml", "yml", *_IMAGES)
_OVERHEAD = 64 * 1024
"""Room for the multipart framing and the other fields above the file size limit."""


def extension(filename: str) -> str:
    """The lower-case extension of ``filename`` without the dot ("" when none)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def find_file(world: World, file_id: str, param: str = "file_id") -> Record:
    """The stored file ``file_id``, else OpenAI's 404."""
    row = world.table(FILES).get(file_id)
    if row is None:
        raise not_found(f"No such File object: {file_id}", param=param)
    return row


def _too_large(size: int, limit: int) -> Exception:
    return oai_error(
        413,
        f"File is too large: {size} bytes; the maximum size of an upload is {limit} bytes.",
        param="file",
        code="file_too_large",
    )


def _check_format(purpose: str, filename: str, data: bytes) -> None:
    ext = extension(filename)
    if purpose in _JSONL_PURPOSES:
        api = _JSONL_PURPOSES[purpose]
        if ext != "jsonl":
            raise oai_error(400, f"Invalid file format for {api}. Must be .jsonl", param="file")
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                ok = isinstance(json.loads(line), dict)
            except ValueError:
                ok = False
            if not ok:
                raise oai_error(
                    400,
                    f"Invalid file format for {api}. Line {number} is not a JSON object.",
                    param="file",
                )
        return
    allowed = {"vision": _IMAGES, "assistants": _RETRIEVAL}.get(purpose, _USER_DATA)
    if ext in allowed:
        return
    shown = f"[.{ext}]" if ext else "[none]"
    if purpose == "assistants":
        message = (
            f"Files with extensions {shown} are not supported for retrieval. See "
            "https://platform.openai.com/docs/assistants/tools/file-search/supported-files."
        )
    else:
        formats = ", ".join(f'"{e}"' for e in allowed)
        message = (
            f"Invalid file format {shown} for purpose '{purpose}'. Supported formats: {formats}"
        )
    raise oai_error(400, message, param="file")


async def _upload_parts(request: Request, limit: int) -> tuple[UploadFile, str]:
    media = (request.headers.get("content-type") or "").partition(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise oai_error(
            415,
            f"Invalid Content-Type header ({media or 'none'}), expected multipart/form-data "
            "with the fields 'file' and 'purpose'.",
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _OVERHEAD:
        raise _too_large(int(declared), limit)
    body = await read_body(request, max_bytes=limit + _OVERHEAD)
    del body  # cached on the request: the form parser reads it from there
    try:
        form = await request.form(max_files=1, max_fields=16)
    except MultiPartException as exc:
        raise oai_error(400, f"Malformed multipart body: {exc.message}") from None
    upload = form.get("file")
    purpose = form.get("purpose")
    if not isinstance(upload, UploadFile):
        raise missing_param("file")
    if not isinstance(purpose, str) or not purpose:
        raise missing_param("purpose")
    return upload, purpose


async def create_file(request: Request) -> Response:
    """Upload one file (multipart ``file`` and ``purpose``)."""
    world = authorize(request)
    limit = max_file_bytes(world)
    upload, purpose = await _upload_parts(request, limit)
    if purpose not in PURPOSES:
        shown = ", ".join(f"'{p}'" for p in PURPOSES)
        raise oai_error(
            400, f"'{purpose}' is not one of [{shown}] - 'purpose'", param="purpose",
            code="invalid_value",
        )  # fmt: skip
    filename = upload.filename or ""
    if not filename.strip():
        raise oai_error(400, "The uploaded file must have a file name.", param="file")
    data = await upload.read()
    if len(data) > limit:
        raise _too_large(len(data), limit)
    if not data:
        raise oai_error(400, "The uploaded file is empty.", param="file")
    _check_format(purpose, filename, data)
    row = stored_file(world, filename, purpose, data)
    return JSONResponse(file_object(row))


async def list_files(request: Request) -> Response:
    """The project's files, newest first by default (``purpose``, ``limit``, ``after``,
    ``order``)."""
    world = authorize(request)
    limit, order, after = list_params(request, default_limit=10_000, max_limit=10_000)
    purpose = request.query_params.get("purpose")
    rows = [
        file_object(r)
        for r in world.table(FILES).values()
        if not purpose or r["purpose"] == purpose
    ]
    return JSONResponse(page(rows, limit=limit, order=order, after=after, what="file"))


async def retrieve_file(request: Request) -> Response:
    """One file object."""
    world = authorize(request)
    return JSONResponse(file_object(find_file(world, request.path_params["file_id"])))


async def file_content(request: Request) -> Response:
    """The file's bytes (files of purpose ``assistants`` cannot be downloaded)."""
    world = authorize(request)
    row = find_file(world, request.path_params["file_id"])
    if row["purpose"] == "assistants":
        raise oai_error(400, "Not allowed to download files of purpose: assistants.")
    return Response(base64.b64decode(row["data"]), media_type="application/octet-stream")


async def delete_file(request: Request) -> Response:
    """Delete a file."""
    world = authorize(request)
    row = find_file(world, request.path_params["file_id"])
    world.table(FILES).delete(row["id"])
    return JSONResponse({"id": row["id"], "object": "file", "deleted": True})


ROUTES = [
    Route("/v1/files", create_file, methods=["POST"]),
    Route("/v1/files", list_files, methods=["GET"]),
    Route("/v1/files/{file_id}", retrieve_file, methods=["GET"]),
    Route("/v1/files/{file_id}", delete_file, methods=["DELETE"]),
    Route("/v1/files/{file_id}/content", file_content, methods=["GET"]),
]
