"""Resolvers of the ``Query`` root and of the object types' computed and related fields."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ariadne import ObjectType, QueryType

from mockapis.linear import filters
from mockapis.linear.connections import connection
from mockapis.linear.data import TABLES
from mockapis.linear.errors import argument_error
from mockapis.linear.lookups import (
    Context,
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
from mockapis.linear.planning import cycle_flags
from mockapis.tables import Record
from mockapis.world import World

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
query.set_field("issueLabels", _listing("labels", filters.LABEL))
query.set_field("cycles", _listing("cycles", filters.CYCLE))


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


@query.field("issueLabel")
def _issue_label(_: Any, info: Info, id: str) -> Record:
    return find(context_of(info).world, "labels", id, "IssueLabel")


@query.field("cycle")
def _cycle(_: Any, info: Info, id: str) -> Record:
    return find(context_of(info).world, "cycles", id, "Cycle")


@query.field("searchIssues")
def _search_issues(_: Any, info: Info, term: str, **args: Any) -> dict[str, Any]:
    if not term.split():
        raise argument_error("term", term, "isNotEmpty", "term should not be empty")
    found = _search(context_of(info), term, args)
    return {**connection(found, args), "totalCount": float(len(found))}


@query.field("issueSearch")
def _issue_search(_: Any, info: Info, query: str | None = None, **args: Any) -> dict[str, Any]:
    return connection(_search(context_of(info), query or "", args), args)


def _search(ctx: Context, term: str, args: Mapping[str, Any]) -> list[Record]:
    """The issues holding every word of ``term`` (all issues for no word), per the search
    arguments (``teamId``, ``includeComments``, ``filter``, ``includeArchived``)."""
    words = term.casefold().split()
    found = live(rows(ctx.world, "issues"), args)
    if args.get("teamId"):
        team_id = find_team(ctx.world, args["teamId"])["id"]
        found = [row for row in found if row["teamId"] == team_id]
    texts = _comment_texts(ctx.world) if args.get("includeComments") else {}
    found = [
        row
        for row in found
        if all(
            word in _searchable(ctx.world, row) or word in texts.get(row["id"], "")
            for word in words
        )
    ]
    flt = args.get("filter")
    if flt:
        found = [row for row in found if filters.matches(row, flt, filters.ISSUE, ctx.filters)]
    return found


def _searchable(world: World, row: Record) -> str:
    """What a search term is looked for in: the identifier, title and description."""
    return f"{identifier(world, row)} {row['title']} {row.get('description') or ''}".casefold()


def _comment_texts(world: World) -> dict[str, str]:
    """Each issue's comment bodies, joined (for ``includeComments``)."""
    found: dict[str, str] = {}
    for row in live(rows(world, "comments"), {}):
        found[row["issueId"]] = found.get(row["issueId"], "") + " " + row["body"].casefold()
    return found


def _url_key(info: Info) -> str:
    return str(organization(context_of(info).world)["urlKey"])


organization_type = ObjectType("Organization")
organization_type.set_field("teams", _listing("teams", filters.TEAM))
organization_type.set_field("users", _listing("users", filters.USER))
organization_type.set_field(
    "labels", _listing("labels", filters.LABEL, lambda _: lambda row: row["teamId"] is None)
)

user = ObjectType("User")
user.set_field("organization", lambda _, info: organization(context_of(info).world))
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
team.set_field(
    "cycles", _listing("cycles", filters.CYCLE, lambda t: lambda row: row["teamId"] == t["id"])
)
team.set_field(
    "labels", _listing("labels", filters.LABEL, lambda t: lambda row: row["teamId"] == t["id"])
)


@team.field("activeCycle")
def _active_cycle(row: Record, info: Info) -> Record | None:
    ctx = context_of(info)
    own = [c for c in live(rows(ctx.world, "cycles"), {}) if c["teamId"] == row["id"]]
    now = ctx.filters.now_iso
    return next((c for c in own if cycle_flags(c, own, now)["isActive"]), None)


label = ObjectType("IssueLabel")
label.set_field("team", _related("teams", "teamId", "Team"))
label.set_field("parent", _related("labels", "parentId", "IssueLabel"))
label.set_field(
    "issues",
    _listing("issues", filters.ISSUE, lambda lb: lambda row: lb["id"] in row["labelIds"]),
)

cycle = ObjectType("Cycle")
cycle.set_field("team", _related("teams", "teamId", "Team"))
cycle.set_field(
    "issues", _listing("issues", filters.ISSUE, lambda c: lambda row: row["cycleId"] == c["id"])
)


def _cycle_flag(flag: str, row: Record, info: Info) -> bool:
    ctx = context_of(info)
    return cycle_flags(row, filters.team_cycles(ctx.world, row), ctx.filters.now_iso)[flag]


for _flag in ("isActive", "isFuture", "isPast", "isNext", "isPrevious"):
    cycle.set_field(_flag, functools.partial(_cycle_flag, _flag))

_PROGRESS = {"completed": 1.0, "started": 0.25}


@cycle.field("progress")
def _cycle_progress(row: Record, info: Info) -> float:
    """As Linear's schema documents it: (completed estimate points + 0.25 x in-progress
    estimate points) / total estimate points, 0 without estimate points."""
    world = context_of(info).world
    states = world.table(TABLES["states"])
    points = [
        (float(i.get("estimate") or 0), states[i["stateId"]]["type"])
        for i in live(rows(world, "issues"), {})
        if i["cycleId"] == row["id"]
    ]
    total = sum(p for p, _ in points)
    done = sum(p * _PROGRESS.get(t, 0.0) for p, t in points)
    return round(done / total, 4) if total else 0.0


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
search_result = ObjectType("IssueSearchResult")
"""A search result is the issue's row: it resolves its fields as an issue does."""


def _set_issue_field(name: str, resolver: Resolver) -> None:
    """Resolve ``name`` with ``resolver`` on issues and on search results alike."""
    issue.set_field(name, resolver)
    search_result.set_field(name, resolver)


def _issue_field(name: str) -> Callable[[Resolver], Resolver]:
    """A decorator form of :func:`_set_issue_field`."""

    def bind(resolver: Resolver) -> Resolver:
        _set_issue_field(name, resolver)
        return resolver

    return bind


_set_issue_field("identifier", lambda row, info: identifier(context_of(info).world, row))
_set_issue_field("priorityLabel", lambda row, info: PRIORITY_LABELS.get(int(row["priority"]), ""))
_set_issue_field("team", _related("teams", "teamId", "Team"))
_set_issue_field("state", _related("states", "stateId", "WorkflowState"))
_set_issue_field("assignee", _related("users", "assigneeId", "User"))
_set_issue_field("creator", _related("users", "creatorId", "User"))
_set_issue_field("project", _related("projects", "projectId", "Project"))
_set_issue_field("parent", _related("issues", "parentId", "Issue"))
_set_issue_field("cycle", _related("cycles", "cycleId", "Cycle"))
_set_issue_field(
    "labels",
    _listing("labels", filters.LABEL, lambda i: lambda row: row["id"] in i["labelIds"]),
)
_set_issue_field(
    "children",
    _listing("issues", filters.ISSUE, lambda i: lambda row: row["parentId"] == i["id"]),
)
_set_issue_field(
    "comments",
    _listing("comments", filters.COMMENT, lambda i: lambda row: row["issueId"] == i["id"]),
)


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-")


@_issue_field("url")
def _issue_url(row: Record, info: Info) -> str:
    ident = identifier(context_of(info).world, row)
    return f"https://linear.app/{_url_key(info)}/issue/{ident}/{_slug(row['title'])}"


@_issue_field("branchName")
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


BINDABLES = (
    query,
    organization_type,
    user,
    team,
    workflow_state,
    project,
    issue,
    search_result,
    label,
    cycle,
    comment,
)
