"""Parsing of the tus 1.0 request headers: Tus-Resumable, lengths, offsets, metadata and
checksums. Every refusal is a clear 4xx in the service's error format."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.tus.errors import TUS_VERSION, tus_error

__all__ = [
    "CHECKSUM_ALGORITHMS",
    "EXTENSIONS",
    "MAX_CHUNK",
    "MAX_SIZE",
    "OFFSET_STREAM",
    "check_checksum",
    "check_version",
    "content_type",
    "header_count",
    "parse_metadata",
    "upload_length",
    "upload_offset",
]

MAX_SIZE = 1_048_576
"""``Tus-Max-Size``: the largest upload, in bytes."""
MAX_CHUNK = 4096
"""The most bytes one request body may carry (``Tus-Max-Chunk-Size``, not part of tus 1.0)."""
EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration"
CHECKSUM_ALGORITHMS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256}
OFFSET_STREAM = "application/offset+octet-stream"

_DIGITS = re.compile(r"[0-9]{1,19}")
_KEY = re.compile(r"[^\s,]+")


def check_version(request: Request) -> None:
    """412 with ``Tus-Version`` unless ``Tus-Resumable: 1.0.0``."""
    given = header_value(request, b"tus-resumable")
    if given is None or given.strip() != TUS_VERSION:
        what = "is missing" if given is None else f"is {given.strip()!r}"
        raise tus_error(
            412,
            f"Tus-Resumable {what}; this server speaks tus {TUS_VERSION} only.",
            "precondition_failed",
            {"Tus-Version": TUS_VERSION},
        )


def header_count(request: Request, name: str) -> int | None:
    """The integer header ``name`` (None if absent); 400 unless digits."""
    raw = header_value(request, name.lower().encode())
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw.strip()):
        raise tus_error(
            400, f"{name} must be a non-negative integer; got {raw!r}.", "invalid_header"
        )
    return int(raw.strip())


def upload_length(request: Request) -> int | None:
    """The declared ``Upload-Length`` or None for ``Upload-Defer-Length: 1``; 400 for neither,
    both or a malformed value; 413 beyond ``Tus-Max-Size``."""
    length = header_count(request, "Upload-Length")
    defer = header_value(request, b"upload-defer-length")
    if defer is not None and defer.strip() != "1":
        raise tus_error(400, f"Upload-Defer-Length must be 1; got {defer!r}.", "invalid_header")
    if (length is None) == (defer is None):
        raise tus_error(
            400,
            "Give exactly one of Upload-Length (the size in bytes) or Upload-Defer-Length: 1.",
            "invalid_header",
        )
    if length is not None and length > MAX_SIZE:
        raise tus_error(
            413, f"Upload-Length {length} exceeds Tus-Max-Size {MAX_SIZE}.", "too_large"
        )
    return length


def upload_offset(request: Request) -> int:
    """The required ``Upload-Offset`` of a PATCH (400 if missing or malformed)."""
    offset = header_count(request, "Upload-Offset")
    if offset is None:
        raise tus_error(400, "Upload-Offset is required.", "invalid_header")
    return offset


def content_type(request: Request) -> str:
    """The media type of the body, parameters dropped, lower-case ("" if none)."""
    raw = header_value(request, b"content-type") or ""
    return raw.split(";", 1)[0].strip().lower()


def parse_metadata(request: Request) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs (the value optional).
    Values must be base64 of UTF-8 text; keys must be unique."""
    raw = header_value(request, b"upload-metadata")
    if raw is None or not raw.strip():
        return {}
    found: dict[str, str] = {}
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if len(parts) > 2 or not _KEY.fullmatch(key):
            raise tus_error(
                400,
                f"Upload-Metadata pair {pair.strip()!r} is not 'key base64value'.",
                "invalid_metadata",
            )
        if key in found:
            raise tus_error(400, f"Upload-Metadata repeats key {key!r}.", "invalid_metadata")
        try:
            value = base64.b64decode(parts[1], validate=True) if len(parts) == 2 else b""
            found[key] = value.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise tus_error(
                400,
                f"Upload-Metadata value of {key!r} is not base64 of UTF-8 text.",
                "invalid_metadata",
            ) from None
    return found


def check_checksum(request: Request, body: bytes) -> None:
    """Verify ``Upload-Checksum: <algorithm> <base64 digest>`` if given: 400 for an unsupported
    algorithm or a malformed header, 460 Checksum Mismatch when the digest differs."""
    raw = header_value(request, b"upload-checksum")
    if raw is None:
        return
    algorithm, _, encoded = raw.strip().partition(" ")
    digest_of = CHECKSUM_ALGORITHMS.get(algorithm.lower())
    if digest_of is None:
        supported = ",".join(CHECKSUM_ALGORITHMS)
        raise tus_error(
            400,
            f"Upload-Checksum algorithm {algorithm!r} is not supported; use one of {supported}.",
            "unsupported_checksum_algorithm",
        )
    try:
        expected = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise tus_error(400, "Upload-Checksum digest must be base64.", "invalid_header") from None
    if digest_of(body).digest() != expected:
        raise tus_error(
            460,
            f"Checksum Mismatch: the {algorithm.lower()} of the body differs from "
            "Upload-Checksum; the chunk was discarded.",
            "checksum_mismatch",
        )
