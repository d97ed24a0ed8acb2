"""Ground truth of the file-server scenarios, derived from the seeded files."""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

from mockapis.world import World

Truth = dict[str, dict[str, Any]]


def copy_file(world: World, rng: random.Random) -> Truth:
    """A seeded CSV report to copy, byte for byte, under a new name holding a space."""
    reports = sorted(
        row["name"] for row in world.table("files.files").values() if row["name"].endswith(".csv")
    )
    source = rng.choice(reports)
    row = next(r for r in world.table("files.files").values() if r["name"] == source)
    data = base64.b64decode(row["data"])
    folder = rng.choice(["2024 Q1", "old reports", "backup copy"])
    target = f"archive/{folder}/{source.rsplit('/', 1)[1]}"
    return {
        "inputs": {"source": source, "target": target},
        "expected": {
            "target": target,
            "content": data.decode("utf-8"),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    }
