"""Shared helpers of the S3 handlers: auth + body, bucket lookup, XML and time formatting."""

from __future__ import annotations

import time
from xml.sax.saxutils import escape

from starlette.requests import Request

from mockapis.s3.access import authenticate
from mockapis.s3.errors import S3Error
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["MAX_PUT_SIZE", "bucket_row", "http_time", "iso_time", "signed_body", "text"]

MAX_PUT_SIZE = 5 * 1024**3
"""S3's largest single PUT (5 GiB)."""


async def signed_body(request: Request) -> bytes:
    """The body of an authenticated request (411 for an unsized PUT; 403 unsigned)."""
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
    return body


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
