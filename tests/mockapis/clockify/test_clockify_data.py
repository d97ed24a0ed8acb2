"""The seeded account: determinism, sizes, indexes that agree with the rows, shares."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from mockapis.clockify import SERVICE
from mockapis.clockify.data import ENTRIES, PROJECTS
from mockapis.world import World
from scenarios.clockify.truth import seconds
from tests.inprocess import seeded_world
from tests.mockapis.clockify.conftest import EPOCH_NS

SEEDS = [0, 12, 1_414_213_562]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes, epoch_ns=EPOCH_NS)


def _start(stamp: str) -> int:
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert _seeded(3).state_hash() == _seeded(3).state_hash() != _seeded(4).state_hash()


def test_sizes() -> None:
    world = _seeded(5, {"workspaces": 1, "projects": 7, "time_entries": 20})
    assert len(world.table("clockify.workspaces")) == 1
    assert len(world.table(PROJECTS)) == 7
    assert len(world.table(ENTRIES)) == 21  # and the running timer
    with pytest.raises(ValueError, match="projects"):
        _seeded(1, {"project": 3})


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_rows(seed: int) -> None:
    world = _seeded(seed)
    projects = world.index(PROJECTS)
    assert list(projects) == list(world.table(PROJECTS))
    for key, row in world.table(PROJECTS).items():
        assert projects[key] == (
            row["id"],
            row["workspaceId"],
            row["billable"],
            row["hourlyRate"]["amount"],
            row["hourlyRate"]["currency"],
        )
    entries = world.index(ENTRIES)
    assert list(entries) == list(world.table(ENTRIES))
    for key, row in world.table(ENTRIES).items():
        duration = row["timeInterval"]["duration"]
        assert entries[key] == (
            row["id"],
            row["userId"],
            row["workspaceId"],
            row["projectId"],
            _start(row["timeInterval"]["start"]),
            None if duration is None else seconds(duration),
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    key = next(iter(world.table("clockify._keys").values()))
    me = world.table("clockify.users")[key["user_id"]]
    assert me["activeWorkspace"] != me["defaultWorkspace"]
    projects = list(world.table(PROJECTS).values())
    homes = Counter(p["workspaceId"] for p in projects)
    assert homes.most_common(1)[0][0] == me["activeWorkspace"]
    assert homes[me["activeWorkspace"]] > 50  # more than a default page
    assert all(p["hourlyRate"]["amount"] == 0 for p in projects if not p["billable"])
    workspaces = world.table("clockify.workspaces")
    for project in projects:
        currency = workspaces[project["workspaceId"]]["hourlyRate"]["currency"]
        assert project["hourlyRate"]["currency"] == currency
    entries = list(world.table(ENTRIES).values())
    running = [e for e in entries if e["timeInterval"]["end"] is None]
    assert len(running) == 1 and running[0]["userId"] == me["id"]
    assert running[0]["workspaceId"] == me["activeWorkspace"]
    starts = Counter((e["userId"], e["timeInterval"]["start"]) for e in entries)
    assert max(starts.values()) == 1
    for entry in entries:
        members = {m["userId"] for m in workspaces[entry["workspaceId"]]["memberships"]}
        assert entry["userId"] in members
        if entry["projectId"]:
            project = world.table(PROJECTS)[entry["projectId"]]
            assert project["workspaceId"] == entry["workspaceId"]
            assert entry["billable"] == project["billable"]
    ids = [
        *world.table("clockify.users"),
        *workspaces,
        *world.table(PROJECTS),
        *world.table(ENTRIES),
    ]
    assert len(set(ids)) == len(ids)
