"""Who is calling: SigV4 verified from the Authorization header or a presigned URL's query
(SigV2 too in a presigned URL's query, as S3 in us-east-1 takes it)."""

from __future__ import annotations

import calendar
import hashlib
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request

from mockapis.s3 import chunked, sigv2, sigv4
from mockapis.s3.errors import S3Error
from mockapis.world import World

__all__ = ["KEYS", "MAX_SKEW_SECONDS", "authenticate", "query_pairs"]

KEYS = "s3._keys"
MAX_SKEW_SECONDS = 15 * 60
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$"
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """The query string's ``(name, value)`` pairs, percent-decoded (``+`` stays literal)."""
    raw = request.scope.get("query_string", b"").decode("latin-1")
    pairs = []
    for item in raw.split("&"):
        if item:
            name, _, value = item.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def _parse_date(text: str) -> int:
    try:
        return calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise S3Error(
            403, "AccessDenied", f"X-Amz-Date must be YYYYMMDDTHHMMSSZ: {text!r}"
        ) from None


def _key(world: World, access_key: str) -> Mapping[str, Any]:
    """The access key's row (its secret and region); 403 InvalidAccessKeyId if unknown."""
    row: Mapping[str, Any] | None = world.table(KEYS).get(access_key)
    if row is None:
        raise S3Error(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            AWSAccessKeyId=access_key,
        )
    return row


def _raw_path(request: Request) -> str:
    """The path as the client sent it (and signed it), percent-encoding kept."""
    return request.scope.get("raw_path", b"").decode("latin-1") or str(request.scope["path"])


def _credential(world: World, credential: str) -> tuple[str, str, str]:
    """``(access key, secret, scope)`` for ``AK/date/region/s3/aws4_request``."""
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or parts[3] != "s3":
        raise S3Error(
            400,
            "AuthorizationHeaderMalformed",
            "The credential must be <access key>/<YYYYMMDD>/<region>/s3/aws4_request.",
        )
    row = _key(world, parts[0])
    if parts[2] != row["region"]:
        raise S3Error(
            400,
            "AuthorizationHeaderMalformed",
            f"The authorization header is malformed; the region '{parts[2]}' is wrong; "
            f"expecting '{row['region']}'",
            Region=row["region"],
        )
    return parts[0], str(row["secret_access_key"]), "/".join(parts[1:])


def _check_time(world: World, signed_at: int, amz_date: str) -> None:
    now = world.clock.now_ns // 1_000_000_000
    if abs(now - signed_at) > MAX_SKEW_SECONDS:
        server = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        raise S3Error(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            RequestTime=amz_date,
            ServerTime=server,
            MaxAllowedSkewMilliseconds=str(MAX_SKEW_SECONDS * 1000),
        )


def authenticate(request: Request, body: bytes) -> str:
    """Verify the request's signature; the caller's access key id (403/400 otherwise)."""
    world: World = request.scope["world"]
    pairs = query_pairs(request)
    if any(name == "X-Amz-Algorithm" for name, _ in pairs):
        return _presigned(request, world, pairs)
    if any(name == "AWSAccessKeyId" for name, _ in pairs):
        return _presigned_v2(request, world, pairs)
    header = request.headers.get("authorization")
    if (header or "").startswith("AWS "):
        raise S3Error(
            400,
            "InvalidRequest",
            "The authorization mechanism you have provided is not supported. "
            "Please use AWS4-HMAC-SHA256.",
        )
    if header is None:
        raise S3Error(
            403, "AccessDenied", "Anonymous access is forbidden: sign the request (SigV4)."
        )
    match = _AUTH.match(header.strip())
    if match is None:
        raise S3Error(
            400,
            "AuthorizationHeaderMalformed",
            "Expected: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=<64 hex>.",
        )
    credential, signed, provided = match.groups()
    access_key, secret, scope = _credential(world, credential)
    amz_date = request.headers.get("x-amz-date")
    if amz_date is None:
        raise S3Error(403, "AccessDenied", "AWS authentication requires a valid x-amz-date header.")
    signed_at = _parse_date(amz_date)
    if scope.split("/")[0] != amz_date[:8]:
        raise S3Error(
            400, "AuthorizationHeaderMalformed", "The credential date does not match x-amz-date."
        )
    _check_time(world, signed_at, amz_date)
    payload = request.headers.get("x-amz-content-sha256")
    if payload is None:
        raise S3Error(
            400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"
        )
    # the streaming literal is signed as is; its body's trailing checksum guards the payload
    if payload not in (sigv4.UNSIGNED_PAYLOAD, chunked.STREAMING_UNSIGNED_TRAILER):
        if not _HEX64.match(payload):
            raise S3Error(
                400,
                "InvalidArgument",
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                f"{chunked.STREAMING_UNSIGNED_TRAILER} or a SHA-256 hex.",
            )
        if hashlib.sha256(body).hexdigest() != payload:
            raise S3Error(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
    names = signed.split(";")
    if "host" not in names or names != sorted(names):
        raise S3Error(
            400, "AuthorizationHeaderMalformed", "SignedHeaders must be sorted and include host."
        )
    headers = {k.lower(): v for k, v in request.headers.items()}
    _verify(request, secret, access_key, scope, amz_date, pairs, headers, names, payload, provided)
    return access_key


def _presigned(request: Request, world: World, pairs: list[tuple[str, str]]) -> str:
    params = dict(pairs)
    needed = [
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ]
    missing = [n for n in needed if n not in params]
    if params.get("X-Amz-Algorithm") != sigv4.ALGORITHM or missing:
        raise S3Error(
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Algorithm must be AWS4-HMAC-SHA256 with "
            + ", ".join(needed)
            + (f"; missing {', '.join(missing)}" if missing else ""),
        )
    access_key, secret, scope = _credential(world, params["X-Amz-Credential"])
    amz_date = params["X-Amz-Date"]
    signed_at = _parse_date(amz_date)
    expires = params["X-Amz-Expires"]
    if not expires.isdigit() or not 1 <= int(expires) <= MAX_PRESIGN_SECONDS:
        raise S3Error(
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be a number of seconds from 1 to 604800.",
        )
    now = world.clock.now_ns // 1_000_000_000
    if now > signed_at + int(expires):
        raise S3Error(403, "AccessDenied", "Request has expired", Expires=expires)
    if signed_at - now > MAX_SKEW_SECONDS:
        raise S3Error(403, "AccessDenied", "Request is not valid yet")
    names = params["X-Amz-SignedHeaders"].split(";")
    headers = {k.lower(): v for k, v in request.headers.items()}
    rest = [(k, v) for k, v in pairs if k != "X-Amz-Signature"]
    _verify(
        request, secret, access_key, scope, amz_date, rest, headers, names,
        sigv4.UNSIGNED_PAYLOAD, params["X-Amz-Signature"],
    )  # fmt: skip
    return access_key


def _presigned_v2(request: Request, world: World, pairs: list[tuple[str, str]]) -> str:
    """A SigV2 presigned URL (what boto3's defaults make in us-east-1)."""
    params = dict(pairs)
    missing = [n for n in sigv2.QUERY_PARAMETERS if n not in params]
    if missing:
        raise S3Error(
            403,
            "AccessDenied",
            "Query-string authentication requires the Signature, Expires and AWSAccessKeyId "
            f"parameters; missing {', '.join(missing)}",
        )
    access_key, expires = params["AWSAccessKeyId"], params["Expires"]
    row = _key(world, access_key)
    if not expires.isdigit():
        raise S3Error(403, "AccessDenied", "Expires must be a number of seconds since the epoch.")
    if world.clock.now_ns // 1_000_000_000 > int(expires):
        raise S3Error(403, "AccessDenied", "Request has expired", Expires=expires)
    # SigV2 signs /<bucket>/<key>, without the path of an endpoint URL (SigV4 signs it all).
    raw_path, root = _raw_path(request), str(request.scope.get("root_path", ""))
    resource = raw_path[len(root) :] if root and raw_path.startswith(root + "/") else raw_path
    headers = {k.lower(): v for k, v in request.headers.items()}
    to_sign = sigv2.string_to_sign(request.method, resource, pairs, headers, expires)
    if params["Signature"] != sigv2.signature(str(row["secret_access_key"]), to_sign):
        raise _mismatch(access_key, to_sign, params["Signature"])
    return access_key


def _verify(
    request: Request,
    secret: str,
    access_key: str,
    scope: str,
    amz_date: str,
    pairs: list[tuple[str, str]],
    headers: dict[str, str],
    names: list[str],
    payload: str,
    provided: str,
) -> None:
    canonical = sigv4.canonical_request(
        request.method,
        sigv4.canonical_uri(_raw_path(request)),
        sigv4.canonical_query(pairs),
        headers,
        names,
        payload,
    )
    to_sign = sigv4.string_to_sign(amz_date, scope, canonical)
    date, region, service = scope.split("/")[:3]
    expected = sigv4.signature(sigv4.signing_key(secret, date, region, service), to_sign)
    if provided != expected:
        raise _mismatch(access_key, to_sign, provided, CanonicalRequest=canonical)


def _mismatch(access_key: str, to_sign: str, provided: str, **fields: str) -> S3Error:
    """S3's 403 for a wrong signature, with the string to sign the server computed."""
    return S3Error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        AWSAccessKeyId=access_key,
        StringToSign=to_sign,
        SignatureProvided=provided,
        **fields,
    )
