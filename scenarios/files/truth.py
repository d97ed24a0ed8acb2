"""Ground truth of the file-server scenarios, derived from the seeded files (their names
from the index, the bytes of the one chosen)."""

from __future__ import annotations

import base64
import hashlib
import random
from collections.abc import Mapping
from typing import Any

from mockapis.files.data import SeededFile
from mockapis.files.store import FILES
from mockapis.world import World

Truth = dict[str, dict[str, Any]]


def copy_file(world: World, rng: random.Random) -> Truth:
    """A seeded CSV report to copy, byte for byte, under a new name holding a space."""
    index: Mapping[str, SeededFile] = world.index(FILES)
    keys = {entry.name: key for key, entry in index.items() if entry.name.endswith(".csv")}
    source = rng.choice(sorted(keys))
    row = world.table(FILES)[keys[source]]
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
