"""The seeded account: one API key, and a few finished uploads already on the server."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.tus.store import UPLOADS, new_upload_id
from mockapis.world import World

__all__ = ["DEFAULT_SIZES", "KEYS", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"uploads": 3}
KEYS = "tus._keys"
"""API key -> ``{"token", "account"}`` (bookkeeping, not collateral damage)."""

DAY_NS = 86_400 * 10**9


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key for the agent's account and ``uploads`` finished files; bearer credentials."""
    counts = resolve_sizes("tus", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "tus", "account")
    token = f"tus_{seeding.hex_id(rng, 32)}"
    world.table(KEYS).put(token, {"token": token, "account": "acct_1"})
    text = seeding.stream(world.seed, "tus", "uploads")
    for i in range(counts["uploads"]):
        body = seeding.paragraph(text, 4).encode()
        upload_id = new_upload_id(world)
        created = world.clock.now_ns - (i + 1) * DAY_NS
        world.table(UPLOADS).put(
            upload_id,
            {
                "id": upload_id,
                "account": "acct_1",
                "length": len(body),
                "offset": len(body),
                "metadata": {"filename": f"{seeding.pick(text, 'file_stem')}.txt"},
                "data": base64.b64encode(body).decode("ascii"),
                "created_ns": created,
                "expires_ns": None,
            },
        )
    return {"type": "bearer", "token": token}
