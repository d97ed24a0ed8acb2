"""The seeded account: one API key, and a few finished uploads already on the server."""

from __future__ import annotations

import base64
import random
from collections.abc import Mapping

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.tus.store import UPLOADS, new_upload_id
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "KEYS", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"uploads": 3}
KEYS = "tus._keys"
"""API key -> ``{"token", "account"}`` (bookkeeping, not collateral damage)."""

DAY_NS = 86_400 * 10**9


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key for the agent's account and ``uploads`` finished files; bearer credentials."""
    counts = resolve_sizes("tus", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "tus", "account"))
    token = "tus_" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
    world.table(KEYS).put(token, {"token": token, "account": "acct_1"})
    fake = Faker("en_US")
    for i in range(counts["uploads"]):
        fake.seed_instance(derive_seed(world.seed, "tus", "upload", i))
        body = fake.paragraph(nb_sentences=4).encode()
        upload_id = new_upload_id(world)
        created = world.clock.now_ns - (i + 1) * DAY_NS
        world.table(UPLOADS).put(
            upload_id,
            {
                "id": upload_id,
                "account": "acct_1",
                "length": len(body),
                "offset": len(body),
                "metadata": {"filename": fake.file_name(extension="txt")},
                "data": base64.b64encode(body).decode("ascii"),
                "created_ns": created,
                "expires_ns": None,
            },
        )
    return {"type": "bearer", "token": token}
