"""The seeded brewery directory: several thousand US breweries over weighted states.

The directory is a lazy source (:meth:`World.lazy`): one :class:`~mockapis.seeding.RowDraws`
pass draws every brewery's values, the states first, so that the index (breweries per state:
what the truths choose from) costs a vectorised count; the rows are built only when the table
is read (:meth:`Partitions.whole <mockapis.tables.Partitions.whole>`), each rendered when read
through the same :func:`render` as the breweries ``pagination_drift`` adds.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.brewery import catalog
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World

__all__ = ["DEFAULT_SIZES", "TABLE", "Drawn", "brewery", "render", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"breweries": 3000}
TABLE = "brewery.breweries"
_STATE_WEIGHTS = [weight for _, weight, _, _ in catalog.STATES]
_STATE_CUM = tuple(itertools.accumulate(_STATE_WEIGHTS))
_TYPE_CUM = tuple(itertools.accumulate(catalog.TYPE_WEIGHTS))
_STATE_NUMBERS = tuple(range(len(catalog.STATES)))


class Drawn(NamedTuple):
    """Everything drawn for one brewery: what :func:`render` makes its record from."""

    id: str
    state: int
    """Its position in :data:`mockapis.brewery.catalog.STATES`."""
    kind: str
    first: str
    second: str
    suffix: str
    street_number: int
    street: str
    city: str
    zip_a: int
    zip_b: int
    longitude: float
    latitude: float
    area: int
    line: int
    website: int | None
    """The number in its website's host, or None without a website."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Declare ``sizes["breweries"]`` breweries; the API needs no credentials."""
    sizes = resolve_sizes("brewery", sizes, DEFAULT_SIZES)
    world.lazy(TABLE, _breweries, world.seed, sizes["breweries"])
    return {"type": "none"}


def render(b: Drawn) -> Record:
    """One brewery as ``/v1/breweries`` returns it."""
    state, _, zip_digit, _ = catalog.STATES[b.state]
    planning = b.kind == "planning"
    street = f"{b.street_number} {b.street}"
    slug = f"{b.first}{b.second}".lower()
    return {
        "id": b.id,
        "name": f"{b.first} {b.second} {b.suffix}",
        "brewery_type": b.kind,
        "address_1": None if planning else street,
        "address_2": None,
        "address_3": None,
        "city": b.city,
        "state_province": state,
        "postal_code": f"{zip_digit}{b.zip_a:04d}-{b.zip_b:04d}",
        "country": "United States",
        "longitude": None if planning else round(b.longitude, 7),
        "latitude": None if planning else round(b.latitude, 7),
        "phone": f"{b.area}{b.line}",
        "website_url": None if b.website is None else f"http://www.{slug}{b.website}.com",
        "state": state,
        "street": None if planning else street,
    }


def brewery(rng: random.Random) -> Record:
    """One brewery drawn from ``rng`` (a newly added one's)."""
    state = rng.choices(_STATE_NUMBERS, cum_weights=_STATE_CUM)[0]
    drawn = Drawn(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        state=state,
        kind=rng.choices(catalog.BREWERY_TYPES, cum_weights=_TYPE_CUM)[0],
        first=rng.choice(catalog.NAME_FIRST),
        second=rng.choice(catalog.NAME_SECOND),
        suffix=rng.choice(catalog.NAME_SUFFIX),
        street_number=rng.randint(1, 9999),
        street=rng.choice(catalog.STREETS),
        city=rng.choice(catalog.STATES[state][3]),
        zip_a=rng.randint(0, 9999),
        zip_b=rng.randint(0, 9999),
        longitude=rng.uniform(-124.0, -68.0),
        latitude=rng.uniform(25.0, 48.5),
        area=rng.randint(200, 989),
        line=rng.randint(2000000, 9999999),
        website=rng.randint(1, 99) if rng.random() < 0.8 else None,
    )
    return render(drawn)


def _breweries(seed_value: int, n: int) -> BuiltTables:
    d = seeding.RowDraws(n, 18, seed_value, "brewery", "breweries")
    states = d.weighted(2, _STATE_NUMBERS, _STATE_CUM)
    counts = np.bincount(np.array(states, dtype=np.int64), minlength=len(_STATE_NUMBERS))
    index = {catalog.STATES[s][0]: c for s, c in enumerate(counts.tolist()) if c}
    # The rows only when the table is read: the truths choose from the counts alone.
    return {TABLE: Partitions.whole(_rows, d, states), index_key(TABLE): index}


def _rows(d: seeding.RowDraws, states: list[int], _part: str) -> dict[str, LazyRow]:
    cities = [catalog.STATES[s][3] for s in states]
    websites = [
        w if has else None for w, has in zip(d.ints(17, 1, 99), d.chance(16, 0.8), strict=True)
    ]
    drawn = map(
        Drawn,
        d.uuids(0),
        states,
        d.weighted(3, catalog.BREWERY_TYPES, _TYPE_CUM),
        d.pick(4, catalog.NAME_FIRST),
        d.pick(5, catalog.NAME_SECOND),
        d.pick(6, catalog.NAME_SUFFIX),
        d.ints(7, 1, 9999),
        d.pick(8, catalog.STREETS),
        [c[int(f * len(c))] for c, f in zip(cities, d.floats(9), strict=True)],
        d.ints(10, 0, 9999),
        d.ints(11, 0, 9999),
        [-124.0 + 56.0 * f for f in d.floats(12)],
        [25.0 + 23.5 * f for f in d.floats(13)],
        d.ints(14, 200, 989),
        d.ints(15, 2000000, 9999999),
        websites,
    )
    return {b.id: LazyRow(render, b) for b in drawn}
