"""AWS Signature Version 4 (hashlib/hmac only): canonical request, string to sign, signature."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote

__all__ = [
    "ALGORITHM",
    "UNSIGNED_PAYLOAD",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "signature",
    "signing_key",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def _encode(text: str, safe: str = "-_.~") -> str:
    return quote(text, safe=safe)


def canonical_uri(raw_path: str) -> str:
    """S3's canonical URI: each raw segment decoded once and re-encoded (no normalising).

    An encoded slash (``%2F``) stays encoded, as the client that signed it sent it."""
    return "/".join(_encode(unquote(segment)) for segment in (raw_path or "/").split("/"))


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Decoded ``(name, value)`` pairs, encoded and sorted as SigV4 wants."""
    encoded = sorted((_encode(k), _encode(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def canonical_request(
    method: str,
    uri: str,
    query: str,
    headers: Mapping[str, str],
    signed_headers: list[str],
    payload_hash: str,
) -> str:
    """The canonical request (``headers`` by lower-case name; values trimmed and collapsed)."""
    lines = [f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed_headers]
    return "\n".join([method, uri, query, "".join(lines), ";".join(signed_headers), payload_hash])


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """``AWS4-HMAC-SHA256\\n<date>\\n<scope>\\n<sha256(canonical request)>``."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """``kSigning``: HMAC chain over date, region, service and ``aws4_request``."""
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def signature(key: bytes, to_sign: str) -> str:
    """The hex HMAC-SHA256 of the string to sign."""
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
