"""ListObjectsV2: prefix, delimiter (CommonPrefixes), max-keys, continuation, start-after."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import quote

from starlette.responses import Response

from mockapis.s3.common import iso_time, text
from mockapis.s3.errors import S3Error, xml_response
from mockapis.world import World

__all__ = ["MAX_KEYS", "list_objects_v2"]

MAX_KEYS = 1000


def _token(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode("ascii").rstrip("=")


def _untoken(token: str) -> tuple[str, str]:
    try:
        kind, sep, value = (
            base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
            .decode()
            .partition(":")
        )
    except (binascii.Error, UnicodeError, ValueError):
        kind, sep, value = "", "", ""
    if not sep or kind not in ("k", "p"):
        raise S3Error(400, "InvalidArgument", "The continuation token provided is incorrect")
    return kind, value


def list_objects_v2(world: World, bucket: str, pairs: list[tuple[str, str]]) -> Response:
    """The ``ListBucketResult`` page for the query ``pairs``."""
    params = dict(pairs)
    prefix = params.get("prefix", "")
    delimiter = params.get("delimiter", "")
    encode = params.get("encoding-type")
    if encode not in (None, "url"):
        raise S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request")
    raw_max = params.get("max-keys", str(MAX_KEYS))
    if not raw_max.isdigit():
        raise S3Error(
            400, "InvalidArgument", "Provided max-keys not an integer or within integer range"
        )
    max_keys = min(int(raw_max), MAX_KEYS)
    start_after = params.get("start-after", "")
    token = params.get("continuation-token")
    after, skip_prefix = start_after, ""
    if token is not None:
        kind, after = _untoken(token)
        skip_prefix = after if kind == "p" else ""
    cut = len(bucket) + 1
    # One bucket's keys: the objects table is partitioned by bucket.
    keys = sorted(
        k[cut:]
        for k in world.table("s3.objects").with_prefix(bucket + "/")
        if k[cut:].startswith(prefix) and k[cut:] > after
    )
    contents: list[str] = []
    prefixes: list[str] = []
    last = ("", "")
    truncated = False
    for key in keys:
        if skip_prefix and key.startswith(skip_prefix):
            continue
        common = ""
        if delimiter:
            at = key.find(delimiter, len(prefix))
            if at >= 0:
                common = key[: at + len(delimiter)]
        if common and prefixes and prefixes[-1] == common:
            continue
        if len(contents) + len(prefixes) >= max_keys:
            truncated = True
            break
        if common:
            prefixes.append(common)
            skip_prefix = common
            last = ("p", common)
        else:
            contents.append(key)
            last = ("k", key)

    def out(value: str) -> str:
        return quote(value, safe="/") if encode else value

    table = world.table("s3.objects")
    parts = [text("Name", bucket), text("Prefix", out(prefix))]
    if delimiter:
        parts.append(text("Delimiter", out(delimiter)))
    parts += [text("MaxKeys", max_keys), text("KeyCount", len(contents) + len(prefixes))]
    parts.append(text("IsTruncated", "true" if truncated else "false"))
    if encode:
        parts.append(text("EncodingType", "url"))
    if token is not None:
        parts.append(text("ContinuationToken", token))
    if start_after:
        parts.append(text("StartAfter", out(start_after)))
    if truncated:
        parts.append(text("NextContinuationToken", _token(*last)))
    for key in contents:
        row = table[f"{bucket}/{key}"]
        modified = iso_time(row["last_modified"])
        parts.append(
            f"<Contents>{text('Key', out(key))}{text('LastModified', modified)}"
            f"{text('ETag', row['etag'])}{text('Size', row['size'])}"
            f"{text('StorageClass', 'STANDARD')}</Contents>"
        )
    parts += [f"<CommonPrefixes>{text('Prefix', out(p))}</CommonPrefixes>" for p in prefixes]
    return xml_response(
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        + "".join(parts)
        + "</ListBucketResult>"
    )
