"""The user, workspaces and their members, projects, and a user's time entries."""

from __future__ import annotations

from typing import Any

from mockapis.clockify.access import Call, endpoint, public
from mockapis.kit.errors import ApiError

__all__ = ["ENTRY_PAGE_MAX", "PAGE_MAX", "ROUTES"]

PAGE_MAX = 5000
"""Largest ``page-size`` of the project and user listings."""
ENTRY_PAGE_MAX = 1000
"""Largest ``page-size`` of the time-entry listing."""


async def get_user(call: Call) -> Any:
    """The key's user, with ``activeWorkspace`` and ``defaultWorkspace``."""
    return public(call.user)


async def get_workspaces(call: Call) -> Any:
    """Every workspace the user is a member of."""
    return [
        public(ws)
        for ws in call.world.table("clockify.workspaces").values()
        if any(m["userId"] == call.user["id"] for m in ws["memberships"])
    ]


async def get_users(call: Call) -> Any:
    """The members of a workspace, by name (``email``, ``name``, ``status`` filters)."""
    ws = call.workspace()
    members = {m["userId"] for m in ws["memberships"]}
    users = [u for u in call.world.table("clockify.users").values() if u["id"] in members]
    email, name, status = call.query("email"), call.query("name"), call.query("status")
    if status is not None and status not in ("PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"):
        raise ApiError(400, "status: must be one of PENDING, ACTIVE, DECLINED, INACTIVE, ALL.")
    found = [
        public(u)
        for u in sorted(users, key=lambda u: (u["name"].lower(), u["id"]))
        if (email is None or email.lower() in u["email"].lower())
        and (name is None or name.lower() in u["name"].lower())
        and (status in (None, "ALL") or u["status"] == status)
    ]
    return call.page(found, max_size=PAGE_MAX)


async def get_projects(call: Call) -> Any:
    """A workspace's projects by name (``name``, ``archived``, ``billable`` filters)."""
    ws = call.workspace()
    name, archived, billable = call.query("name"), call.flag("archived"), call.flag("billable")
    projects = sorted(
        (p for p in call.world.table("clockify.projects").values() if p["workspaceId"] == ws["id"]),
        key=lambda p: (p["name"].lower(), p["id"]),
    )
    found = [
        p
        for p in projects
        if (name is None or name.lower() in p["name"].lower())
        and (archived is None or p["archived"] == archived)
        and (billable is None or p["billable"] == billable)
    ]
    return call.page(found, max_size=PAGE_MAX)


async def get_project(call: Call) -> Any:
    """One project of a workspace."""
    ws = call.workspace()
    project = call.world.table("clockify.projects").get(call.param("projectId"))
    if project is None or project["workspaceId"] != ws["id"]:
        raise ApiError(404, "Project doesn't belong to Workspace", code="not_found")
    return project


async def get_time_entries(call: Call) -> Any:
    """A user's time entries in a workspace, newest first (``start``/``end`` filters)."""
    ws = call.workspace()
    user_id = call.param("userId")
    if all(m["userId"] != user_id for m in ws["memberships"]):
        raise ApiError(404, "User doesn't belong to Workspace", code="not_found")
    start, end = call.instant("start"), call.instant("end")
    project, text = call.query("project"), call.query("description")
    in_progress = call.flag("in-progress")
    entries = [
        e
        for e in call.world.table("clockify.time_entries").values()
        if e["workspaceId"] == ws["id"] and e["userId"] == user_id
    ]
    found = []
    for entry in sorted(entries, key=lambda e: (e["timeInterval"]["start"], e["id"]), reverse=True):
        began = entry["timeInterval"]["start"]
        if start is not None and began < start.strftime("%Y-%m-%dT%H:%M:%SZ"):
            continue
        if end is not None and began > end.strftime("%Y-%m-%dT%H:%M:%SZ"):
            continue
        if project is not None and entry["projectId"] != project:
            continue
        if text is not None and text.lower() not in entry["description"].lower():
            continue
        if in_progress is not None and (entry["timeInterval"]["end"] is None) != in_progress:
            continue
        found.append(entry)
    return call.page(found, max_size=ENTRY_PAGE_MAX)


ROUTES = [
    endpoint("/api/v1/user", get_user),
    endpoint("/api/v1/workspaces", get_workspaces),
    endpoint("/api/v1/workspaces/{workspaceId}/users", get_users),
    endpoint("/api/v1/workspaces/{workspaceId}/projects", get_projects),
    endpoint("/api/v1/workspaces/{workspaceId}/projects/{projectId}", get_project),
    endpoint("/api/v1/workspaces/{workspaceId}/user/{userId}/time-entries", get_time_entries),
]
