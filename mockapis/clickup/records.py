"""Task and comment records as ClickUp returns them: one builder for the seeder and the API.

A seeded task and a task made by ``POST /list/{list_id}/task`` come from the same
:func:`build_task`, so that they have exactly the same shape; comments likewise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mockapis.tables import Record

__all__ = [
    "SHARING",
    "avatar_url",
    "build_comment",
    "build_task",
    "picture_url",
    "short_user",
    "task_url",
]

SHARING = {
    "public": False,
    "public_share_expires_on": None,
    "public_fields": ["assignees", "priority", "due_date", "content", "comments", "attachments"],
    "token": None,
    "seo_optimized": False,
}


def task_url(task_id: str) -> str:
    """A task's web address."""
    return f"https://app.clickup.com/t/{task_id}"


def picture_url(user_id: int | str) -> str:
    """A user's profile picture, derived from the id: ClickUp documents ``profilePicture`` as
    a string (a URL of this form in its examples), so a seeded user has one, not null."""
    return f"https://attachments-public.clickup.com/profilePictures/{user_id}_pic.jpg"


def avatar_url(kind: str, item_id: str) -> str:
    """A workspace's or space's ``avatar``, derived from the id (a string on ClickUp, as above)."""
    return f"https://attachments-public.clickup.com/{kind}_avatars/{item_id}.png"


def short_user(user: Mapping[str, Any]) -> dict[str, Any]:
    """A user as tasks and comments embed it."""
    return {
        "id": user["id"],
        "username": user["username"],
        "color": user["color"],
        "initials": user["initials"],
        "email": user["email"],
        "profilePicture": picture_url(user["id"]),
    }


def build_task(
    *,
    task_id: str,
    name: str,
    description: str,
    status: Mapping[str, Any],
    orderindex: str,
    created: str,
    updated: str,
    archived: bool,
    creator: Mapping[str, Any],
    assignees: Sequence[Mapping[str, Any]],
    tags: Sequence[str],
    parent: str | None,
    priority: dict[str, str] | None,
    due_date: str | None,
    start_date: str | None,
    time_estimate: int | None,
    team_id: str,
    home: Mapping[str, Any],
    space_id: str,
) -> Record:
    """A task of the list ``home`` (a list row: its ``folder`` reference is the task's folder
    and project). ``status`` is a space status; a closed one sets ``date_closed``/``date_done``
    to ``updated``. Dates are epoch-millisecond strings."""
    closed = updated if status["type"] == "closed" else None
    folder = home["folder"]
    return {
        "id": task_id,
        "custom_id": None,
        "custom_item_id": 0,
        "name": name,
        "text_content": description,
        "description": description,
        "status": {k: status[k] for k in ("id", "status", "color", "orderindex", "type")},
        "orderindex": orderindex,
        "date_created": created,
        "date_updated": updated,
        "date_closed": closed,
        "date_done": closed,
        "archived": archived,
        "creator": short_user(creator),
        "assignees": [short_user(u) for u in assignees],
        "group_assignees": [],
        "watchers": [short_user(creator)],
        "checklists": [],
        "tags": [
            {"name": t, "tag_fg": "#ffffff", "tag_bg": "#7b68ee", "creator": creator["id"]}
            for t in tags
        ],
        "parent": parent,
        "top_level_parent": parent,
        "priority": priority,
        "due_date": due_date,
        "start_date": start_date,
        # ClickUp documents time_estimate as a string of milliseconds (it is sent as a number).
        "time_estimate": None if time_estimate is None else str(time_estimate),
        "custom_fields": [],
        "dependencies": [],
        "linked_tasks": [],
        "locations": [],
        "team_id": team_id,
        "url": task_url(task_id),
        "sharing": SHARING,
        "permission_level": "create",
        "list": {"id": home["id"], "name": home["name"], "access": True},
        "project": _folder_ref(folder),
        "folder": _folder_ref(folder),
        "space": {"id": space_id},
    }


def _folder_ref(folder: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": folder["id"], "name": folder["name"], "hidden": folder["hidden"], "access": True}


def build_comment(
    *,
    comment_id: str,
    text: str,
    user: Mapping[str, Any],
    date: str,
    parent: Mapping[str, str],
    assignee: Mapping[str, Any] | None = None,
    assigned_by: Mapping[str, Any] | None = None,
) -> Record:
    """A comment (``parent``: ``{"type": "task"|"comment", "id"}``, kept as ``_parent``)."""
    return {
        "id": comment_id,
        "comment": [{"text": text}],
        "comment_text": text,
        "user": short_user(user),
        "assignee": None if assignee is None else short_user(assignee),
        "assigned_by": None if assigned_by is None else short_user(assigned_by),
        "resolved": False,
        "reactions": [],
        "date": date,
        "_parent": dict(parent),
    }
