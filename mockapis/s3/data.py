"""Seeding: the agent's signing key, and a few buckets of small text objects.

The key and the buckets are written eagerly; the objects are a lazy source partitioned by
bucket (:class:`mockapis.tables.Partitions`): a bucket's objects are built when something
first reads one of them (a listing, a lookup), each row rendered (its body, MD5 and base64)
when read.
"""

from __future__ import annotations

import base64
import hashlib
import string
from collections.abc import Mapping

from mockapis import seeding
from mockapis.s3.access import KEYS
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record
from mockapis.world import World

__all__ = [
    "DEFAULT_SIZES",
    "MIN_PART_SIZE",
    "OBJECTS",
    "REGION",
    "SETTINGS",
    "min_part_size",
    "object_row",
    "seed",
]

REGION = "us-east-1"
MIN_PART_SIZE = 5 * 1024 * 1024
"""S3's minimum size of every multipart part but the last (the ``min_part_size`` size)."""
SETTINGS = "s3._settings"
OBJECTS = "s3.objects"
DEFAULT_SIZES: Mapping[str, int] = {"buckets": 2, "objects": 6, "min_part_size": MIN_PART_SIZE}
"""``buckets`` and ``objects`` (per bucket) seeded; ``min_part_size`` in bytes (a setting)."""

_WORDS = ("reports", "exports", "archive", "media", "logs", "backups", "invoices", "assets")


def object_row(world: World, bucket: str, key: str, body: bytes, content_type: str) -> Record:
    """A stored object (body as base64 text, ETag the quoted MD5 hex)."""
    return _stored(bucket, key, body, content_type, world.clock.now_ns // 1_000_000_000)


def _stored(bucket: str, key: str, body: bytes, content_type: str, modified: int) -> Record:
    return {
        "bucket": bucket,
        "key": key,
        "body": base64.b64encode(body).decode("ascii"),
        "size": len(body),
        "etag": '"' + hashlib.md5(body).hexdigest() + '"',
        "content_type": content_type,
        "last_modified": modified,
    }


def min_part_size(world: World) -> int:
    """The episode's minimum part size."""
    row = world.table(SETTINGS).get("min_part_size")
    return int(row["value"]) if row else MIN_PART_SIZE


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` and return the agent's ``signed`` credentials."""
    rng = seeding.stream(world.seed, "s3", "account")
    access_key = "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
    secret = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=40))
    world.table(KEYS).put(access_key, {"secret_access_key": secret, "region": REGION})
    world.table(SETTINGS).put("min_part_size", {"value": sizes.get("min_part_size", MIN_PART_SIZE)})
    now_s = world.clock.now_ns // 1_000_000_000
    buckets = world.table("s3.buckets")
    words: list[tuple[str, str]] = []
    for n, word in enumerate(rng.sample(_WORDS, min(sizes.get("buckets", 0), len(_WORDS)))):
        name = f"{word}-{rng.randrange(1000, 9999)}"
        created = now_s - rng.randrange(86400, 86400 * 400)
        buckets.put(name, {"name": name, "region": REGION, "created": created, "seq": n})
        words.append((name, word))
    world.lazy(OBJECTS, _objects, world.seed, now_s, sizes.get("objects", 0), tuple(words))
    return {
        "type": "signed",
        "access_key_id": access_key,
        "secret_access_key": secret,
        "region": REGION,
    }


def _objects(
    seed_value: int, now_s: int, n: int, buckets: tuple[tuple[str, str], ...]
) -> BuiltTables:
    names = tuple(name for name, _ in buckets)
    return {OBJECTS: Partitions(names, _bucket_objects, seed_value, now_s, n, dict(buckets))}


def _bucket_objects(
    seed_value: int, now_s: int, n: int, words: Mapping[str, str], bucket: str
) -> dict[str, LazyRow]:
    """One bucket's ``n`` text objects (``<year>/<word>-<i>.txt``), keyed ``bucket/key``."""
    word = words[bucket]
    d = seeding.RowDraws(n, 2, seed_value, "s3", "objects", bucket)
    years, numbers = d.pick(0, ("2024", "2025")), d.below(1, 10**6)
    return {
        f"{bucket}/{years[i]}/{word}-{i:03d}.txt": LazyRow(
            _object, bucket, f"{years[i]}/{word}-{i:03d}.txt", f"{word} {i} {numbers[i]}\n", now_s
        )
        for i in range(n)
    }


def _object(bucket: str, key: str, body: str, modified: int) -> Record:
    return _stored(bucket, key, body.encode(), "text/plain", modified)
