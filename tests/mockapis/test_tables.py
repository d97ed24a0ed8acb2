"""Lazy tables (mockapis.tables): sources built on first use, rows rendered on first read,
indexes, and a world that is the same whichever tables were built, and in which order."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World

BUILDS: list[str] = []
"""Which builders ran (tests clear it): a source must be built once per world lineage."""


def _render(key: str, n: int) -> Record:
    return {"id": key, "n": n, "tags": [n, -n]}


def _people(count: int) -> BuiltTables:
    BUILDS.append("people")
    rows = {f"p{i}": LazyRow(_render, f"p{i}", i) for i in range(count)}
    return {"svc.people": rows, index_key("svc.people"): {f"p{i}": i for i in range(count)}}


def _deals(count: int, people: BuiltTables) -> BuiltTables:
    BUILDS.append("deals")
    owners = list(people[index_key("svc.people")])
    return {"svc.deals": {f"d{i}": {"owner": owners[i % len(owners)]} for i in range(count)}}


def seeded(seed: int = 1) -> World:
    """A world with an eager table and two lazy ones (deals depend on people)."""
    world = World(seed)
    world.table("svc.tokens").put("t", {"token": "t"})
    people = world.lazy("svc.people", _people, 4)
    world.lazy("svc.deals", _deals, 3, deps=(people,))
    return world


@pytest.fixture(autouse=True)
def _clear() -> None:
    BUILDS.clear()


def test_a_lazy_table_is_built_on_first_use_only():
    world = seeded()
    assert world.table_names == ["svc.deals", "svc.people", "svc.tokens"]
    assert BUILDS == []
    assert world.table("svc.deals")["d1"] == {"owner": "p1"}
    assert BUILDS == ["people", "deals"]  # a dependency is built first, once
    world.table("svc.people")
    assert BUILDS == ["people", "deals"]


def test_lazy_rows_render_on_read_and_readers_only_see_records():
    world = seeded()
    people = world.table("svc.people")
    assert list(people) == ["p0", "p1", "p2", "p3"]  # keys need no rendering
    assert people["p2"] == {"id": "p2", "n": 2, "tags": [2, -2]}
    assert all(isinstance(row, dict) for row in people.values())
    assert dict(people.items())["p3"]["n"] == 3
    assert people.get("p9") is None


def test_the_world_is_the_same_whatever_was_built_and_in_which_order():
    untouched = seeded()
    reads_people = seeded()
    reads_people.table("svc.people")["p1"]
    reads_deals = seeded()
    reads_deals.table("svc.deals")
    hashes = {w.state_hash() for w in (untouched, reads_people, reads_deals)}
    assert len(hashes) == 1
    other = seeded()
    other.table("svc.people").put("p0", {"n": 0})
    assert other.state_hash() not in hashes


def test_a_snapshot_keeps_sources_of_clean_tables_and_rows_of_changed_ones():
    world = seeded()
    world.table("svc.people")["p0"]
    snap = world.snapshot()
    assert set(snap.lazy) == {"svc.people", "svc.deals"}  # read, not written: still its source
    world.table("svc.deals").put("d9", {"owner": "p0"})
    snap = world.snapshot()
    assert "svc.deals" in snap.tables and "svc.deals" not in snap.lazy


def test_restore_returns_to_the_seeded_rows_without_building_again():
    world = seeded()
    before = world.snapshot()
    world.table("svc.people").put("p1", {"changed": True})
    world.table("svc.deals").delete("d0")
    assert BUILDS == ["people", "deals"]
    world.restore(before)
    assert world.table("svc.people")["p1"]["n"] == 1
    assert "d0" in world.table("svc.deals")
    assert BUILDS == ["people", "deals"]  # rebuilt from what the lineage built


def test_diff_sees_writes_to_lazy_tables_and_nothing_for_reads():
    world = seeded()
    before = world.snapshot()
    people = world.table("svc.people")
    people["p0"]
    people.put("p1", {**people["p1"], "n": 100})
    people.delete("p2")
    diff = world.diff(before)
    assert set(diff) == {"svc.people"}
    assert list(diff["svc.people"].updated) == ["p1"]
    assert diff["svc.people"].removed == {"p2": {"id": "p2", "n": 2, "tags": [2, -2]}}
    assert world.diff(world.snapshot()) == {}


def test_rollback_puts_back_rendered_rows():
    world = seeded()
    people = world.table("svc.people")
    world.begin()
    people.put("p1", {"x": 1})
    people.delete("p2")
    world.rollback()
    assert people["p1"]["n"] == 1 and people["p2"]["n"] == 2
    assert world.diff(seeded().snapshot()) == {}


def test_index_describes_the_seeded_rows_only():
    world = seeded()
    assert world.index("svc.people") == {"p0": 0, "p1": 1, "p2": 2, "p3": 3}
    world.table("svc.people").put("p9", {})
    with pytest.raises(KeyError, match="initial state"):
        world.index("svc.people")
    with pytest.raises(KeyError):
        world.index("svc.tokens")


def test_share_reuses_what_another_world_built():
    first = seeded()
    first.table("svc.deals")
    second = World(1)
    second.restore(first.snapshot())
    second.share(first.built_tables)
    assert second.table("svc.deals")["d2"] == {"owner": "p2"}
    assert BUILDS == ["people", "deals"]


def test_lazy_rows_and_sources_pickle_without_rendering_twice():
    world = seeded()
    world.table("svc.people").put("p1", {"x": 1})
    restored = World(1)
    restored.restore(pickle.loads(pickle.dumps(world.snapshot())))
    assert restored.table("svc.people")["p3"]["n"] == 3
    assert restored.state_hash() == world.state_hash()


def test_a_source_must_build_every_table_it_declares():
    def _short(_: Any) -> BuiltTables:
        return {}

    world = World()
    world.lazy("svc.t", _short, 0)
    with pytest.raises(ValueError, match="did not build"):
        world.table("svc.t")
    with pytest.raises(ValueError, match="already exists"):
        world.lazy("svc.t", _short, 0)
