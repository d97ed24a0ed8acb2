"""Multipart uploads: create, upload part, complete (validated, ``-N`` ETag), abort, list parts."""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET

from starlette.requests import Request
from starlette.responses import Response

from mockapis.s3.common import iso_time, text
from mockapis.s3.data import min_part_size, object_row
from mockapis.s3.errors import NAMESPACE, S3Error, xml_response
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["MAX_PARTS", "dispatch"]

MAX_PARTS = 10000
_NS = f'xmlns="{NAMESPACE}"'


def dispatch(
    request: Request, world: World, bucket: str, key: str, params: dict[str, str], body: bytes
) -> Response:
    """Route a multipart request by method and query."""
    if request.method == "POST" and "uploads" in params:
        return _create(request, world, bucket, key)
    if request.method == "POST" and "uploadId" not in params:
        raise S3Error(400, "InvalidRequest", "POST on an object takes ?uploads or ?uploadId=.")
    upload_id = params.get("uploadId", "")
    upload = world.table("s3.uploads").get(upload_id)
    if upload is None or upload["bucket"] != bucket or upload["key"] != key:
        raise S3Error(
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload "
            "may have been aborted or completed.",
            UploadId=upload_id,
        )
    if request.method == "PUT":
        return _upload_part(request, world, upload_id, params, body)
    if request.method == "DELETE":
        for part in _parts(world, upload_id):
            world.table("s3.parts").delete(f"{upload_id}/{part['part_number']:05d}")
        world.table("s3.uploads").delete(upload_id)
        return Response(b"", 204)
    if request.method == "POST":
        return _complete(world, upload, upload_id, body)
    return _list_parts(world, upload, upload_id)


def _parts(world: World, upload_id: str) -> list[Record]:
    table = world.table("s3.parts")
    return sorted(
        (r for k, r in table.items() if k.startswith(upload_id + "/")),
        key=lambda r: int(r["part_number"]),
    )


def _create(request: Request, world: World, bucket: str, key: str) -> Response:
    from mockapis.s3.objects import content_type, metadata

    upload_id = base64.urlsafe_b64encode(bytes.fromhex(world.uuid4().replace("-", ""))).decode()
    upload_id = upload_id.rstrip("=")
    world.table("s3.uploads").put(
        upload_id,
        {
            "bucket": bucket,
            "key": key,
            "initiated": world.clock.now_ns // 10**9,
            "content_type": content_type(request),
            "metadata": metadata(request),
        },
    )
    return xml_response(
        f"<InitiateMultipartUploadResult {_NS}>{text('Bucket', bucket)}{text('Key', key)}"
        f"{text('UploadId', upload_id)}</InitiateMultipartUploadResult>"
    )


def _upload_part(
    request: Request, world: World, upload_id: str, params: dict[str, str], body: bytes
) -> Response:
    from mockapis.s3.objects import check_md5

    number = params.get("partNumber", "")
    if not number.isdigit() or not 1 <= int(number) <= MAX_PARTS:
        raise S3Error(
            400,
            "InvalidArgument",
            "Part number must be an integer between 1 and 10000, inclusive",
            ArgumentName="partNumber",
            ArgumentValue=number,
        )
    check_md5(request, body)
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    world.table("s3.parts").put(
        f"{upload_id}/{int(number):05d}",
        {
            "upload_id": upload_id,
            "part_number": int(number),
            "etag": etag,
            "size": len(body),
            "body": base64.b64encode(body).decode("ascii"),
            "last_modified": world.clock.now_ns // 10**9,
        },
    )
    return Response(b"", 200, headers={"ETag": etag})


def _requested(body: bytes) -> list[tuple[int, str]]:
    """``(part number, etag)`` from a ``CompleteMultipartUpload`` document (400 MalformedXML)."""
    malformed = S3Error(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise malformed from None
    found = []
    for part in root:
        if part.tag.rsplit("}", 1)[-1] != "Part":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: (child.text or "").strip() for child in part}
        number, etag = fields.get("PartNumber", ""), fields.get("ETag", "")
        if not number.isdigit() or not etag:
            raise malformed
        found.append((int(number), etag if etag.startswith('"') else f'"{etag}"'))
    if root.tag.rsplit("}", 1)[-1] != "CompleteMultipartUpload" or not found:
        raise malformed
    return found


def _complete(world: World, upload: Record, upload_id: str, body: bytes) -> Response:
    requested = _requested(body)
    numbers = [n for n, _ in requested]
    if numbers != sorted(set(numbers)):
        raise S3Error(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts must be ordered by part number.",
        )
    stored = {int(p["part_number"]): p for p in _parts(world, upload_id)}
    minimum = min_part_size(world)
    chunks, digests = [], b""
    for i, (number, etag) in enumerate(requested):
        part = stored.get(number)
        if part is None or part["etag"] != etag:
            raise S3Error(
                400,
                "InvalidPart",
                "One or more of the specified parts could not be found. The part may not have "
                "been uploaded, or the specified entity tag may not match the part's entity tag.",
                UploadId=upload_id,
                PartNumber=str(number),
                ETag=etag,
            )
        if i < len(requested) - 1 and part["size"] < minimum:
            raise S3Error(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
                ProposedSize=str(part["size"]),
                MinSizeAllowed=str(minimum),
                PartNumber=str(number),
            )
        data = base64.b64decode(part["body"])
        chunks.append(data)
        digests += hashlib.md5(data).digest()
    bucket, key = upload["bucket"], upload["key"]
    row = object_row(world, bucket, key, b"".join(chunks), upload["content_type"])
    row["etag"] = f'"{hashlib.md5(digests).hexdigest()}-{len(requested)}"'
    row["metadata"] = upload["metadata"]
    world.table("s3.objects").put(f"{bucket}/{key}", row)
    for number in stored:
        world.table("s3.parts").delete(f"{upload_id}/{number:05d}")
    world.table("s3.uploads").delete(upload_id)
    return xml_response(
        f"<CompleteMultipartUploadResult {_NS}>{text('Location', f'/{bucket}/{key}')}"
        f"{text('Bucket', bucket)}{text('Key', key)}{text('ETag', row['etag'])}"
        "</CompleteMultipartUploadResult>"
    )


def _list_parts(world: World, upload: Record, upload_id: str) -> Response:
    items = "".join(
        f"<Part>{text('PartNumber', p['part_number'])}"
        f"{text('LastModified', iso_time(p['last_modified']))}"
        f"{text('ETag', p['etag'])}{text('Size', p['size'])}</Part>"
        for p in _parts(world, upload_id)
    )
    return xml_response(
        f"<ListPartsResult {_NS}>{text('Bucket', upload['bucket'])}{text('Key', upload['key'])}"
        f"{text('UploadId', upload_id)}{text('IsTruncated', 'false')}{items}</ListPartsResult>"
    )
