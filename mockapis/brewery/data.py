"""The seeded brewery directory: several thousand US breweries over weighted states."""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping

from mockapis.brewery import catalog
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "TABLE", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"breweries": 3000}
TABLE = "brewery.breweries"
_STATE_WEIGHTS = [weight for _, weight, _, _ in catalog.STATES]


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with ``sizes["breweries"]`` breweries; the API needs no credentials."""
    sizes = resolve_sizes("brewery", sizes, DEFAULT_SIZES)
    count = sizes["breweries"]
    table = world.table(TABLE)
    for i in range(count):
        record = brewery(random.Random(derive_seed(world.seed, "brewery", "brewery", i)))
        table.put(record["id"], record)
    return {"type": "none"}


def brewery(rng: random.Random) -> Record:
    """One brewery as ``/v1/breweries`` returns it."""
    state, _, zip_digit, cities = rng.choices(catalog.STATES, weights=_STATE_WEIGHTS)[0]
    kind = rng.choices(catalog.BREWERY_TYPES, weights=catalog.TYPE_WEIGHTS)[0]
    first, second = rng.choice(catalog.NAME_FIRST), rng.choice(catalog.NAME_SECOND)
    name = f"{first} {second} {rng.choice(catalog.NAME_SUFFIX)}"
    street = f"{rng.randint(1, 9999)} {rng.choice(catalog.STREETS)}"
    planning = kind == "planning"
    slug = f"{first}{second}".lower()
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "name": name,
        "brewery_type": kind,
        "address_1": None if planning else street,
        "address_2": None,
        "address_3": None,
        "city": rng.choice(cities),
        "state_province": state,
        "postal_code": f"{zip_digit}{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}",
        "country": "United States",
        "longitude": None if planning else round(rng.uniform(-124.0, -68.0), 7),
        "latitude": None if planning else round(rng.uniform(25.0, 48.5), 7),
        "phone": f"{rng.randint(200, 989)}{rng.randint(2000000, 9999999)}",
        "website_url": f"http://www.{slug}{rng.randint(1, 99)}.com" if rng.random() < 0.8 else None,
        "state": state,
        "street": None if planning else street,
    }
