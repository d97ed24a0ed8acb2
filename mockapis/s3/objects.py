"""Objects: PutObject, GetObject (Range), HeadObject, DeleteObject; the key route's dispatch."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.s3 import multipart
from mockapis.s3.access import query_pairs
from mockapis.s3.common import bucket_row, http_time, refuse_not_emulated, signed_body
from mockapis.s3.data import object_row
from mockapis.s3.errors import S3Error

__all__ = ["OBJECT_ROUTE", "object_endpoint"]

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


async def object_endpoint(request: Request) -> Response:
    """/{bucket}/{key}: GET/HEAD/PUT/DELETE an object, POST and ``uploadId`` for multipart;
    ``/{bucket}/`` (no key) is the bucket, as S3 reads it."""
    if not request.path_params["key"]:
        from mockapis.s3.buckets import bucket_endpoint  # buckets imports this module

        return await bucket_endpoint(request)
    body = await signed_body(request)
    world = world_of(request)
    bucket = request.path_params["bucket"]
    key = request.path_params["key"]
    bucket_row(world, bucket)
    if len(key.encode()) > 1024:
        raise S3Error(400, "KeyTooLongError", "Your key is too long: keys are 1 to 1024 bytes.")
    params = dict(query_pairs(request))
    refuse_not_emulated(params)
    if request.method == "POST" or "uploadId" in params:
        return multipart.dispatch(request, world, bucket, key, params, body)
    if request.method == "PUT":
        if "x-amz-copy-source" in request.headers:
            raise S3Error(501, "NotImplemented", "CopyObject is not supported by this service.")
        check_md5(request, body)
        stored = object_row(world, bucket, key, body, content_type(request))
        stored["metadata"] = metadata(request)
        world.table("s3.objects").put(f"{bucket}/{key}", stored)
        return Response(b"", 200, headers={"ETag": str(stored["etag"])})
    table = world.table("s3.objects")
    if request.method == "DELETE":
        if f"{bucket}/{key}" in table:
            table.delete(f"{bucket}/{key}")
        return Response(b"", 204)
    row = table.get(f"{bucket}/{key}")
    if row is None:
        raise S3Error(404, "NoSuchKey", "The specified key does not exist.", Key=key)
    data = base64.b64decode(row["body"])
    headers = {
        "ETag": row["etag"],
        "Last-Modified": http_time(row["last_modified"]),
        "Accept-Ranges": "bytes",
        "Content-Type": row["content_type"],
        **{f"x-amz-meta-{k}": v for k, v in row.get("metadata", {}).items()},
    }
    status = 200
    wanted = request.headers.get("range")
    if wanted is not None:
        start, end = _range(wanted, len(data))
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        data, status = data[start : end + 1], 206
    headers["Content-Length"] = str(len(data))
    if request.method == "HEAD":
        return Response(b"", status, headers=headers)
    return Response(data, status, headers=headers)


def _range(header: str, size: int) -> tuple[int, int]:
    match = _RANGE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        raise S3Error(
            400, "InvalidArgument", "Range must be bytes=<first>-<last>, <first>- or -<suffix>."
        )
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end or size == 0:
        raise S3Error(
            416, "InvalidRange", "The requested range is not satisfiable", RangeRequested=header
        )
    return start, end


def check_md5(request: Request, body: bytes) -> None:
    """400 InvalidDigest / BadDigest for a wrong ``Content-MD5``."""
    sent = request.headers.get("content-md5")
    if sent is None:
        return
    try:
        digest = base64.b64decode(sent, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
    if digest != hashlib.md5(body).digest():
        raise S3Error(
            400, "BadDigest", "The Content-MD5 you specified did not match what we received."
        )


def content_type(request: Request) -> str:
    """The stored content type (``binary/octet-stream`` when none was sent)."""
    return request.headers.get("content-type") or "binary/octet-stream"


def metadata(request: Request) -> dict[str, str]:
    """``x-amz-meta-*`` headers, by lower-case suffix."""
    return {
        k[len("x-amz-meta-") :]: v
        for k, v in request.headers.items()
        if k.lower().startswith("x-amz-meta-")
    }


OBJECT_ROUTE = Route(
    "/{bucket}/{key:path}", object_endpoint, methods=["GET", "PUT", "HEAD", "DELETE", "POST"]
)
