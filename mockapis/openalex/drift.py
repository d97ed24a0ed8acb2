"""New works as OpenAlex would index them now (for ``pagination_drift``).

A new work is drawn like a seeded one from the given RNG, with the next OpenAlex id above
every existing one (ids grow as works are added) and published and created today: the
default id order puts it after every existing work.
"""

from __future__ import annotations

import random

from mockapis.openalex.data import TABLE, key, work
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``openalex.works`` row, created today (else None)."""
    if table != TABLE:
        return None
    rows = world.table(table)
    number = max((int(k[1:]) for k in rows), default=4_300_000_000) + 1 + rng.randrange(10)
    made = work(number, rng)
    today = world.clock.datetime().date()
    return key(number), {
        **made,
        "publication_year": today.year,
        "publication_date": today.isoformat(),
        "created_date": today.isoformat(),
        "cited_by_count": 0,
        "updated_date": f"{today.isoformat()}T00:00:00",
    }
