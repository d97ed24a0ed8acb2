"""The reader's seeded account: one API key (``jina_...``) for the agent."""

from __future__ import annotations

import random
from collections.abc import Mapping

from mockapis.service import resolve_sizes
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "KEYS", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {}
KEYS = "reader._keys"
"""API key -> ``{"key", "rpm"}`` (bookkeeping, not collateral damage)."""
KEY_RPM = 500
"""Requests a minute with an API key (without one: see :mod:`mockapis.reader.access`)."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """One API key; bearer credentials (the key is optional: anonymous calls have a lower
    rate limit)."""
    resolve_sizes("reader", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "reader", "key"))
    alphabet = "0123456789abcdef"
    key = (
        "jina_"
        + "".join(rng.choice(alphabet) for _ in range(32))
        + "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            for _ in range(28)
        )
    )
    world.table(KEYS).put(key, {"key": key, "rpm": KEY_RPM})
    return {"type": "bearer", "token": key}
