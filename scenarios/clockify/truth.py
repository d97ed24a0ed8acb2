"""Ground truth of the Clockify scenarios, derived from the seeded world (never literals).

Every expected value here aggregates over projects or time entries that the task's inputs do
not need: they are computed when grading (deferred), from the seeded tables' indexes
(:class:`mockapis.clockify.data.Project`, :class:`mockapis.clockify.data.Entry`).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mockapis.clockify.data import ENTRIES, PROJECTS, Entry, Project
from mockapis.tables import Record
from mockapis.world import World

Truth = dict[str, Any]
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def seconds(duration: str) -> int:
    """An ISO 8601 duration (``PT1H30M5S``) in seconds."""
    found = _DURATION.match(duration)
    assert found is not None, duration
    hours, minutes, secs = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + secs


def me(world: World) -> Record:
    """The API key's user."""
    key = next(iter(world.table("clockify._keys").values()))
    return world.table("clockify.users")[key["user_id"]]


def _my_entries(world: World) -> list[Entry]:
    """The user's entries in the workspace they are active in."""
    user = me(world)
    entries: Mapping[str, Entry] = world.index(ENTRIES)
    return [
        e
        for e in entries.values()
        if e.user_id == user["id"] and e.workspace_id == user["activeWorkspace"]
    ]


def active_entries(world: World, rng: random.Random) -> Truth:
    """The user's finished entries in the active workspace: id -> duration in milliseconds."""
    return {"inputs": {}, "expected": _active_durations}


def _active_durations(world: World) -> dict[str, Any]:
    durations = {e.id: e.seconds * 1000 for e in _my_entries(world) if e.seconds is not None}
    return {"durations": durations}


def project_rates(world: World, rng: random.Random) -> Truth:
    """Every project of every workspace of the user: id -> hourly rate in major units."""
    return {"inputs": {}, "expected": _rates}


def _rates(world: World) -> dict[str, Any]:
    user = me(world)
    mine = {
        w["id"]
        for w in world.table("clockify.workspaces").values()
        if any(m["userId"] == user["id"] for m in w["memberships"])
    }
    projects: Mapping[str, Project] = world.index(PROJECTS)
    return {"rates": {p.id: p.amount / 100 for p in projects.values() if p.workspace_id in mine}}


def project_seconds(world: World, rng: random.Random) -> Truth:
    """Seconds the user tracked per project in the active workspace in one 30-day window."""
    epoch = dt.datetime.fromtimestamp(world.epoch_ns / 1e9, tz=dt.UTC).date()
    first = epoch - dt.timedelta(days=rng.randint(50, 80))
    last = first + dt.timedelta(days=29)
    inputs = {"first": first.isoformat(), "last": last.isoformat()}
    return {"inputs": inputs, "expected": functools.partial(_totals, first, last)}


def _totals(first: dt.date, last: dt.date, world: World) -> dict[str, Any]:
    low = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC).timestamp()
    high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC).timestamp()
    totals: dict[str, int] = defaultdict(int)
    for entry in _my_entries(world):
        if entry.seconds is not None and entry.project_id and low <= entry.start < high:
            totals[entry.project_id] += entry.seconds
    return {"totals": dict(totals)}
