"""ListObjectsV2 and ListObjects (version 1): prefix, delimiter (CommonPrefixes), max-keys,
continuation tokens and start-after (version 2), markers (version 1)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from starlette.responses import Response

from mockapis.s3.common import iso_time, text
from mockapis.s3.errors import NAMESPACE, S3Error, xml_response
from mockapis.world import World

__all__ = ["MAX_KEYS", "OWNER", "list_objects", "list_objects_v2"]

MAX_KEYS = 1000

OWNER = "<Owner><ID>apibench</ID><DisplayName>apibench</DisplayName></Owner>"
"""The account's owner, as listings show it."""


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


@dataclass
class _Page:
    """One page of a listing: keys, rolled-up prefixes, and where the next page starts."""

    contents: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    last: tuple[str, str] = ("", "")
    """``("k", key)`` or ``("p", prefix)``: the page's last entry."""


def _walk(
    world: World, bucket: str, prefix: str, delimiter: str, after: str, skip: str, max_keys: int
) -> _Page:
    """The keys of ``bucket`` after ``after`` (skipping keys under ``skip``, a common prefix
    already listed) that start with ``prefix``, rolled up at ``delimiter``, at most
    ``max_keys`` entries."""
    cut = len(bucket) + 1
    # One bucket's keys: the objects table is partitioned by bucket.
    keys = sorted(
        k[cut:]
        for k in world.table("s3.objects").with_prefix(bucket + "/")
        if k[cut:].startswith(prefix) and k[cut:] > after
    )
    page = _Page()
    for key in keys:
        if skip and key.startswith(skip):
            continue
        common = ""
        if delimiter:
            at = key.find(delimiter, len(prefix))
            if at >= 0:
                common = key[: at + len(delimiter)]
        if common and page.prefixes and page.prefixes[-1] == common:
            continue
        if len(page.contents) + len(page.prefixes) >= max_keys:
            page.truncated = True
            break
        if common:
            page.prefixes.append(common)
            skip = common
            page.last = ("p", common)
        else:
            page.contents.append(key)
            page.last = ("k", key)
    return page


def _common(params: dict[str, str]) -> tuple[str, str, bool, int]:
    """``prefix``, ``delimiter``, url encoding, and ``max-keys`` (400 InvalidArgument)."""
    encode = params.get("encoding-type")
    if encode not in (None, "url"):
        raise S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request")
    raw_max = params.get("max-keys", str(MAX_KEYS))
    if not raw_max.isdigit():
        raise S3Error(
            400, "InvalidArgument", "Provided max-keys not an integer or within integer range"
        )
    return (
        params.get("prefix", ""),
        params.get("delimiter", ""),
        bool(encode),
        min(int(raw_max), MAX_KEYS),
    )


def _entries(
    world: World, bucket: str, page: _Page, out: Callable[[str], str], *, owner: bool
) -> list[str]:
    """The page's ``<Contents>`` and ``<CommonPrefixes>`` elements."""
    table = world.table("s3.objects")
    parts = []
    for key in page.contents:
        row = table[f"{bucket}/{key}"]
        modified = iso_time(row["last_modified"])
        parts.append(
            f"<Contents>{text('Key', out(key))}{text('LastModified', modified)}"
            f"{text('ETag', row['etag'])}{text('Size', row['size'])}"
            + (OWNER if owner else "")
            + f"{text('StorageClass', 'STANDARD')}</Contents>"
        )
    parts += [f"<CommonPrefixes>{text('Prefix', out(p))}</CommonPrefixes>" for p in page.prefixes]
    return parts


def _result(parts: list[str]) -> Response:
    return xml_response(
        f'<ListBucketResult xmlns="{NAMESPACE}">' + "".join(parts) + "</ListBucketResult>"
    )


def list_objects_v2(world: World, bucket: str, pairs: list[tuple[str, str]]) -> Response:
    """The ListObjectsV2 ``ListBucketResult`` page for the query ``pairs``."""
    params = dict(pairs)
    prefix, delimiter, encode, max_keys = _common(params)
    start_after = params.get("start-after", "")
    token = params.get("continuation-token")
    after, skip_prefix = start_after, ""
    if token is not None:
        kind, after = _untoken(token)
        skip_prefix = after if kind == "p" else ""
    page = _walk(world, bucket, prefix, delimiter, after, skip_prefix, max_keys)

    def out(value: str) -> str:
        return quote(value, safe="/") if encode else value

    parts = [text("Name", bucket), text("Prefix", out(prefix))]
    if delimiter:
        parts.append(text("Delimiter", out(delimiter)))
    parts += [text("MaxKeys", max_keys), text("KeyCount", len(page.contents) + len(page.prefixes))]
    parts.append(text("IsTruncated", "true" if page.truncated else "false"))
    if encode:
        parts.append(text("EncodingType", "url"))
    if token is not None:
        parts.append(text("ContinuationToken", token))
    if start_after:
        parts.append(text("StartAfter", out(start_after)))
    if page.truncated:
        parts.append(text("NextContinuationToken", _token(*page.last)))
    return _result(parts + _entries(world, bucket, page, out, owner=False))


def list_objects(world: World, bucket: str, pairs: list[tuple[str, str]]) -> Response:
    """The ListObjects (version 1) ``ListBucketResult`` page for the query ``pairs``: paged
    by ``marker``; ``NextMarker`` only with a delimiter (else the last key is the next
    marker), and each object's ``Owner``, as S3 answers version 1."""
    params = dict(pairs)
    prefix, delimiter, encode, max_keys = _common(params)
    marker = params.get("marker", "")
    # a marker that is a common prefix (a NextMarker) resumes after everything under it
    skip = marker if delimiter and marker.endswith(delimiter) else ""
    page = _walk(world, bucket, prefix, delimiter, marker, skip, max_keys)

    def out(value: str) -> str:
        return quote(value, safe="/") if encode else value

    parts = [text("Name", bucket), text("Prefix", out(prefix)), text("Marker", out(marker))]
    if page.truncated and delimiter:
        parts.append(text("NextMarker", out(page.last[1])))
    parts.append(text("MaxKeys", max_keys))
    if delimiter:
        parts.append(text("Delimiter", out(delimiter)))
    parts.append(text("IsTruncated", "true" if page.truncated else "false"))
    if encode:
        parts.append(text("EncodingType", "url"))
    return _result(parts + _entries(world, bucket, page, out, owner=True))
