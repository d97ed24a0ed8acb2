"""The user, workspaces and their members, projects, and a user's time entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mockapis.clockify.access import Call, endpoint, public
from mockapis.kit.errors import ApiError
from mockapis.tables import Record

__all__ = ["PAGE_MAX", "ROUTES"]

PAGE_MAX = 5000
"""Largest ``page-size`` of every listing: Clockify documents only a minimum (1); 5000 is the
largest page its API serves (see the module docstring of :mod:`mockapis.clockify`)."""


async def get_user(call: Call) -> Any:
    """The key's user, with ``activeWorkspace`` and ``defaultWorkspace``; ``memberships`` only
    with ``include-memberships=true`` (else ``[]``, as Clockify answers)."""
    user = public(call.user)
    if not call.flag("include-memberships"):
        user["memberships"] = []
    return user


async def get_workspaces(call: Call) -> Any:
    """Every workspace the user is a member of."""
    return [
        public(ws)
        for ws in call.world.table("clockify.workspaces").values()
        if any(m["userId"] == call.user["id"] for m in ws["memberships"])
    ]


USER_SORTS: dict[str, Callable[[Record], Any]] = {
    "ID": lambda u: u["id"],
    "EMAIL": lambda u: u["email"],
    "NAME": lambda u: u["name"],
    "NAME_LOWERCASE": lambda u: u["name"].lower(),
    # No seeded member has a role or a rate of their own: these order as EMAIL does.
    "ACCESS": lambda u: u["email"],
    "HOURLYRATE": lambda u: u["email"],
    "COSTRATE": lambda u: u["email"],
}
STATUSES = ("PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL")
MEMBERSHIPS = ("ALL", "NONE", "WORKSPACE", "PROJECT", "USERGROUP")
ORDERS = ("ASCENDING", "DESCENDING")


def _memberships(call: Call, ws: Record, user: Record, kind: str) -> list[Record]:
    """The user's memberships of ``kind`` (``memberships`` query parameter) in ``ws``."""
    found: list[Record] = []
    if kind in ("WORKSPACE", "ALL"):
        found += [m for m in ws["memberships"] if m["userId"] == user["id"]]
    if kind in ("PROJECT", "ALL"):
        for project in call.world.table("clockify.projects").values():
            if project["workspaceId"] == ws["id"]:
                found += [m for m in project["memberships"] if m["userId"] == user["id"]]
    return found


async def get_users(call: Call) -> Any:
    """The members of a workspace, by email unless ``sort-column`` says otherwise (``email``,
    ``name``, ``status``, ``project-id`` filters; ``memberships`` default NONE)."""
    ws = call.workspace()
    members = {m["userId"] for m in ws["memberships"]}
    email, name = call.query("email"), call.query("name")
    status = call.choice("status", STATUSES)
    column = call.choice("sort-column", tuple(USER_SORTS)) or "EMAIL"
    descending = call.choice("sort-order", ORDERS) == "DESCENDING"
    kind = call.choice("memberships", MEMBERSHIPS) or "NONE"
    if (project_id := call.query("project-id")) is not None:
        project = call.world.table("clockify.projects").get(project_id)
        allowed = {m["userId"] for m in project["memberships"]} if project else set()
        members &= allowed
    users = [u for u in call.world.table("clockify.users").values() if u["id"] in members]
    key = USER_SORTS[column]
    found = [
        {**public(u), "memberships": _memberships(call, ws, u, kind)}
        for u in sorted(users, key=lambda u: (key(u), u["id"]), reverse=descending)
        if (email is None or email.lower() in u["email"].lower())
        and (name is None or name.lower() in u["name"].lower())
        and (status in (None, "ALL") or u["status"] == status)
    ]
    return call.page(found, max_size=PAGE_MAX)


PROJECT_SORTS: dict[str, Callable[[Record], Any]] = {
    "ID": lambda p: p["id"],
    "NAME": lambda p: p["name"].lower(),
    "CLIENT_NAME": lambda p: p["clientName"].lower(),
    # Seeded projects have no tracked duration or budget of their own: these order by name.
    "DURATION": lambda p: p["name"].lower(),
    "BUDGET": lambda p: p["name"].lower(),
    "PROGRESS": lambda p: p["name"].lower(),
}


async def get_projects(call: Call) -> Any:
    """A workspace's projects, by name unless ``sort-column`` says otherwise (``name`` with
    ``strict-name-search``, ``archived``, ``billable``, ``is-template``, ``clients`` with
    ``contains-client`` filters)."""
    ws = call.workspace()
    name, archived, billable = call.query("name"), call.flag("archived"), call.flag("billable")
    strict, template = call.flag("strict-name-search"), call.flag("is-template")
    clients, contains_client = call.many("clients"), call.flag("contains-client")
    column = call.choice("sort-column", tuple(PROJECT_SORTS)) or "NAME"
    descending = call.choice("sort-order", ORDERS) == "DESCENDING"
    key = PROJECT_SORTS[column]
    projects = sorted(
        (p for p in call.world.table("clockify.projects").values() if p["workspaceId"] == ws["id"]),
        key=lambda p: (key(p), p["id"]),
        reverse=descending,
    )
    wanted = name.lower() if name is not None else None
    found = [
        p
        for p in projects
        if (
            wanted is None
            or (wanted == p["name"].lower() if strict else wanted in p["name"].lower())
        )
        and (archived is None or p["archived"] == archived)
        and (billable is None or p["billable"] == billable)
        and (template is None or p["template"] == template)
        and (not clients or (p["clientId"] in clients) == (contains_client is not False))
    ]
    return call.page(found, max_size=PAGE_MAX)


async def get_project(call: Call) -> Any:
    """One project of a workspace."""
    ws = call.workspace()
    project = call.world.table("clockify.projects").get(call.param("projectId"))
    if project is None or project["workspaceId"] != ws["id"]:
        raise ApiError(404, "Project doesn't belong to Workspace", code="not_found")
    return project


def _entry_filters(call: Call) -> list[Callable[[Record], bool]]:
    """The time-entry listing's filters, each a test on a stored entry."""
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    tests: list[Callable[[Record], bool]] = []
    if (start := call.instant("start")) is not None:
        tests.append(lambda e: e["timeInterval"]["start"] >= start.strftime(stamp))
    if (end := call.instant("end")) is not None:
        tests.append(lambda e: e["timeInterval"]["start"] <= end.strftime(stamp))
    if (week := call.instant("get-week-before")) is not None:
        low, high = (week - dt.timedelta(days=7)).strftime(stamp), week.strftime(stamp)
        tests.append(lambda e: low <= e["timeInterval"]["start"] < high)
        tests.append(lambda e: bool(e["projectId"] or e["taskId"]))
    if (project := call.query("project")) is not None:
        tests.append(lambda e: e["projectId"] == project)
    if (task := call.query("task")) is not None:
        tests.append(lambda e: e["taskId"] == task)
    if tags := call.many("tags"):
        tests.append(lambda e: bool(tags & set(e["tagIds"] or ())))
    if (text := call.query("description")) is not None:
        tests.append(lambda e: text.lower() in e["description"].lower())
    if call.flag("project-required"):
        tests.append(lambda e: e["projectId"] is not None)
    if call.flag("task-required"):
        tests.append(lambda e: e["taskId"] is not None)
    if (running := call.flag("in-progress")) is not None:
        tests.append(lambda e: (e["timeInterval"]["end"] is None) == running)
    call.flag("hydrated")  # validated; the hydrated shape is not emulated (module docstring)
    return tests


async def get_time_entries(call: Call) -> Any:
    """A user's time entries in a workspace, newest first (``start``/``end``,
    ``get-week-before``, ``project``, ``task``, ``tags``, ``description``,
    ``project-required``, ``task-required``, ``in-progress`` filters)."""
    ws = call.workspace()
    user_id = call.param("userId")
    if all(m["userId"] != user_id for m in ws["memberships"]):
        raise ApiError(404, "User doesn't belong to Workspace", code="not_found")
    tests = _entry_filters(call)
    entries = [
        e
        for e in call.world.table("clockify.time_entries").values()
        if e["workspaceId"] == ws["id"] and e["userId"] == user_id and all(t(e) for t in tests)
    ]
    entries.sort(key=lambda e: (e["timeInterval"]["start"], e["id"]), reverse=True)
    return call.page(entries, max_size=PAGE_MAX)


ROUTES = [
    endpoint("/api/v1/user", get_user),
    endpoint("/api/v1/workspaces", get_workspaces),
    endpoint("/api/v1/workspaces/{workspaceId}/users", get_users),
    endpoint("/api/v1/workspaces/{workspaceId}/projects", get_projects),
    endpoint("/api/v1/workspaces/{workspaceId}/projects/{projectId}", get_project),
    endpoint("/api/v1/workspaces/{workspaceId}/user/{userId}/time-entries", get_time_entries),
]
