"""Ground truth of the Open Brewery DB scenarios, derived from the seeded world."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.world import World

Truth = dict[str, dict[str, Any]]

MIN_STATE = 201
"""A state with more breweries than the largest page, so one page never holds them all."""


def _big_state(world: World, rng: random.Random) -> tuple[str, list[str]]:
    rows = world.table("brewery.breweries").values()
    counts = Counter(r["state_province"] for r in rows)
    states = sorted(s for s, n in counts.items() if n >= MIN_STATE)
    state = rng.choice(states)
    return state, sorted(r["id"] for r in rows if r["state_province"] == state)


def count_in_state(world: World, rng: random.Random) -> Truth:
    """How many breweries one populous state has."""
    state, ids = _big_state(world, rng)
    return {"inputs": {"state": state}, "expected": {"count": len(ids)}}


def all_in_state(world: World, rng: random.Random) -> Truth:
    """The ids of every brewery of one populous state."""
    state, ids = _big_state(world, rng)
    return {"inputs": {"state": state}, "expected": {"ids": ids}}
