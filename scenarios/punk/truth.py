"""Ground truth of the PunkAPI scenarios, derived from the seeded world.

The inputs need no world (a field, a threshold); the expected lists are deferred: read from
the catalogue at grading (:data:`gym_apibench.episode.ExpectedFn`), when the agent has usually
built it, so that a reset builds no beer.
"""

from __future__ import annotations

import functools
import random
from typing import Any

from mockapis.tables import Record
from mockapis.world import World

Truth = dict[str, Any]

FIELDS = ("name", "tagline", "abv", "first_brewed", "ibu", "ebc")
"""The beer field a task asks for (drawn per seed, so that each seed has its own task)."""


def _beers(world: World) -> list[Record]:
    """Every beer, in id order."""
    table = world.table("punk.beers")
    return [table[k] for k in sorted(table)]


def _field_values(world: World, field: str) -> dict[str, Any]:
    return {"values": [b[field] for b in _beers(world)]}


def every_beer(world: World, rng: random.Random) -> Truth:
    """One field of every beer, in id order."""
    field = rng.choice(FIELDS)
    return {"inputs": {"field": field}, "expected": functools.partial(_field_values, field=field)}


def _stronger(world: World, threshold: float) -> dict[str, Any]:
    return {"names": [b["name"] for b in _beers(world) if b["abv"] > threshold]}


def strong_beers(world: World, rng: random.Random) -> Truth:
    """The names of every beer stronger than a threshold, in id order."""
    threshold = rng.choice((5.5, 6, 6.5, 7))
    return {
        "inputs": {"abv": threshold},
        "expected": functools.partial(_stronger, threshold=threshold),
    }


def _summary(world: World, field: str) -> dict[str, Any]:
    beers = _beers(world)
    return {
        "summary": {"total_count": len(beers), "first": beers[0][field], "last": beers[-1][field]}
    }


def catalogue_summary(world: World, rng: random.Random) -> Truth:
    """The number of beers and one field (drawn per seed) of the first and last beer."""
    field = rng.choice(FIELDS)
    return {"inputs": {"field": field}, "expected": functools.partial(_summary, field=field)}
