"""The seeded workspace: determinism, sizes, indexes that agree with the rows, record shapes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mockapis.clickup import SERVICE
from mockapis.clickup.data import COMMENTS, LISTS, TASKS
from mockapis.world import World
from tests.inprocess import seeded_world
from tests.mockapis.clickup.conftest import EPOCH_NS, ClickUpClient

SEEDS = [0, 7, 2_024_061_553]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes, epoch_ns=EPOCH_NS)


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert _seeded(3).state_hash() == _seeded(3).state_hash() != _seeded(4).state_hash()


def test_sizes() -> None:
    world = _seeded(11, {"tasks": 40, "comments": 9})
    assert len(world.table(TASKS)) == 40
    top = [c for c in world.table(COMMENTS).values() if c["_parent"]["type"] == "task"]
    assert len(top) == 9
    empty = _seeded(11, {"spaces": 0, "tasks": 0, "comments": 0})
    assert not empty.table(TASKS) and not empty.table(COMMENTS) and not empty.table(LISTS)
    with pytest.raises(ValueError, match="tasks"):
        _seeded(1, {"task": 3})


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_rows(seed: int) -> None:
    world = _seeded(seed)
    lists = world.index(LISTS)
    assert list(lists) == list(world.table(LISTS))
    for key, row in world.table(LISTS).items():
        entry = lists[key]
        assert (entry.id, entry.name, entry.archived) == (row["id"], row["name"], row["archived"])
        assert (entry.space_id, entry.space_name) == (row["space"]["id"], row["space"]["name"])
        assert entry.folderless == row["folder"]["hidden"]
        assert entry.due_date == row["due_date"]
    tasks = world.index(TASKS)
    assert list(tasks) == list(world.table(TASKS))
    for key, row in world.table(TASKS).items():
        entry = tasks[key]
        level = int(row["priority"]["id"]) if row["priority"] else None
        assert (entry.id, entry.list_id, entry.parent, entry.archived, entry.closed) == (
            row["id"],
            row["list"]["id"],
            row["parent"],
            row["archived"],
            row["status"]["type"] == "closed",
        )
        assert (entry.name, entry.priority, entry.created_ms) == (
            row["name"],
            level,
            int(row["date_created"]),
        )
    # The columns truths read agree with the rows: names, and each list's open top-level tasks.
    rows = list(world.table(TASKS).values())
    assert tasks.names(range(len(rows))) == [row["name"] for row in rows]
    for list_id, shown in zip(tasks.open_lists, tasks.open_top, strict=True):
        assert shown == [
            k
            for k, row in enumerate(rows)
            if row["list"]["id"] == list_id
            and row["parent"] is None
            and not row["archived"]
            and row["status"]["type"] != "closed"
        ]
    assert tasks.open_counts == [len(shown) for shown in tasks.open_top]
    assert [tasks.priority(k) for k in range(len(rows))] == tasks.priorities
    threads = Counter(
        c["_parent"]["id"] for c in world.table(COMMENTS).values() if c["_parent"]["type"] == "task"
    )
    busy = [t.id for t in tasks.values() if t.busy]
    assert busy == [threads.most_common(1)[0][0]] == [next(iter(tasks))]
    named = [e.busy_task for e in lists.values() if e.busy_task]
    assert [(b.id, b.name) for b in named] == [(busy[0], tasks[busy[0]].name)]
    assert [e.busy for e in lists.values() if e.busy_task] == [True]
    comments = world.index(COMMENTS)
    assert list(comments) == list(world.table(COMMENTS))
    for key, row in world.table(COMMENTS).items():
        entry = comments[key]
        assert entry == (row["id"], row["_parent"]["type"], row["_parent"]["id"], int(row["date"]))


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    lists = list(world.table(LISTS).values())
    tasks = list(world.table(TASKS).values())
    busy = [e for e in world.index(LISTS).values() if e.busy]
    counts = Counter(t["list"]["id"] for t in tasks if not t["archived"])
    assert len(busy) == 1 and counts.most_common(1)[0][0] == busy[0].id
    assert counts[busy[0].id] > 100
    assert any(r["archived"] for r in lists)
    assert {r["space"]["id"] for r in lists if r["folder"]["hidden"]} >= {
        s["id"] for s in list(world.table("clickup.spaces").values())[:2]
    }
    in_busy = [t for t in tasks if t["list"]["id"] == busy[0].id]
    assert any(t["parent"] for t in in_busy) and any(t["archived"] for t in in_busy)
    assert any(t["status"]["type"] == "closed" for t in in_busy)
    by_id = {t["id"]: t for t in tasks}
    for task in tasks:
        if task["parent"]:
            parent = by_id[task["parent"]]
            assert parent["list"]["id"] == task["list"]["id"] and parent["parent"] is None
        assert task["date_created"] <= task["date_updated"]
    stamps = [t["date_created"] for t in tasks]
    assert len(set(stamps)) == len(stamps)
    comments = list(world.table(COMMENTS).values())
    threads = Counter(c["_parent"]["id"] for c in comments if c["_parent"]["type"] == "task")
    task_id, most = threads.most_common(1)[0]
    assert most > 50 and not by_id[task_id]["archived"] and by_id[task_id]["parent"] is None
    ids = {c["id"] for c in comments}
    assert len(ids) == len(comments)
    assert all(c["_parent"]["id"] in ids for c in comments if c["_parent"]["type"] == "comment")
    assert any(c["_parent"]["type"] == "comment" for c in comments)


def _shape(value: Any) -> Any:
    """A record's keys, recursively (the types of leaves left out: null or not varies)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return None


def test_seeded_tasks_and_comments_have_the_shape_the_api_writes() -> None:
    client = ClickUpClient(5)
    busy = next(e for e in client.world.index(LISTS).values() if e.busy)
    seeded = next(
        t
        for t in client.world.table(TASKS).values()
        if t["assignees"] and t["tags"] and t["priority"] and t["due_date"]
    )
    made = client.post(
        f"/list/{busy.id}/task",
        {
            "name": "Shape",
            "assignees": [seeded["assignees"][0]["id"]],
            "tags": ["x"],
            "priority": 2,
            "due_date": 1_709_251_200_000,
        },
    ).json
    stored = client.world.table(TASKS)[made["id"]]
    assert _shape(stored) == _shape(seeded)
    task_id = next(c["_parent"]["id"] for c in client.world.table(COMMENTS).values())
    posted = client.post(f"/task/{task_id}/comment", {"comment_text": "Shape"}).json
    comment = client.world.table(COMMENTS)[str(posted["id"])]
    seeded_comment = next(iter(client.world.table(COMMENTS).values()))
    assert _shape(comment) == _shape(seeded_comment)


def test_clashing_lists_are_those_whose_open_tasks_share_a_name() -> None:
    """Names are drawn unique as words, but the phrase pool holds a few strings twice: the
    index names the lists two of whose open top-level tasks read the same (a world in a
    hundred has one), as the names themselves show."""
    found = 0
    for seed in range(200):
        tasks = _seeded(seed).index(TASKS)
        expected = {
            list_id
            for list_id, shown in zip(tasks.open_lists, tasks.open_top, strict=True)
            if len(set(tasks.names(shown))) < len(shown)
        }
        assert tasks.clashing == expected
        found += bool(expected)
    assert found


@pytest.mark.parametrize("seed", SEEDS)
def test_open_top_level_tasks_agree_with_the_parents(seed: int) -> None:
    """Each list's open top-level tasks (drawn on whole columns) are what the parents (drawn
    task by task when first read) make top-level."""
    tasks = _seeded(seed).index(TASKS)
    assert len(tasks.parents) == len(tasks)
    for k, shown in enumerate(tasks.open_top):
        assert shown == [
            i
            for i, (home, parent) in enumerate(zip(tasks.homes, tasks.parents, strict=True))
            if home == k and parent < 0 and not tasks.archived[i] and not tasks.closed[i]
        ]
    for i, parent in enumerate(tasks.parents):
        assert parent < i and (parent < 0 or tasks.homes[parent] == tasks.homes[i])
