"""The seeded objects: built per bucket, the same whichever bucket is read first."""

from __future__ import annotations

import base64
import hashlib

import pytest

from mockapis.s3 import SERVICE
from mockapis.s3.data import OBJECTS
from mockapis.world import World


def _world(seed: int, objects: int = 30) -> World:
    world = World(seed)
    SERVICE.seed(world, {**SERVICE.default_sizes, "buckets": 3, "objects": objects})
    world.commit()
    return world


@pytest.mark.parametrize("seed", [0, 6, 2**31 - 9])
def test_objects_per_bucket(seed: int) -> None:
    world = _world(seed)
    buckets = sorted(world.table("s3.buckets"))
    assert len(buckets) == 3
    table = world.table(OBJECTS)
    for bucket in buckets:
        keys = table.with_prefix(bucket + "/")
        assert len(keys) == 30
        for key in keys:
            row = table[key]
            body = base64.b64decode(row["body"])
            assert f"{row['bucket']}/{row['key']}" == key and row["size"] == len(body)
            assert row["etag"] == f'"{hashlib.md5(body).hexdigest()}"'
            word = bucket.rsplit("-", 1)[0]
            assert row["key"].split("/")[1].startswith(word) and body.startswith(word.encode())
    assert len(table) == 90


def test_a_bucket_is_the_same_whichever_is_read_first() -> None:
    a, b = _world(12), _world(12)
    first, second = sorted(a.table("s3.buckets"))[:2]
    a.table(OBJECTS).with_prefix(first + "/")
    keys = b.table(OBJECTS).with_prefix(second + "/")
    assert a.table(OBJECTS).with_prefix(second + "/") == keys
    assert [a.table(OBJECTS)[k] for k in keys] == [b.table(OBJECTS)[k] for k in keys]
    assert a.state_hash() == b.state_hash()
