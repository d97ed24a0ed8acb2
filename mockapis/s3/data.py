"""Seeding: the agent's signing key, and a few buckets of small text objects."""

from __future__ import annotations

import base64
import hashlib
import string
from collections.abc import Mapping

from mockapis.s3.access import KEYS
from mockapis.world import Record, World

__all__ = [
    "DEFAULT_SIZES",
    "MIN_PART_SIZE",
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
DEFAULT_SIZES: Mapping[str, int] = {"buckets": 2, "objects": 6, "min_part_size": MIN_PART_SIZE}
"""``buckets`` and ``objects`` (per bucket) seeded; ``min_part_size`` in bytes (a setting)."""

_WORDS = ("reports", "exports", "archive", "media", "logs", "backups", "invoices", "assets")


def object_row(world: World, bucket: str, key: str, body: bytes, content_type: str) -> Record:
    """A stored object (body as base64 text, ETag the quoted MD5 hex)."""
    return {
        "bucket": bucket,
        "key": key,
        "body": base64.b64encode(body).decode("ascii"),
        "size": len(body),
        "etag": '"' + hashlib.md5(body).hexdigest() + '"',
        "content_type": content_type,
        "last_modified": world.clock.now_ns // 1_000_000_000,
    }


def min_part_size(world: World) -> int:
    """The episode's minimum part size."""
    row = world.table(SETTINGS).get("min_part_size")
    return int(row["value"]) if row else MIN_PART_SIZE


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` and return the agent's ``signed`` credentials."""
    rng = world.rng
    access_key = "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
    secret = "".join(rng.choices(string.ascii_letters + string.digits + "+/", k=40))
    world.table(KEYS).put(access_key, {"secret_access_key": secret, "region": REGION})
    world.table(SETTINGS).put("min_part_size", {"value": sizes.get("min_part_size", MIN_PART_SIZE)})
    buckets = world.table("s3.buckets")
    objects = world.table("s3.objects")
    for n, word in enumerate(rng.sample(_WORDS, min(sizes.get("buckets", 0), len(_WORDS)))):
        name = f"{word}-{rng.randrange(1000, 9999)}"
        created = world.clock.now_ns // 1_000_000_000 - rng.randrange(86400, 86400 * 400)
        buckets.put(name, {"name": name, "region": REGION, "created": created, "seq": n})
        for i in range(sizes.get("objects", 0)):
            key = f"{rng.choice(('2024', '2025'))}/{word}-{i:03d}.txt"
            body = f"{word} {i} {rng.randrange(10**6)}\n".encode()
            objects.put(f"{name}/{key}", object_row(world, name, key, body, "text/plain"))
    return {
        "type": "signed",
        "access_key_id": access_key,
        "secret_access_key": secret,
        "region": REGION,
    }
