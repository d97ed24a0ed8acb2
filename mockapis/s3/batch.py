"""DeleteObjects (``POST /{bucket}?delete``): up to 1000 keys deleted in one request."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from starlette.responses import Response

from mockapis.s3.common import text
from mockapis.s3.errors import NAMESPACE, S3Error, xml_response
from mockapis.world import World

__all__ = ["MAX_DELETE_KEYS", "delete_objects"]

MAX_DELETE_KEYS = 1000


def _malformed() -> S3Error:
    return S3Error(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _requested(body: bytes) -> tuple[list[str], bool]:
    """The keys of a ``<Delete>`` document and its ``Quiet`` (400 MalformedXML)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise _malformed() from None
    if _local(root.tag) != "Delete":
        raise _malformed()
    keys, quiet = [], False
    for child in root:
        if _local(child.tag) == "Quiet":
            quiet = (child.text or "").strip() == "true"
        elif _local(child.tag) == "Object":
            found = [k.text or "" for k in child if _local(k.tag) == "Key"]
            if len(found) != 1 or not found[0]:
                raise _malformed()
            keys.append(found[0])
    if not keys or len(keys) > MAX_DELETE_KEYS:
        raise _malformed()
    return keys, quiet


def delete_objects(world: World, bucket: str, headers: Mapping[str, str], body: bytes) -> Response:
    """Delete the requested keys (an absent key counts as deleted, as in S3); the
    ``DeleteResult`` lists them unless ``Quiet``. S3 requires an integrity header here
    (``Content-MD5`` or an ``x-amz-checksum-*``, verified by the caller)."""
    if not any(h == "content-md5" or h.startswith("x-amz-checksum-") for h in headers):
        raise S3Error(
            400, "InvalidRequest", "Missing required header for this request: Content-MD5"
        )
    keys, quiet = _requested(body)
    table = world.table("s3.objects")
    for key in keys:
        if f"{bucket}/{key}" in table:
            table.delete(f"{bucket}/{key}")
    deleted = "" if quiet else "".join(f"<Deleted>{text('Key', k)}</Deleted>" for k in keys)
    return xml_response(f'<DeleteResult xmlns="{NAMESPACE}">{deleted}</DeleteResult>')
