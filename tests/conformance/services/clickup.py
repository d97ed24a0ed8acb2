"""clickup in the conformance suite: extra cases, allow-list, whether it conforms.

ClickUp's excerpts document only the 200 answer of each operation (no error bodies), so the
error cases here are checked for their status alone. The cases play in
``clickup.task-comments-with-replies``, whose task id is an input; the space, folder, list,
comment and user they name are read from its world at the cases' seed
(:func:`~tests.conformance.cases.seeded_id`), so they exist in whatever world it draws.
"""

from __future__ import annotations

import functools
from typing import Any

from tests.conformance.cases import Case, Deferred, case, seeded_id, seeded_rows

PENDING = False
"""Every response conforms, apart from the allow-list below (issue 18)."""

_SCENARIO = "clickup.task-comments-with-replies"


_case = functools.partial(case, _SCENARIO)


def _open(row: Any) -> bool:
    return not row.get("archived")


def _cases() -> list[Case]:
    space = seeded_id(_SCENARIO, "clickup.spaces", where=_open)
    folder = seeded_id(_SCENARIO, "clickup.folders", where=_open)
    listed = seeded_id(_SCENARIO, "clickup.lists", where=_open)
    comment = seeded_id(
        _SCENARIO, "clickup.comments", where=lambda r: r["_parent"]["type"] == "task"
    )
    (token,) = seeded_rows(_SCENARIO, "clickup._tokens").values()
    return [
        _case(200, "GET", "/api/v2/user", note="the token's user"),
        _case(200, "GET", f"/api/v2/space/{space}", note="one space"),
        _case(200, "GET", f"/api/v2/folder/{folder}", note="one folder"),
        _case(200, "GET", f"/api/v2/folder/{folder}/list", note="a folder's lists"),
        _case(200, "GET", f"/api/v2/list/{listed}", note="one list"),
        _case(200, "GET", "/api/v2/task/{task.inputs.task_id}", note="one task"),
        _case(
            200,
            "POST",
            "/api/v2/task/{task.inputs.task_id}/comment",
            {"comment_text": "Looks good to me", "notify_all": False},
            note="a new comment",
        ),
        _case(
            200,
            "POST",
            f"/api/v2/comment/{comment}/reply",
            {"comment_text": "Agreed", "notify_all": False},
            note="a new reply to a top-level comment",
        ),
        _case(
            200,
            "POST",
            f"/api/v2/list/{listed}/task",
            {
                "name": "Rotate the API keys",
                "description": "Before the audit",
                "assignees": [int(token["user_id"])],
                "tags": ["backend"],
                "status": "in progress",
                "priority": 2,
                "due_date": 1710028800000,
                "start_date": 1709424000000,
                "time_estimate": 8640000,
            },
            note="a task with every field set, assigned to the token's user",
        ),
        _case(400, "GET", "/api/v2/user", auth=False, note="OAUTH_017 no token"),
        _case(401, "GET", "/api/v2/task/nope", note="ITEM_013 unknown task"),
        _case(400, "POST", f"/api/v2/list/{listed}/task", {"nope": 1}, note="no task name"),
        _case(
            400, "POST", "/api/v2/task/{task.inputs.task_id}/comment", {}, note="no comment_text"
        ),
    ]


CASES = Deferred(_cases)
"""Requests no scenario's solution sends: documented errors, operations no solution needs."""

_TEAM_TASKS = (
    "ClickUp's description of the same task object in Get Filtered Team Tasks "
    "(GET /v2/team/{team_Id}/task; https://clickup.com/api/clickupreference/operation/"
    "GetFilteredTeamTasks/) documents assignees and watchers as user objects "
    "({id, username, color, email, profilePicture}), tags as {name, tag_fg, tag_bg} objects and "
    "custom_fields as an array of field objects, as the live API sends them; Get Tasks' and "
    "Get Task's `string` items (and Get Tasks' object custom_fields) are placeholders"
)
_TASK_ITEMS = (
    r"(assignees|watchers)/\d+: fails type: string"
    r"|tags/\d+: (\{.*\} is not of type 'string'|fails type: string)"
    r"|custom_fields: \[\] is not of type 'object'"
)
_LIST_NULLS = (
    "Get List types status and priority as objects and due_date as a string, where Get Lists "
    "and Get Folderless Lists document the same list object with status/priority null-able "
    '(their examples: `"assignee": null`, `"start_date": null`) and due_date string|null; '
    "a list without a colour status, priority or due date has nulls on the live API"
)
_COMMENT_NULLS = (
    "An unassigned comment has `assignee: null, assigned_by: null`: so ClickUp documents the "
    "same comment object in Get Chat View Comments (getChatViewComments; its example and its "
    "string|null type), where Get Task Comments and Get Threaded Comments only show an "
    "assigned comment"
)

ALLOWANCES: list[dict[str, Any]] = [
    {
        "operation": "GET /v2/list/{list_id}/task",
        "match": rf"^tasks/\d+/({_TASK_ITEMS})",
        "reason": _TEAM_TASKS,
    },
    {"operation": "GET /v2/task/{task_id}", "match": rf"^({_TASK_ITEMS})", "reason": _TEAM_TASKS},
    {
        "operation": "POST /v2/list/{list_id}/task",
        "match": rf"^({_TASK_ITEMS})",
        "reason": _TEAM_TASKS,
    },
    {
        "operation": "GET /v2/space/{space_id}/folder",
        "match": r"^folders: fails type: object$",
        "reason": "Get Folders types `folders` as one folder object; its own example (and the "
        "live API) has an array of folders, as the operation's name says",
    },
    {
        "operation": "GET /v2/folder/{folder_id}",
        "match": r"^lists/\d+: fails type: string$",
        "reason": "Get Folder types the folder's `lists` items as strings (its example: `[]`); "
        "the live API returns the folder's list objects, which Get Folder Lists documents",
    },
    {
        "operation": "GET /v2/list/{list_id}",
        "match": r"^((status|priority): None is not of type 'object'"
        r"|due_date: None is not of type 'string')$",
        "reason": _LIST_NULLS,
    },
    *(
        {
            "operation": operation,
            "match": r"^comments/\d+/(assignee|assigned_by): None is not of type 'object'$",
            "reason": _COMMENT_NULLS,
        }
        for operation in ("GET /v2/task/{task_id}/comment", "GET /v2/comment/{comment_id}/reply")
    ),
]
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
