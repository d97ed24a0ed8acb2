"""Bodies sent ``aws-chunked`` with a trailing checksum, and the ``x-amz-checksum-*`` headers.

Over HTTPS, boto3 (1.36 and later, by default) sends PutObject and UploadPart bodies as
``Content-Encoding: aws-chunked`` with ``x-amz-content-sha256:
STREAMING-UNSIGNED-PAYLOAD-TRAILER``: ``<hex size>\\r\\n<bytes>\\r\\n`` chunks, a ``0`` chunk,
then trailer lines (``x-amz-checksum-crc32:<base64>``) and a blank line. The payload is not
signed (the literal is); the checksum guards it. A checksum (trailer or header) of an
algorithm Python computes (CRC32, SHA-1, SHA-256) is verified; CRC32C and CRC64NVME are taken
on trust. Signed chunks (``STREAMING-AWS4-HMAC-SHA256-PAYLOAD``) are not emulated.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable, Mapping

from mockapis.s3.errors import S3Error

__all__ = ["STREAMING_UNSIGNED_TRAILER", "check_checksums", "decode"]

STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "crc32": lambda data: zlib.crc32(data).to_bytes(4, "big"),
    "sha1": lambda data: hashlib.sha1(data).digest(),
    "sha256": lambda data: hashlib.sha256(data).digest(),
}


def _malformed(detail: str) -> S3Error:
    return S3Error(400, "InvalidRequest", f"The aws-chunked body is malformed: {detail}.")


def decode(body: bytes, headers: Mapping[str, str]) -> bytes:
    """The payload of an ``aws-chunked`` body (``headers`` by lower-case name), its length
    checked against ``x-amz-decoded-content-length`` and its trailing checksums verified."""
    data, at = bytearray(), 0
    while True:
        end = body.find(b"\r\n", at)
        if end < 0:
            raise _malformed("a chunk size line without CRLF")
        size_text = body[at:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise _malformed(f"chunk size {size_text[:20]!r} is not hexadecimal") from None
        at = end + 2
        if size == 0:
            break
        if body[at + size : at + size + 2] != b"\r\n":
            raise _malformed("a chunk shorter than its size")
        data += body[at : at + size]
        at += size + 2
    trailers = {}
    for line in body[at:].decode("latin-1").split("\r\n"):
        if line.strip():
            name, sep, value = line.partition(":")
            if not sep:
                raise _malformed(f"trailer line {line[:40]!r}")
            trailers[name.strip().lower()] = value.strip()
    declared = headers.get("x-amz-decoded-content-length")
    if declared is not None and declared != str(len(data)):
        raise S3Error(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by x-amz-decoded-content-length.",
        )
    check_checksums(bytes(data), trailers)
    return bytes(data)


def check_checksums(data: bytes, fields: Mapping[str, str]) -> None:
    """400 BadDigest when an ``x-amz-checksum-<algorithm>`` of ``fields`` (headers or
    trailers, by lower-case name) does not match ``data``."""
    for name, value in fields.items():
        algorithm = name.removeprefix("x-amz-checksum-")
        if algorithm == name or algorithm not in _DIGESTS:
            continue
        if base64.b64encode(_DIGESTS[algorithm](data)).decode("ascii") != value:
            raise S3Error(
                400,
                "BadDigest",
                f"The {algorithm.upper()} you specified did not match the calculated checksum.",
            )
