"""New beers as the catalogue's maintainers would add them now (for ``pagination_drift``).

A new beer takes the next id after the highest one (ids only grow) and is first brewed this
month, so it lands after every existing beer in the id-ordered listing: inserts never shift
earlier pages.
"""

from __future__ import annotations

import random

from mockapis.punk.data import TABLE, beer, key
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``punk.beers`` row with the next id (else None)."""
    if table != TABLE:
        return None
    rows = world.table(table)
    beer_id = max((int(k) for k in rows), default=0) + 1
    today = world.clock.datetime()
    return key(beer_id), {**beer(beer_id, rng), "first_brewed": f"{today.month:02d}/{today.year}"}
