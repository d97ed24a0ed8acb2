"""The seeded works: the index counts every year as the works do, works are shaped like new
ones, and a reset that reads only the index builds no work."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from mockapis.openalex import SERVICE
from mockapis.openalex.data import TABLE, YEARS, work
from mockapis.world import World


def seeded(seed: int, works: int = 8000) -> World:
    world = World(seed)
    SERVICE.seed(world, {"works": works})
    return world


def same_shape(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` have the same keys and types, recursively (a null matches
    anything: nullable fields; lists by their first items)."""
    if a is None or b is None:
        return True
    if isinstance(a, dict):
        return (
            isinstance(b, dict) and a.keys() == b.keys() and all(same_shape(a[k], b[k]) for k in a)
        )
    if isinstance(a, list):
        return isinstance(b, list) and (not a or not b or same_shape(a[0], b[0]))
    return type(a) is type(b)


@pytest.mark.parametrize("seed", [0, 21, 2**31 - 1])
def test_the_index_counts_every_year_as_the_works_do(seed: int) -> None:
    world = seeded(seed)
    index = world.index(TABLE)
    assert not world._rows_of(TABLE)  # the counts alone build no work
    works = world.table(TABLE).values()
    assert index == {y: n for y, n in Counter(w["publication_year"] for w in works).items()}
    assert set(index) <= set(YEARS) and sum(index.values()) == 8000
    assert sum(n >= 1001 for n in index.values()) >= 2  # the tasks' years, for every seed


@pytest.mark.parametrize("seed", [1, 2])
def test_seeded_works_have_the_shape_of_new_ones(seed: int) -> None:
    fresh = work(4_400_000_000, random.Random(seed))
    for key, row in seeded(seed, 500).table(TABLE).items():
        assert key == f"W{int(row['id'].rsplit('W', 1)[1]):012d}"
        assert same_shape(row, fresh)
        assert row["publication_date"].startswith(str(row["publication_year"]))
        assert 1 <= len(row["authorships"]) <= 5 and row["cited_by_count"] >= -1
        assert row["authorships"][0]["author_position"] == "first"


def test_rows_depend_on_the_seed_and_row_alone() -> None:
    small = list(seeded(4, 30).table(TABLE).values())
    assert small == list(seeded(4).table(TABLE).values())[:30]
