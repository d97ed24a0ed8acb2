"""Resolvers of the ``Query`` root and of the object types' computed and related fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ariadne import ObjectType, QueryType

from mockapis.linear import filters
from mockapis.linear.connections import connection
from mockapis.linear.data import TABLES
from mockapis.linear.lookups import (
    context_of,
    find,
    find_issue,
    find_project,
    find_team,
    identifier,
    live,
    organization,
    rows,
)
from mockapis.tables import Record

if TYPE_CHECKING:
    from mockapis.linear.lookups import Info

__all__ = ["BINDABLES", "PRIORITY_LABELS"]

PRIORITY_LABELS = {0: "No priority", 1: "Urgent", 2: "High", 3: "Medium", 4: "Low"}

Resolver = Callable[..., Any]


def _listing(
    entity: str, spec: filters.Spec, scope: Callable[[Any], Callable[[Record], bool]] | None = None
) -> Resolver:
    """A connection resolver over ``entity``'s rows (those ``scope(parent)`` keeps), honouring
    ``filter``, ``includeArchived`` and the paging arguments."""

    def resolve(parent: Any, info: Info, **args: Any) -> dict[str, Any]:
        ctx = context_of(info)
        found = live(rows(ctx.world, entity), args)
        if scope is not None:
            keep = scope(parent)
            found = [row for row in found if keep(row)]
        if entity == "users" and not args.get("includeDisabled"):
            found = [row for row in found if row["active"]]
        flt = args.get("filter")
        if flt:
            found = [row for row in found if filters.matches(row, flt, spec, ctx.filters)]
        return connection(found, args)

    return resolve


def _related(entity: str, field: str, name: str) -> Resolver:
    """A resolver following ``parent[field]`` to a row of ``entity`` (None when empty)."""

    def resolve(parent: Record, info: Info) -> Record | None:
        row_id = parent.get(field)
        if not row_id:
            return None
        return find(context_of(info).world, entity, row_id, name)

    return resolve


query = QueryType()
query.set_field("users", _listing("users", filters.USER))
query.set_field("teams", _listing("teams", filters.TEAM))
query.set_field("projects", _listing("projects", filters.PROJECT))
query.set_field("issues", _listing("issues", filters.ISSUE))
query.set_field("comments", _listing("comments", filters.COMMENT))
query.set_field("workflowStates", _listing("states", filters.STATE))


@query.field("viewer")
def _viewer(_: Any, info: Info) -> Record:
    ctx = context_of(info)
    return find(ctx.world, "users", ctx.viewer_id, "User")


@query.field("organization")
def _organization(_: Any, info: Info) -> Record:
    return organization(context_of(info).world)


@query.field("user")
def _user(_: Any, info: Info, id: str) -> Record:
    return find(context_of(info).world, "users", id, "User")


@query.field("team")
def _team(_: Any, info: Info, id: str) -> Record:
    return find_team(context_of(info).world, id)


@query.field("project")
def _project(_: Any, info: Info, id: str) -> Record:
    return find_project(context_of(info).world, id)


@query.field("issue")
def _issue(_: Any, info: Info, id: str) -> Record:
    return find_issue(context_of(info).world, id)


@query.field("comment")
def _comment(_: Any, info: Info, id: str | None = None) -> Record:
    return find(context_of(info).world, "comments", id, "Comment")


@query.field("workflowState")
def _workflow_state(_: Any, info: Info, id: str) -> Record:
    return find(context_of(info).world, "states", id, "WorkflowState")


def _url_key(info: Info) -> str:
    return str(organization(context_of(info).world)["urlKey"])


user = ObjectType("User")
user.set_field("isMe", lambda row, info: row["id"] == context_of(info).viewer_id)
user.set_field(
    "url", lambda row, info: f"https://linear.app/{_url_key(info)}/profiles/{row['displayName']}"
)
user.set_field(
    "assignedIssues",
    _listing("issues", filters.ISSUE, lambda u: lambda row: row["assigneeId"] == u["id"]),
)
user.set_field(
    "teams", _listing("teams", filters.TEAM, lambda u: lambda row: u["id"] in row["memberIds"])
)

team = ObjectType("Team")
team.set_field(
    "issues", _listing("issues", filters.ISSUE, lambda t: lambda row: row["teamId"] == t["id"])
)
team.set_field(
    "members", _listing("users", filters.USER, lambda t: lambda row: row["id"] in t["memberIds"])
)
team.set_field(
    "states", _listing("states", filters.STATE, lambda t: lambda row: row["teamId"] == t["id"])
)
team.set_field(
    "projects",
    _listing("projects", filters.PROJECT, lambda t: lambda row: t["id"] in row["teamIds"]),
)

workflow_state = ObjectType("WorkflowState")
workflow_state.set_field("team", _related("teams", "teamId", "Team"))
workflow_state.set_field(
    "issues", _listing("issues", filters.ISSUE, lambda s: lambda row: row["stateId"] == s["id"])
)

project = ObjectType("Project")
project.set_field("lead", _related("users", "leadId", "User"))
project.set_field(
    "url",
    lambda row, info: f"https://linear.app/{_url_key(info)}/project/{row['slugId']}",
)
project.set_field(
    "teams",
    _listing("teams", filters.TEAM, lambda p: lambda row: row["id"] in p["teamIds"]),
)
project.set_field(
    "issues",
    _listing("issues", filters.ISSUE, lambda p: lambda row: row["projectId"] == p["id"]),
)


@project.field("progress")
def _progress(row: Record, info: Info) -> float:
    world = context_of(info).world
    states = world.table(TABLES["states"])
    types = [
        states[i["stateId"]]["type"]
        for i in rows(world, "issues")
        if i["projectId"] == row["id"] and not i.get("archivedAt")
    ]
    counted = [t for t in types if t not in ("canceled", "duplicate")]
    return round(sum(t == "completed" for t in counted) / len(counted), 4) if counted else 0.0


issue = ObjectType("Issue")
issue.set_field("identifier", lambda row, info: identifier(context_of(info).world, row))
issue.set_field("priorityLabel", lambda row, info: PRIORITY_LABELS.get(int(row["priority"]), ""))
issue.set_field("team", _related("teams", "teamId", "Team"))
issue.set_field("state", _related("states", "stateId", "WorkflowState"))
issue.set_field("assignee", _related("users", "assigneeId", "User"))
issue.set_field("creator", _related("users", "creatorId", "User"))
issue.set_field("project", _related("projects", "projectId", "Project"))
issue.set_field("parent", _related("issues", "parentId", "Issue"))
issue.set_field(
    "children",
    _listing("issues", filters.ISSUE, lambda i: lambda row: row["parentId"] == i["id"]),
)
issue.set_field(
    "comments",
    _listing("comments", filters.COMMENT, lambda i: lambda row: row["issueId"] == i["id"]),
)


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-")


@issue.field("url")
def _issue_url(row: Record, info: Info) -> str:
    ident = identifier(context_of(info).world, row)
    return f"https://linear.app/{_url_key(info)}/issue/{ident}/{_slug(row['title'])}"


@issue.field("branchName")
def _branch_name(row: Record, info: Info) -> str:
    world = context_of(info).world
    owner = world.table(TABLES["users"]).get(str(row.get("assigneeId") or row["creatorId"]))
    handle = str(owner["displayName"]) if owner else "linear"
    return f"{handle}/{identifier(world, row).lower()}-{_slug(row['title'], 40)}"


comment = ObjectType("Comment")
comment.set_field("issue", _related("issues", "issueId", "Issue"))
comment.set_field("user", _related("users", "userId", "User"))


@comment.field("url")
def _comment_url(row: Record, info: Info) -> str:
    world = context_of(info).world
    parent = world.table(TABLES["issues"]).get(row["issueId"])
    ident = identifier(world, parent) if parent else "unknown"
    return f"https://linear.app/{_url_key(info)}/issue/{ident}#comment-{row['id'][:8]}"


BINDABLES = (query, user, team, workflow_state, project, issue, comment)
