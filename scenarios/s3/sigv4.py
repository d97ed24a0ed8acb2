"""A small AWS SigV4 signer for the S3 solutions (hashlib/hmac only, header form)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, unquote, urlsplit

__all__ = ["sign"]


def _enc(text: str) -> str:
    return quote(text, safe="-_.~")


def sign(
    method: str,
    url: str,
    body: bytes,
    *,
    access_key: str,
    secret: str,
    region: str,
    amz_date: str,
) -> dict[str, str]:
    """The headers to send (``host`` left to the client): x-amz-date, payload hash, Authorization.

    ``url`` must be already encoded the way it goes on the wire."""
    parts = urlsplit(url)
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": parts.netloc, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    path = "/".join(_enc(unquote(seg)) for seg in (parts.path or "/").split("/"))
    pairs = []
    for item in parts.query.split("&") if parts.query else []:
        name, _, value = item.partition("=")
        pairs.append((_enc(unquote(name)), _enc(unquote(value))))
    query = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    names = sorted(headers)
    canonical = "\n".join(
        [
            method,
            path,
            query,
            "".join(f"{n}:{headers[n]}\n" for n in names),
            ";".join(names),
            payload,
        ]
    )
    date = amz_date[:8]
    scope = f"{date}/{region}/s3/aws4_request"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{digest}"
    key = ("AWS4" + secret).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    del headers["host"]
    return headers
