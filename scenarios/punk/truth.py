"""Ground truth of the PunkAPI scenarios, derived from the seeded world."""

from __future__ import annotations

import random
from typing import Any

from mockapis.world import World

Truth = dict[str, dict[str, Any]]

FIELDS = ("name", "tagline", "abv", "first_brewed", "ibu", "ebc")
"""The beer field a task asks for (drawn per seed, so that each seed has its own task)."""


def every_beer(world: World, rng: random.Random) -> Truth:
    """One field of every beer, in id order."""
    field = rng.choice(FIELDS)
    table = world.table("punk.beers")
    values = [table[k][field] for k in sorted(table)]
    return {"inputs": {"field": field}, "expected": {"values": values}}


def strong_beers(world: World, rng: random.Random) -> Truth:
    """The names of every beer stronger than a threshold, in id order."""
    table = world.table("punk.beers")
    beers = [table[k] for k in sorted(table)]
    threshold = rng.choice((5.5, 6, 6.5, 7))
    names = [b["name"] for b in beers if b["abv"] > threshold]
    return {"inputs": {"abv": threshold}, "expected": {"names": names}}
