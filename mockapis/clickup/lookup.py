"""Finding a workspace item by the id in the path, with ClickUp's refusals for unknown ids.

ClickUp does not say "not found" for a space, folder, list or comment it cannot show you: it
answers 401 ``OAUTH_023`` ("Team(s) not authorized"), an unknown workspace 401 ``OAUTH_027``,
and an unknown task 401 ``ITEM_013`` ("Task not found").
"""

from __future__ import annotations

from mockapis.clickup.access import Call
from mockapis.kit.errors import ApiError
from mockapis.tables import Record

__all__ = ["comment", "folder", "list_", "space", "task", "team"]


def _row(call: Call, table: str, param: str) -> Record | None:
    return call.world.table(f"clickup.{table}").get(call.param(param))


def _not_authorized() -> ApiError:
    return ApiError(401, "Team(s) not authorized", code="OAUTH_023")


def team(call: Call) -> Record:
    """The workspace ``{team_id}``, which the user must belong to."""
    row = _row(call, "teams", "team_id")
    if row is None or all(m["user"]["id"] != call.user["id"] for m in row["members"]):
        raise ApiError(401, "Team not authorized", code="OAUTH_027")
    return row


def space(call: Call) -> Record:
    """The space ``{space_id}``."""
    row = _row(call, "spaces", "space_id")
    if row is None:
        raise _not_authorized()
    return row


def folder(call: Call) -> Record:
    """The folder ``{folder_id}``."""
    row = _row(call, "folders", "folder_id")
    if row is None:
        raise _not_authorized()
    return row


def list_(call: Call) -> Record:
    """The list ``{list_id}``."""
    row = _row(call, "lists", "list_id")
    if row is None:
        raise _not_authorized()
    return row


def task(call: Call) -> Record:
    """The task ``{task_id}``."""
    row = _row(call, "tasks", "task_id")
    if row is None:
        raise ApiError(401, "Task not found", code="ITEM_013")
    return row


def comment(call: Call) -> Record:
    """The comment ``{comment_id}``."""
    row = _row(call, "comments", "comment_id")
    if row is None:
        raise _not_authorized()
    return row
