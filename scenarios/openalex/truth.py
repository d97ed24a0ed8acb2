"""Ground truth of the OpenAlex scenarios, derived from the seeded world.

The year comes from the works' index (works per publication year), so a reset builds no
work; the totals and ids over the year's works are deferred: read from the works at grading
(:data:`gym_apibench.episode.ExpectedFn`), when the agent has usually built them.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from typing import Any

from mockapis.tables import Record
from mockapis.world import World

Truth = dict[str, Any]

MIN_WORKS = 1001
"""The task's year must hold more works than five pages of the largest size."""


def _big_year(world: World, rng: random.Random) -> int:
    counts = world.index("openalex.works")  # publication year -> how many works
    return int(rng.choice(sorted(y for y, n in counts.items() if n >= MIN_WORKS)))


def _year_works(world: World, year: int) -> list[Record]:
    """The works of ``year``, in id order."""
    table = world.table("openalex.works")
    works = [table[k] for k in sorted(table)]
    return [w for w in works if w["publication_year"] == year]


METRICS: Mapping[str, Callable[[Record], int]] = {
    "citations": lambda w: w["cited_by_count"],
    "authorships": lambda w: len(w["authorships"]),
}
"""What a year total adds up: each work's ``cited_by_count``, or its number of authorships."""


def _total(world: World, year: int, metric: str) -> dict[str, Any]:
    return {"total": sum(METRICS[metric](w) for w in _year_works(world, year))}


def year_total(world: World, rng: random.Random) -> Truth:
    """A total over one big year's works (citations or authorships)."""
    year = _big_year(world, rng)
    metric = rng.choice(sorted(METRICS))
    return {
        "inputs": {"year": year, "metric": metric},
        "expected": functools.partial(_total, year=year, metric=metric),
    }


def _ids(world: World, year: int) -> dict[str, Any]:
    return {"ids": [w["id"].rsplit("/", 1)[1] for w in _year_works(world, year)]}


def year_work_ids(world: World, rng: random.Random) -> Truth:
    """The short ids of one big year's works."""
    year = _big_year(world, rng)
    return {"inputs": {"year": year}, "expected": functools.partial(_ids, year=year)}
