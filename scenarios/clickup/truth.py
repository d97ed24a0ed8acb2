"""Ground truth of the ClickUp scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]
DAY_MS = 86_400_000


def _rows(world: World, table: str) -> list[Record]:
    found = world.table(table)
    return [found[k] for k in sorted(found)]


def _busy_list(world: World) -> Record:
    counts = Counter(t["list"]["id"] for t in _rows(world, "clickup.tasks") if not t["archived"])
    return world.table("clickup.lists")[counts.most_common(1)[0][0]]


def list_tasks(world: World, rng: random.Random) -> Truth:
    """Every task of the busiest list (more than 100): closed ones and subtasks included."""
    home = _busy_list(world)
    ids = sorted(
        t["id"]
        for t in _rows(world, "clickup.tasks")
        if t["list"]["id"] == home["id"] and not t["archived"]
    )
    inputs = {"list": home["name"], "space": home["space"]["name"]}
    return {"inputs": inputs, "expected": {"ids": ids}}


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
        row["id"]: iso_day(row["due_date"])
        for row in _rows(world, "clickup.lists")
        if row["space"]["id"] in spaces and not row["archived"]
    }
    return {"inputs": {"team": team["name"]}, "expected": {"dates": dates}}


def task_comments(world: World, rng: random.Random) -> Truth:
    """Every comment of the busiest task, with every threaded reply."""
    comments = _rows(world, "clickup.comments")
    counts = Counter(c["_parent"]["id"] for c in comments if c["_parent"]["type"] == "task")
    task_id = counts.most_common(1)[0][0]
    top = {c["id"] for c in comments if c["_parent"] == {"type": "task", "id": task_id}}
    replies = {
        c["id"] for c in comments if c["_parent"]["type"] == "comment" and c["_parent"]["id"] in top
    }
    task = world.table("clickup.tasks")[task_id]
    inputs = {"task_id": task_id, "task": task["name"]}
    return {"inputs": inputs, "expected": {"ids": sorted(top | replies)}}


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
    lists = [
        row
        for row in _rows(world, "clickup.lists")
        if row["folder"]["hidden"] and not row["archived"]
    ]
    home = rng.choice(lists)
    epoch_day = world.epoch_ns // 1_000_000 // DAY_MS
    tasks = []
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
    inputs = {
        "list": home["name"],
        "space": home["space"]["name"],
        "listing": listing,
        "tasks": tasks,
    }
    return {"inputs": inputs, "expected": {"tasks": expected, "list_id": home["id"]}}
