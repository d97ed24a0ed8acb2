"""Ground truth of the Clockify scenarios, derived from the seeded world (never literals)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]
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


def _my_entries(world: World, workspace: str) -> list[Record]:
    user = me(world)
    return [
        e
        for e in world.table("clockify.time_entries").values()
        if e["userId"] == user["id"] and e["workspaceId"] == workspace
    ]


def active_entries(world: World, rng: random.Random) -> Truth:
    """The user's finished entries in the active workspace: id -> duration in milliseconds."""
    entries = _my_entries(world, me(world)["activeWorkspace"])
    durations = {
        e["id"]: seconds(e["timeInterval"]["duration"]) * 1000
        for e in entries
        if e["timeInterval"]["duration"] is not None
    }
    return {"inputs": {}, "expected": {"durations": durations}}


def project_rates(world: World, rng: random.Random) -> Truth:
    """Every project of every workspace of the user: id -> hourly rate in major units."""
    user = me(world)
    mine = {
        w["id"]
        for w in world.table("clockify.workspaces").values()
        if any(m["userId"] == user["id"] for m in w["memberships"])
    }
    rates = {
        p["id"]: p["hourlyRate"]["amount"] / 100
        for p in world.table("clockify.projects").values()
        if p["workspaceId"] in mine
    }
    return {"inputs": {}, "expected": {"rates": rates}}


def project_seconds(world: World, rng: random.Random) -> Truth:
    """Seconds the user tracked per project in the active workspace in one 30-day window."""
    entries = [
        e
        for e in _my_entries(world, me(world)["activeWorkspace"])
        if e["timeInterval"]["duration"] is not None and e["projectId"]
    ]
    epoch = dt.datetime.fromtimestamp(world.epoch_ns / 1e9, tz=dt.UTC).date()
    first = epoch - dt.timedelta(days=rng.randint(50, 80))
    last = first + dt.timedelta(days=29)
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        day = dt.date.fromisoformat(entry["timeInterval"]["start"][:10])
        if first <= day <= last:
            totals[entry["projectId"]] += seconds(entry["timeInterval"]["duration"])
    inputs = {"first": first.isoformat(), "last": last.isoformat()}
    return {"inputs": inputs, "expected": {"totals": dict(totals)}}
