"""Ground truth of the ClickUp scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping
from typing import Any

from mockapis.clickup.data import COMMENTS, LISTS, TASKS, Comment, ListEntry, Task
from mockapis.world import World

Truth = dict[str, Any]
DAY_MS = 86_400_000


def list_entries(world: World) -> list[ListEntry]:
    """Every seeded list's index entry, in id order."""
    index: Mapping[str, ListEntry] = world.index(LISTS)
    return [index[k] for k in sorted(index)]


def list_tasks(world: World, rng: random.Random) -> Truth:
    """Every task of the busy list (more than 100): closed ones and subtasks included."""
    home = next(e for e in list_entries(world) if e.busy)
    inputs = {"list": home.name, "space": home.space_name}
    return {"inputs": inputs, "expected": functools.partial(_list_task_ids, home.id)}


def _list_task_ids(list_id: str, world: World) -> dict[str, Any]:
    """The list's tasks but archived ones (deferred: the task does not need them)."""
    tasks: Mapping[str, Task] = world.index(TASKS)
    return {"ids": sorted(t.id for t in tasks.values() if t.list_id == list_id and not t.archived)}


def iso_day(ms: str | None) -> str | None:
    """An epoch-millisecond string as its UTC calendar date, ``YYYY-MM-DD``."""
    if ms is None:
        return None
    return dt.datetime.fromtimestamp(int(ms) / 1000, tz=dt.UTC).date().isoformat()


def list_due_dates(world: World, rng: random.Random) -> Truth:
    """Every list of the workspace (folderless ones too), not archived, with its due date."""
    team = next(iter(world.table("clickup.teams").values()))
    spaces = {s["id"] for s in world.table("clickup.spaces").values() if not s["archived"]}
    dates = {
        e.id: iso_day(e.due_date)
        for e in list_entries(world)
        if e.space_id in spaces and not e.archived
    }
    return {"inputs": {"team": team["name"]}, "expected": {"dates": dates}}


def task_comments(world: World, rng: random.Random) -> Truth:
    """Every comment of the busy task (more than two pages), with every threaded reply."""
    task = next(e.busy_task for e in list_entries(world) if e.busy_task)
    inputs = {"task_id": task.id, "task": task.name}
    return {"inputs": inputs, "expected": functools.partial(_thread_ids, task.id)}


def _thread_ids(task_id: str, world: World) -> dict[str, Any]:
    """The task's comments and their replies (deferred: the task does not need them)."""
    comments: Mapping[str, Comment] = world.index(COMMENTS)
    top = {c.id for c in comments.values() if c.parent_type == "task" and c.parent_id == task_id}
    replies = {c.id for c in comments.values() if c.parent_type == "comment" and c.parent_id in top}
    return {"ids": sorted(top | replies)}


_NEW = [
    "Renew SSL certificates",
    "Prepare board deck",
    "Migrate CI runners",
    "Plan offsite",
    "Refresh pricing page",
    "Audit vendor contracts",
    "Draft hiring plan",
]
_PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}


def create_tasks(world: World, rng: random.Random) -> Truth:
    """Three tasks to create in a folderless list, each with a due date and a priority."""
    home = rng.choice([e for e in list_entries(world) if e.folderless and not e.archived])
    epoch_day = world.epoch_ns // 1_000_000 // DAY_MS
    tasks: list[dict[str, Any]] = []
    for name in rng.sample(_NEW, 3):
        day = epoch_day + rng.randint(5, 90)
        level = rng.randint(1, 4)
        tasks.append(
            {
                "name": name,
                "due": (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat(),
                "due_ms": day * DAY_MS,
                "priority": level,
            }
        )
    listing = "\n".join(
        f'- "{t["name"]}", due {t["due"]} (midnight UTC), priority {_PRIORITIES[t["priority"]]}'
        for t in tasks
    )
    expected = [
        {"name": t["name"], "due_ms": t["due_ms"], "priority": t["priority"]} for t in tasks
    ]
    inputs = {"list": home.name, "space": home.space_name, "listing": listing, "tasks": tasks}
    return {"inputs": inputs, "expected": {"tasks": expected, "list_id": home.id}}
