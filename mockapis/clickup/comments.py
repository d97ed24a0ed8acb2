"""Comments: a task's comments 25 at a time (newest first, paged by ``start`` and
``start_id``), threaded replies, and posting either."""

from __future__ import annotations

from typing import Any

from mockapis.clickup import lookup
from mockapis.clickup.access import Call, endpoint, public
from mockapis.clickup.records import build_comment
from mockapis.kit.errors import ApiError
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["PAGE_SIZE", "ROUTES", "render_comment"]

PAGE_SIZE = 25
"""Comments per page of ``GET /task/{task_id}/comment``."""


def _children(world: World, kind: str, parent_id: str) -> list[Record]:
    return [
        c
        for c in world.table("clickup.comments").values()
        if c["_parent"]["type"] == kind and c["_parent"]["id"] == parent_id
    ]


def render_comment(world: World, row: Record) -> dict[str, Any]:
    """A comment as the API shows it, with its ``reply_count`` (a string, as ClickUp's)."""
    replies = len(_children(world, "comment", row["id"])) if row["_parent"]["type"] == "task" else 0
    return {**public(row), "reply_count": str(replies)}


def _order(row: Record) -> tuple[int, int]:
    return int(row["date"]), int(row["id"])


async def get_task_comments(call: Call) -> Any:
    """The 25 newest comments of a task older than ``start``/``start_id`` (if given)."""
    task = lookup.task(call)
    start = call.integer("start")
    start_id = call.query("start_id")
    if start_id is not None and start is None:
        raise ApiError(
            400,
            "start_id needs start: pass the date and id of the oldest comment you have.",
            code="INPUT_005",
        )
    if start_id is not None and not start_id.isdigit():
        raise ApiError(
            400, f"start_id must be a comment id; got {start_id[:40]!r}.", code="INPUT_005"
        )
    found = sorted(_children(call.world, "task", task["id"]), key=_order, reverse=True)
    if start is not None:
        cursor = (start, int(start_id)) if start_id is not None else (start, -1)
        found = [c for c in found if _order(c) < cursor]
    return {"comments": [render_comment(call.world, c) for c in found[:PAGE_SIZE]]}


async def get_replies(call: Call) -> Any:
    """Every threaded reply of a comment, oldest first."""
    parent = lookup.comment(call)
    replies = sorted(_children(call.world, "comment", parent["id"]), key=_order)
    return {"comments": [render_comment(call.world, c) for c in replies]}


async def post_task_comment(call: Call) -> Any:
    """A new comment on a task."""
    task = lookup.task(call)
    return await _post(call, {"type": "task", "id": task["id"]})


async def post_reply(call: Call) -> Any:
    """A new threaded reply to a comment."""
    parent = lookup.comment(call)
    if parent["_parent"]["type"] != "task":
        raise ApiError(400, "Replies cannot be replied to; reply to the comment.", code="INPUT_005")
    return await _post(call, {"type": "comment", "id": parent["id"]})


async def _post(call: Call, parent: Record) -> Any:
    body = await call.body()
    text = body.get("comment_text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Comment text invalid: comment_text is required", code="INPUT_005")
    assignee = body.get("assignee")
    users = call.world.table("clickup.users")
    if assignee is not None and (
        isinstance(assignee, bool) or not isinstance(assignee, int) or str(assignee) not in users
    ):
        raise ApiError(400, "Assignee must be a user id of the workspace", code="INPUT_005")
    world = call.world
    now = world.clock.now_ns // 1_000_000
    comments = world.table("clickup.comments")
    comment_id = str(90_000_000_000_000 + world.next_id("clickup.comment"))
    while comment_id in comments:
        comment_id = str(90_000_000_000_000 + world.next_id("clickup.comment"))
    comments.put(
        comment_id,
        build_comment(
            comment_id=comment_id,
            text=text,
            user=call.user,
            date=str(now),
            parent=parent,
            assignee=None if assignee is None else users[str(assignee)],
            assigned_by=None if assignee is None else call.user,
        ),
    )
    return {"id": comment_id, "hist_id": f"{comment_id}-{now}", "date": now}


ROUTES = [
    endpoint(
        "/api/v2/task/{task_id}/comment", {"GET": get_task_comments, "POST": post_task_comment}
    ),
    endpoint("/api/v2/comment/{comment_id}/reply", {"GET": get_replies, "POST": post_reply}),
]
