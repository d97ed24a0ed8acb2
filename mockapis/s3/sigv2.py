"""AWS Signature Version 2 for presigned URLs (``AWSAccessKeyId``, ``Expires``, ``Signature``).

S3 in us-east-1 still takes SigV2 in a query string, and boto3 with its default config presigns
with it there (``generate_presigned_url``); requests themselves are signed with SigV4.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping

__all__ = ["QUERY_PARAMETERS", "SUBRESOURCES", "signature", "string_to_sign"]

QUERY_PARAMETERS = ("AWSAccessKeyId", "Expires", "Signature")

SUBRESOURCES = frozenset(
    {
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification",
        "partNumber", "policy", "requestPayment", "restore", "tagging", "torrent", "uploadId",
        "uploads", "versionId", "versioning", "versions", "website",
        "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires",
    }
)  # fmt: skip
"""The query parameters that are part of the signed resource (the rest are not signed)."""


def string_to_sign(
    method: str,
    path: str,
    pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    expires: str,
) -> str:
    """``METHOD\\nContent-MD5\\nContent-Type\\nExpires\\n<x-amz-* lines><resource>``.

    ``path`` is ``/<bucket>/<key>`` as sent (percent-encoded); the resource adds the signed
    subresources of the query ``pairs``. ``headers`` by lower-case name; a header the signer
    moved into the query string (boto3 does so with ``Content-Type`` and ``x-amz-*``) counts
    as sent.
    """
    pairs = list(pairs)
    values = {**{k.lower(): v for k, v in pairs if _header_like(k)}, **headers}
    amz = sorted((k, v.strip()) for k, v in values.items() if k.startswith("x-amz-"))
    resource = path
    signed = sorted((k, v) for k, v in pairs if k in SUBRESOURCES)
    if signed:
        resource += "?" + "&".join(f"{k}={v}" if v else k for k, v in signed)
    lines = [method, values.get("content-md5", ""), values.get("content-type", ""), expires]
    return "\n".join(lines) + "\n" + "".join(f"{k}:{v}\n" for k, v in amz) + resource


def signature(secret: str, to_sign: str) -> str:
    """The base64 HMAC-SHA1 of the string to sign."""
    digest = hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _header_like(name: str) -> bool:
    lower = name.lower()
    return lower.startswith("x-amz-") or lower in ("content-md5", "content-type")
