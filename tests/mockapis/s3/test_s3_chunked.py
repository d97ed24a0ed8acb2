"""aws-chunked bodies with trailing checksums (boto3's PutObject and UploadPart over HTTPS)."""

from __future__ import annotations

import base64
import hashlib
import zlib

import pytest

from mockapis.s3.chunked import check_checksums, decode
from mockapis.s3.errors import S3Error


def crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def encoded(chunks: list[bytes], trailers: str) -> bytes:
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks)
    return body + b"0\r\n" + trailers.encode() + b"\r\n"


def test_decoded_payload_and_verified_trailer() -> None:
    data = [b"hello ", b"chunked ", b"world"]
    whole = b"".join(data)
    body = encoded(data, f"x-amz-checksum-crc32:{crc32(whole)}\r\n")
    assert decode(body, {"x-amz-decoded-content-length": str(len(whole))}) == whole
    with pytest.raises(S3Error) as wrong:
        decode(encoded(data, f"x-amz-checksum-crc32:{crc32(b'other')}\r\n"), {})
    assert wrong.value.code == "BadDigest"
    with pytest.raises(S3Error) as short:
        decode(body, {"x-amz-decoded-content-length": str(len(whole) + 1)})
    assert short.value.code == "IncompleteBody"
    for broken in (b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\nabc\r\n0\r\n\r\n", b"3\r\nabc"):
        with pytest.raises(S3Error) as malformed:
            decode(broken, {})
        assert malformed.value.code == "InvalidRequest", broken


def test_checksum_headers() -> None:
    sha = base64.b64encode(hashlib.sha256(b"x").digest()).decode()
    check_checksums(b"x", {"x-amz-checksum-sha256": sha, "x-amz-checksum-crc32c": "unchecked"})
    with pytest.raises(S3Error) as wrong:
        check_checksums(b"y", {"x-amz-checksum-sha256": sha})
    assert wrong.value.code == "BadDigest"
