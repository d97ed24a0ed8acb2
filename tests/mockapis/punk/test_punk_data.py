"""The seeded catalogue: built on first use, rendered beer by beer, shaped like new beers."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mockapis.punk import SERVICE
from mockapis.punk.data import TABLE, beer
from mockapis.world import World


def seeded(seed: int, beers: int = 325) -> World:
    world = World(seed)
    SERVICE.seed(world, {"beers": beers})
    return world


def shape(value: Any) -> Any:
    """The keys and types of ``value``, recursively (a list by its first item)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def test_a_reset_builds_nothing_until_the_catalogue_is_read() -> None:
    world = seeded(1)
    assert TABLE in world.table_names and not world.built_tables
    assert [int(k) for k in world.table(TABLE)] == list(range(1, 326))


@pytest.mark.parametrize("seed", [0, 7, 2**31 - 1])
def test_seeded_beers_have_the_shape_of_new_ones(seed: int) -> None:
    table = seeded(seed).table(TABLE)
    fresh = beer(999, random.Random(seed))
    for row in table.values():
        nullable = {k for k in ("ibu", "ebc", "srm") if row[k] is None or fresh[k] is None}
        assert {k: v for k, v in shape(row).items() if k not in nullable} == {
            k: v for k, v in shape(fresh).items() if k not in nullable
        }
        assert 2.5 <= row["abv"] <= 18 and 1 <= len(row["ingredients"]["malt"]) <= 3
        assert len(set(row["food_pairing"])) == 3
        assert (row["ebc"] is None) == (row["srm"] is None)


def test_beers_are_the_same_whichever_are_read_first() -> None:
    forward, backward = seeded(3), seeded(3)
    keys = sorted(forward.table(TABLE))
    first = [forward.table(TABLE)[k] for k in keys]
    last = [backward.table(TABLE)[k] for k in reversed(keys)]
    assert first == last[::-1]
    assert seeded(3, 10).table(TABLE)["000004"] == forward.table(TABLE)["000004"]


def test_strength_spans_session_to_imperial() -> None:
    abv = [b["abv"] for b in seeded(5).table(TABLE).values()]
    assert min(abv) < 4 and max(abv) > 14
    assert 0.4 < sum(a > 7 for a in abv) / len(abv) < 0.8  # three ranges: about 0.6 above 7
