"""Tasks: a list's tasks 100 a page (``page`` from 0, ``last_page``), one task, creating one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapis.clickup import catalog, lookup
from mockapis.clickup.access import Call, endpoint
from mockapis.clickup.records import build_task
from mockapis.kit.errors import ApiError
from mockapis.tables import Record

__all__ = ["PAGE_SIZE", "ROUTES"]

PAGE_SIZE = 100
"""Tasks per page of ``GET /list/{list_id}/task`` (fixed, as on ClickUp)."""
_ORDERS: dict[str, Callable[[Record], Any]] = {
    "created": lambda t: (int(t["date_created"]), t["id"]),
    "updated": lambda t: (int(t["date_updated"]), t["id"]),
    "id": lambda t: t["id"],
    "due_date": lambda t: (t["due_date"] is None, int(t["due_date"] or 0), t["id"]),
}
_RANGES = {
    "due_date": "due_date",
    "date_created": "date_created",
    "date_updated": "date_updated",
    "date_done": "date_done",
}


async def get_tasks(call: Call) -> Any:
    """One page of a list's tasks, filtered and ordered."""
    home = lookup.list_(call)
    page = call.integer("page") or 0
    order_by = call.query("order_by") or "created"
    if order_by not in _ORDERS:
        raise ApiError(
            400,
            f"order_by must be one of {', '.join(_ORDERS)}; got {order_by[:40]!r}.",
            code="INPUT_005",
        )
    keep = _filter(call)
    tasks = [t for t in call.world.table("clickup.tasks").values() if t["list"]["id"] == home["id"]]
    found = sorted(filter(keep, tasks), key=_ORDERS[order_by], reverse=not call.flag("reverse"))
    start = page * PAGE_SIZE
    return {
        "tasks": found[start : start + PAGE_SIZE],
        "last_page": start + PAGE_SIZE >= len(found),
    }


def _filter(call: Call) -> Callable[[Record], bool]:
    """The task filter of a request's query (checked before any task is read)."""
    archived = call.flag("archived")
    include_closed = call.flag("include_closed")
    subtasks = call.flag("subtasks")
    statuses = {s.lower() for s in call.query_list("statuses")}
    assignees = set(call.query_list("assignees"))
    tags = set(call.query_list("tags"))
    bounds = [
        (field, call.integer(f"{name}_gt"), call.integer(f"{name}_lt"))
        for name, field in _RANGES.items()
    ]

    def keep(task: Record) -> bool:
        if task["archived"] != archived or (task["parent"] and not subtasks):
            return False
        if task["status"]["type"] == "closed" and not include_closed:
            return False
        if statuses and task["status"]["status"].lower() not in statuses:
            return False
        if assignees and not assignees & {str(u["id"]) for u in task["assignees"]}:
            return False
        if tags and not tags & {t["name"] for t in task["tags"]}:
            return False
        for field, above, below in bounds:
            if above is None and below is None:
                continue
            value = task[field]
            if value is None:
                return False
            if (above is not None and int(value) <= above) or (
                below is not None and int(value) >= below
            ):
                return False
        return True

    return keep


async def get_task(call: Call) -> Any:
    """One task."""
    return lookup.task(call)


async def create_task(call: Call) -> Any:
    """A new task in the list; the task as stored."""
    home = lookup.list_(call)
    body = await call.body()
    space = call.world.table("clickup.spaces")[home["space"]["id"]]
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 2048:
        raise ApiError(400, "Task name invalid", code="INPUT_005")
    status = _status(space, body.get("status"))
    parent = _parent(call, home, body.get("parent"))
    world = call.world
    now = str(world.clock.now_ns // 1_000_000)
    task_id = _new_id(call)
    # ClickUp's reference names the Markdown body markdown_content; older clients send
    # markdown_description.
    markdown = _text(body, "markdown_content") or _text(body, "markdown_description")
    description = _text(body, "description") or markdown or ""
    task = build_task(
        task_id=task_id,
        name=name,
        description=description,
        status=status,
        orderindex=f"{world.next_id('clickup.orderindex') + 100_000}.00000000000000000000",
        created=now,
        updated=now,
        archived=False,
        creator=call.user,
        assignees=_assignees(call, body.get("assignees")),
        tags=_strings(body.get("tags"), "Tags invalid"),
        parent=parent,
        priority=_priority(body.get("priority")),
        due_date=_millis(body, "due_date", "Due date invalid"),
        start_date=_millis(body, "start_date", "Start date invalid"),
        time_estimate=_estimate(body.get("time_estimate")),
        team_id=space["_team_id"],
        home=home,
        space_id=space["id"],
    )
    world.table("clickup.tasks").put(task_id, task)
    return task


def _new_id(call: Call) -> str:
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    tasks = call.world.table("clickup.tasks")
    while True:
        value = "86" + "".join(call.world.rng.choices(alphabet, k=7))
        if value not in tasks:
            return value


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string.", code="INPUT_005")
    return value


def _status(space: Record, value: Any) -> dict[str, Any]:
    statuses = space["statuses"]
    if value is None:
        chosen = statuses[0]
    else:
        if not isinstance(value, str):
            raise ApiError(400, "Status must be a string", code="INPUT_005")
        matches = [s for s in statuses if s["status"] == value.lower()]
        if not matches:
            raise ApiError(400, "Status does not exist", code="CRTSK_001")
        chosen = matches[0]
    return {k: chosen[k] for k in ("id", "status", "color", "orderindex", "type")}


def _parent(call: Call, home: Record, value: Any) -> str | None:
    if value is None:
        return None
    parent = call.world.table("clickup.tasks").get(value) if isinstance(value, str) else None
    if parent is None or parent["list"]["id"] != home["id"]:
        raise ApiError(400, "Parent task must be a task of the same list", code="INPUT_005")
    return str(parent["id"])


def _assignees(call: Call, value: Any) -> list[Record]:
    if value is None:
        return []
    users = call.world.table("clickup.users")
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and str(v) in users for v in value
    ):
        raise ApiError(400, "Assignees must be user ids of the workspace", code="INPUT_005")
    return [users[str(v)] for v in dict.fromkeys(value)]


def _strings(value: Any, message: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ApiError(400, message, code="INPUT_005")
    return list(dict.fromkeys(v.lower() for v in value))


def _priority(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in catalog.PRIORITIES:
        raise ApiError(
            400, "Priority invalid: 1 (urgent), 2 (high), 3 (normal) or 4 (low)", code="INPUT_005"
        )
    return catalog.priority(value)


def _millis(body: dict[str, Any], key: str, message: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise ApiError(
            400, f"{message}: {key} is Unix time in milliseconds (an integer)", code="INPUT_005"
        )
    return str(value)


def _estimate(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise ApiError(400, "Time estimate invalid (milliseconds)", code="INPUT_005")
    return value


ROUTES = [
    endpoint("/api/v2/list/{list_id}/task", {"GET": get_tasks, "POST": create_task}),
    endpoint("/api/v2/task/{task_id}", {"GET": get_task}),
]
