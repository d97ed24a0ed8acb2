"""New breweries as another contributor adding them now would (for ``pagination_drift``).

A new brewery is drawn like a seeded one from the given RNG (a random state, city, type and
name, a fresh UUID id), so it sorts into the name-ordered listing anywhere: pages after it
shift by one, as they do on the real directory.
"""

from __future__ import annotations

import random

from mockapis.brewery.data import TABLE, brewery
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``brewery.breweries`` row (else None)."""
    rows = world.table(table)
    if table != TABLE:
        return None
    record = brewery(rng)
    while record["id"] in rows:
        record = brewery(rng)
    return record["id"], record
