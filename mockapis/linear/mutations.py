"""Resolvers of the ``Mutation`` root: ``issueCreate``, ``issueUpdate`` (with labels and
cycles), ``issueAddLabel``, ``issueRemoveLabel``, ``issueArchive``, ``commentCreate``,
``commentUpdate``, ``issueLabelCreate``.

Each returns Linear's payload (``success``, ``lastSyncId`` and the entity). Invalid input is
a resolver error next to ``data`` (HTTP 200), and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ariadne import MutationType

from mockapis.linear.data import TABLES, add_issue, state_times
from mockapis.linear.errors import LinearError, argument_error, not_found
from mockapis.linear.lookups import (
    context_of,
    find,
    find_issue,
    find_project,
    find_team,
    now_iso,
)
from mockapis.tables import Record
from mockapis.world import World

if TYPE_CHECKING:
    from mockapis.linear.lookups import Info

__all__ = ["BINDABLES", "MAX_TITLE", "mutation"]

MAX_TITLE = 255
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

mutation = MutationType()


def _sync_id(world: World) -> float:
    return float(world.next_id("linear.sync") + 1_000_000)


def _priority(value: Any) -> int:
    if value < 0:
        raise argument_error("priority", value, "min", "priority must not be less than 0")
    if value > 4:
        raise argument_error("priority", value, "max", "priority must not be greater than 4")
    return int(value)


def _title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise argument_error("title", value, "isNotEmpty", "title should not be empty")
    if len(value) > MAX_TITLE:
        raise argument_error(
            "title",
            value,
            "maxLength",
            f"title must be shorter than or equal to {MAX_TITLE} characters",
        )
    return value


def _state_for(world: World, team_id: str, state_id: str | None) -> Record:
    """The issue's state: ``state_id`` (which must be one of the team's), else the team's
    first backlog (else unstarted) state."""
    states = world.table(TABLES["states"])
    if state_id is not None:
        state = find(world, "states", state_id, "WorkflowState")
        if state["teamId"] != team_id:
            raise LinearError(
                "Workflow state does not belong to the issue's team",
                user_message="The workflow state must belong to the issue's team.",
            )
        return state
    own = sorted(
        (s for s in states.values() if s["teamId"] == team_id), key=lambda s: s["position"]
    )
    for wanted in ("backlog", "unstarted"):
        for state in own:
            if state["type"] == wanted:
                return state
    raise not_found("WorkflowState")


def _references(world: World, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The relation fields of an input (``assigneeId``, ``projectId``, ``parentId``), checked."""
    found: dict[str, Any] = {}
    if "assigneeId" in fields:
        value = fields["assigneeId"]
        found["assigneeId"] = find(world, "users", value, "User")["id"] if value else None
    if "projectId" in fields:
        value = fields["projectId"]
        found["projectId"] = find_project(world, value)["id"] if value else None
    if "parentId" in fields:
        value = fields["parentId"]
        found["parentId"] = find_issue(world, value)["id"] if value else None
    return found


def _planning(
    world: World, team_id: str, fields: Mapping[str, Any], before: Record | None = None
) -> dict[str, Any]:
    """The cycle and labels of an input (``cycleId``; ``labelIds``, or ``addedLabelIds`` and
    ``removedLabelIds`` on an update), checked to be the team's (a label may also be the
    workspace's)."""
    found: dict[str, Any] = {}
    if "cycleId" in fields:
        ref = fields["cycleId"]
        cycle = find(world, "cycles", ref, "Cycle") if ref else None
        if cycle is not None and cycle["teamId"] != team_id:
            raise LinearError(
                "Cycle does not belong to the issue's team",
                user_message="The cycle must belong to the issue's team.",
            )
        found["cycleId"] = cycle["id"] if cycle else None
    current = list((before or {}).get("labelIds") or ())
    labels = fields.get("labelIds")
    added, removed = fields.get("addedLabelIds"), fields.get("removedLabelIds")
    if labels is None and added is None and removed is None:
        return found
    chosen = list(labels) if labels is not None else current
    chosen += [ref for ref in added or () if ref not in chosen]
    chosen = [ref for ref in chosen if ref not in set(removed or ())]
    for ref in chosen:
        label = find(world, "labels", ref, "IssueLabel")
        if label["teamId"] not in (None, team_id):
            raise LinearError(
                "LabelIds for incorrect team",
                user_message="The label must be a workspace label or one of the issue's team.",
            )
    found["labelIds"] = list(dict.fromkeys(chosen))
    return found


def _scalars(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The plain fields of an input (``description``, ``estimate``, ``dueDate``, ...)."""
    found: dict[str, Any] = {}
    for name in ("description", "estimate", "dueDate"):
        if name in fields:
            found[name] = fields[name]
    if "title" in fields:
        found["title"] = _title(fields.get("title"))
    if fields.get("priority") is not None:
        found["priority"] = _priority(fields["priority"])
    return found


@mutation.field("issueCreate")
def _issue_create(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    world = ctx.world
    issues = world.table(TABLES["issues"])
    team = find(world, "teams", input["teamId"], "Team")
    issue_id = input.get("id")
    if issue_id is not None and not _UUID.match(str(issue_id)):
        raise argument_error("id", issue_id, "isUuid", "id must be a UUID")
    if issue_id is not None and issue_id in issues:
        raise LinearError(
            "Entity already exists", user_message="An issue with this id already exists."
        )
    fields = {"priority": 0, **_scalars({"title": input.get("title"), **input})}
    fields.update(_references(world, input))
    fields.update(_planning(world, team["id"], input))
    state = _state_for(world, team["id"], input.get("stateId"))
    row = add_issue(
        world,
        issue_id=issue_id or world.uuid4(),
        team_id=team["id"],
        state=state,
        creator_id=ctx.viewer_id,
        at=now_iso(world),
        fields=fields,
    )
    return {"success": True, "issue": row, "lastSyncId": _sync_id(world)}


@mutation.field("issueUpdate")
def _issue_update(_: Any, info: Info, id: str, input: dict[str, Any]) -> dict[str, Any]:
    world = context_of(info).world
    before = find_issue(world, id)
    changes = _scalars({k: v for k, v in input.items() if k != "title" or v is not None})
    changes.update(_references(world, input))
    changes.update(_planning(world, before["teamId"], input, before))
    if changes.get("parentId") == before["id"]:
        raise LinearError(
            "An issue cannot be its own parent", user_message="An issue cannot be its own parent."
        )
    if input.get("stateId") is not None:
        state = _state_for(world, before["teamId"], input["stateId"])
        changes["stateId"] = state["id"]
        changes.update(state_times(state, now_iso(world), before))
    row = {**before, **changes, "updatedAt": now_iso(world)}
    world.table(TABLES["issues"]).put(row["id"], row)
    return {"success": True, "issue": row, "lastSyncId": _sync_id(world)}


@mutation.field("commentCreate")
def _comment_create(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    world = ctx.world
    comments = world.table(TABLES["comments"])
    body = input.get("body")
    if not isinstance(body, str) or not body.strip():
        raise argument_error("body", body, "isNotEmpty", "body should not be empty")
    ref = input.get("issueId")
    if not ref:
        raise argument_error("issueId", ref, "isString", "issueId must be a string")
    issue = find_issue(world, ref)
    comment_id = input.get("id")
    if comment_id is not None and (not _UUID.match(str(comment_id)) or comment_id in comments):
        raise argument_error("id", comment_id, "isUuid", "id must be an unused UUID")
    now = now_iso(world)
    row: Record = {
        "id": comment_id or world.uuid4(),
        "issueId": issue["id"],
        "userId": ctx.viewer_id,
        "body": body,
        "createdAt": now,
        "updatedAt": now,
        "editedAt": None,
        "archivedAt": None,
    }
    comments.put(row["id"], row)
    return {"success": True, "comment": row, "lastSyncId": _sync_id(world)}


def _relabel(info: Info, id: str, change: Mapping[str, Any]) -> dict[str, Any]:
    world = context_of(info).world
    before = find_issue(world, id)
    changes = _planning(world, before["teamId"], change, before)
    row = {**before, **changes, "updatedAt": now_iso(world)}
    world.table(TABLES["issues"]).put(row["id"], row)
    return {"success": True, "issue": row, "lastSyncId": _sync_id(world)}


@mutation.field("issueAddLabel")
def _issue_add_label(_: Any, info: Info, id: str, labelId: str) -> dict[str, Any]:
    return _relabel(info, id, {"addedLabelIds": [labelId]})


@mutation.field("issueRemoveLabel")
def _issue_remove_label(_: Any, info: Info, id: str, labelId: str) -> dict[str, Any]:
    find(context_of(info).world, "labels", labelId, "IssueLabel")
    return _relabel(info, id, {"removedLabelIds": [labelId]})


@mutation.field("issueArchive")
def _issue_archive(_: Any, info: Info, id: str) -> dict[str, Any]:
    world = context_of(info).world
    before = find_issue(world, id)
    now = now_iso(world)
    row = {**before, "archivedAt": before.get("archivedAt") or now, "updatedAt": now}
    world.table(TABLES["issues"]).put(row["id"], row)
    return {"success": True, "entity": row, "lastSyncId": _sync_id(world)}


@mutation.field("commentUpdate")
def _comment_update(_: Any, info: Info, id: str, input: dict[str, Any]) -> dict[str, Any]:
    world = context_of(info).world
    before = find(world, "comments", id, "Comment")
    row = dict(before)
    if input.get("body") is not None:
        if not input["body"].strip():
            raise argument_error("body", input["body"], "isNotEmpty", "body should not be empty")
        now = now_iso(world)
        row.update(body=input["body"], editedAt=now, updatedAt=now)
    world.table(TABLES["comments"]).put(row["id"], row)
    return {"success": True, "comment": row, "lastSyncId": _sync_id(world)}


_LABEL_COLOR = "#bec2c8"
"""A new label's color when none is given (Linear picks one; here always the same)."""


@mutation.field("issueLabelCreate")
def _issue_label_create(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    world = context_of(info).world
    labels = world.table(TABLES["labels"])
    name = input["name"]
    if not name.strip():
        raise argument_error("name", name, "isNotEmpty", "name should not be empty")
    team_id = find_team(world, input["teamId"])["id"] if input.get("teamId") else None
    clash = [
        lb
        for lb in labels.values()
        if lb["name"].casefold() == name.strip().casefold()
        and not lb.get("archivedAt")
        and (lb["teamId"] is None or team_id is None or lb["teamId"] == team_id)
    ]
    if clash:
        raise LinearError(
            "Duplicate label name", user_message=f"A label named {name.strip()} already exists."
        )
    label_id = input.get("id")
    if label_id is not None and (not _UUID.match(str(label_id)) or label_id in labels):
        raise argument_error("id", label_id, "isUuid", "id must be an unused UUID")
    now = now_iso(world)
    row: Record = {
        "id": label_id or world.uuid4(),
        "name": name.strip(),
        "description": input.get("description"),
        "color": input.get("color") or _LABEL_COLOR,
        "isGroup": False,
        "teamId": team_id,
        "parentId": None,
        "createdAt": now,
        "updatedAt": now,
        "archivedAt": None,
    }
    labels.put(row["id"], row)
    return {"success": True, "issueLabel": row, "lastSyncId": _sync_id(world)}


BINDABLES = (mutation,)
