"""The seeded directory: its index agrees with every brewery, breweries are shaped like new
ones, and a reset that reads only the index builds no brewery."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from mockapis.brewery import SERVICE
from mockapis.brewery.data import TABLE, brewery
from mockapis.world import World


def seeded(seed: int, breweries: int = 3000) -> World:
    world = World(seed)
    SERVICE.seed(world, {"breweries": breweries})
    return world


@pytest.mark.parametrize("seed", [0, 13, 2**31 - 1])
def test_the_index_counts_every_state_as_the_rows_do(seed: int) -> None:
    world = seeded(seed)
    index = world.index(TABLE)
    assert not world._rows_of(TABLE)  # the counts alone build no brewery
    rows = world.table(TABLE).values()
    assert index == Counter(r["state_province"] for r in rows)
    assert len(rows) == 3000 == len({r["id"] for r in rows})


@pytest.mark.parametrize("seed", [1, 2])
def test_seeded_breweries_have_the_shape_of_new_ones(seed: int) -> None:
    fresh = brewery(random.Random(seed))
    for row in seeded(seed, 300).table(TABLE).values():
        assert list(row) == list(fresh)
        assert row["state"] == row["state_province"]
        planning = row["brewery_type"] == "planning"
        assert (row["street"] is None) == (row["latitude"] is None) == planning
        assert row["id"] == str(row["id"]).lower() and len(row["id"]) == 36


def test_rows_depend_on_the_seed_and_row_alone() -> None:
    small = list(seeded(4, 20).table(TABLE).values())
    large = list(seeded(4).table(TABLE).values())
    assert small == large[:20]
