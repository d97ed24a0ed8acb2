"""Ground truth of the OpenAlex scenarios, derived from the seeded world."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

MIN_WORKS = 1001
"""The task's year must hold more works than five pages of the largest size."""


def _year_works(world: World, rng: random.Random) -> tuple[int, list[Record]]:
    table = world.table("openalex.works")
    works = [table[k] for k in sorted(table)]
    counts = Counter(w["publication_year"] for w in works)
    year = rng.choice(sorted(y for y, n in counts.items() if n >= MIN_WORKS))
    return year, [w for w in works if w["publication_year"] == year]


METRICS = {
    "citations": lambda w: w["cited_by_count"],
    "authorships": lambda w: len(w["authorships"]),
}
"""What a year total adds up: each work's ``cited_by_count``, or its number of authorships."""


def year_total(world: World, rng: random.Random) -> Truth:
    """A total over one big year's works (citations or authorships)."""
    year, works = _year_works(world, rng)
    metric = rng.choice(sorted(METRICS))
    total = sum(METRICS[metric](w) for w in works)
    return {"inputs": {"year": year, "metric": metric}, "expected": {"total": total}}


def year_work_ids(world: World, rng: random.Random) -> Truth:
    """The short ids of one big year's works."""
    year, works = _year_works(world, rng)
    ids = [w["id"].rsplit("/", 1)[1] for w in works]
    return {"inputs": {"year": year}, "expected": {"ids": ids}}
