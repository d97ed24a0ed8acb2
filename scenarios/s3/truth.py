"""Ground truth of the S3 scenarios, derived from the seeded world (the bucket's keys at
grading: the task does not need them)."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import Any

from mockapis.s3.data import OBJECTS
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


def upload_report(world: World, rng: random.Random) -> Truth:
    """A small CSV to store under a new key in one seeded bucket, and that bucket's keys."""
    bucket = rng.choice(sorted(world.table("s3.buckets")))
    rows = ["region,orders,revenue"]
    for region in rng.sample(["north", "south", "east", "west", "central", "coast"], 4):
        cents = rng.randrange(100_000, 9_000_000)
        rows.append(f"{region},{rng.randrange(10, 500)},{cents // 100}.{cents % 100:02d}")
    content = "\n".join(rows) + "\n"
    key = f"reports/q{rng.randrange(1, 5)} summary {rng.randrange(2020, 2026)}.csv"
    inputs = {"bucket": bucket, "key": key, "content": content}
    return {"inputs": inputs, "expected": functools.partial(_with_keys, inputs)}


def _with_keys(inputs: dict[str, str], world: World) -> dict[str, Any]:
    """The bucket's keys once the report is stored: the seeded ones and the new one."""
    prefix = inputs["bucket"] + "/"
    keys = [k[len(prefix) :] for k in world.table(OBJECTS).with_prefix(prefix)]
    return {**inputs, "keys": sorted([*keys, inputs["key"]]), "count": len(keys) + 1}
