"""Ground truth of the Open Brewery DB scenarios, derived from the seeded world.

The state comes from the directory's index (breweries per state), so a reset builds no
brewery; the ids of a state's breweries are deferred: read from the directory at grading
(:data:`gym_apibench.episode.ExpectedFn`), when the agent has usually built it.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any

from mockapis.world import World

Truth = dict[str, Any]

MIN_STATE = 201
"""A state with more breweries than the largest page, so one page never holds them all."""


def _big_state(world: World, rng: random.Random) -> tuple[str, int]:
    """A state with at least :data:`MIN_STATE` breweries, and how many it has."""
    counts: Mapping[str, int] = world.index("brewery.breweries")
    state = rng.choice(sorted(s for s, n in counts.items() if n >= MIN_STATE))
    return state, counts[state]


def count_in_state(world: World, rng: random.Random) -> Truth:
    """How many breweries one populous state has."""
    state, count = _big_state(world, rng)
    return {"inputs": {"state": state}, "expected": {"count": count}}


def _ids(world: World, state: str) -> dict[str, Any]:
    rows = world.table("brewery.breweries").values()
    return {"ids": sorted(r["id"] for r in rows if r["state_province"] == state)}


def all_in_state(world: World, rng: random.Random) -> Truth:
    """The ids of every brewery of one populous state."""
    state, _ = _big_state(world, rng)
    return {"inputs": {"state": state}, "expected": functools.partial(_ids, state=state)}
