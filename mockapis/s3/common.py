"""Shared helpers of the S3 handlers: auth + body, bucket lookup, XML and time formatting."""

from __future__ import annotations

import time
from collections.abc import Iterable
from xml.sax.saxutils import escape

from starlette.requests import Request

from mockapis.s3 import chunked
from mockapis.s3.access import authenticate
from mockapis.s3.errors import S3Error
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "MAX_PUT_SIZE",
    "NOT_EMULATED",
    "bucket_row",
    "http_time",
    "iso_time",
    "refuse_not_emulated",
    "signed_body",
    "text",
]

MAX_PUT_SIZE = 5 * 1024**3
"""S3's largest single PUT (5 GiB)."""

NOT_EMULATED = frozenset(
    {
        "abac", "accelerate", "acl", "analytics", "annotation", "attributes", "cors",
        "encryption", "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "logging",
        "metadataAnnotationTable", "metadataConfiguration", "metadataInventoryTable",
        "metadataJournalTable", "metadataTable", "metrics", "notification", "object-lock",
        "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "renameObject",
        "replication", "requestPayment", "restore", "retention", "select", "select-type",
        "session", "tagging", "torrent", "versioning", "versions", "website",
    }
)  # fmt: skip
"""Query sub-resources selecting S3 operations this service does not emulate (bucket and
object configuration, versions, tagging, ACLs...): each answers 501 NotImplemented, where
serving the plain operation of the path instead would, say, overwrite an object with a
PutObjectTagging document."""


async def signed_body(request: Request) -> bytes:
    """The payload of an authenticated request (411 for an unsized PUT; 403 unsigned): an
    ``aws-chunked`` body decoded, ``x-amz-checksum-*`` verified."""
    if request.method in ("PUT", "POST") and "content-length" not in request.headers:
        raise S3Error(
            411, "MissingContentLength", "You must provide the Content-Length HTTP header."
        )
    length = request.headers.get("content-length", "0")
    if not length.isdigit():
        raise S3Error(400, "InvalidArgument", "Content-Length must be a non-negative integer.")
    if int(length) > MAX_PUT_SIZE:
        raise S3Error(
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size (5 GiB).",
            MaxSizeAllowed=str(MAX_PUT_SIZE),
        )
    body = await request.body()
    authenticate(request, body)
    headers = {k.lower(): v for k, v in request.headers.items()}
    if "aws-chunked" in headers.get("content-encoding", "") or (
        headers.get("x-amz-content-sha256") == chunked.STREAMING_UNSIGNED_TRAILER
    ):
        return chunked.decode(body, headers)
    chunked.check_checksums(body, headers)
    return body


def refuse_not_emulated(params: Iterable[str], also: Iterable[str] = ()) -> None:
    """501 NotImplemented for a query naming a sub-resource of :data:`NOT_EMULATED` (or of
    ``also``, those of the path's other operations)."""
    found = sorted(NOT_EMULATED.union(also).intersection(params))
    if found:
        raise S3Error(
            501,
            "NotImplemented",
            f"The ?{found[0]} sub-resource is not supported by this service (it emulates "
            "buckets, objects, listings and multipart uploads).",
        )


def bucket_row(world: World, name: str) -> Record:
    """The bucket called ``name`` (404 NoSuchBucket)."""
    row = world.table("s3.buckets").get(name)
    if row is None:
        raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName=name)
    return row


def iso_time(seconds: int) -> str:
    """``2025-01-02T03:04:05.000Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def http_time(seconds: int) -> str:
    """An RFC 7231 date (``Last-Modified``)."""
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(seconds))


def text(tag: str, value: object) -> str:
    """``<tag>escaped value</tag>``."""
    return f"<{tag}>{escape(str(value))}</{tag}>"
