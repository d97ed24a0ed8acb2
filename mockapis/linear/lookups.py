"""Finding rows the way Linear's arguments name them: a UUID, or a human key (a team's key,
an issue's identifier such as ``ENG-123``, a project's slug id)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from mockapis.linear.data import TABLES, iso
from mockapis.linear.errors import not_found
from mockapis.linear.filters import FilterContext
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "Context",
    "context_of",
    "find",
    "find_issue",
    "find_project",
    "find_team",
    "identifier",
    "live",
    "now_iso",
    "organization",
    "rows",
]

_IDENTIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9]*)-(\d{1,9})$")


@dataclass(frozen=True)
class Context:
    """The execution context of one GraphQL request: the world and the viewer."""

    world: World
    viewer_id: str

    @property
    def filters(self) -> FilterContext:
        """The context filters are evaluated in."""
        return FilterContext(self.world, self.viewer_id)


if TYPE_CHECKING:
    Info = GraphQLResolveInfo[Context]
    """What a resolver gets as ``info``."""


def context_of(info: Info) -> Context:
    """The request's :class:`Context`."""
    found: Context = info.context
    return found


def rows(world: World, entity: str) -> list[Record]:
    """All rows of an entity's table."""
    return list(world.table(TABLES[entity]).values())


def live(found: list[Record], args: Mapping[str, Any]) -> list[Record]:
    """``found`` without archived rows, unless ``includeArchived`` is set."""
    if args.get("includeArchived"):
        return found
    return [row for row in found if not row.get("archivedAt")]


def find(world: World, entity: str, row_id: Any, name: str) -> Record:
    """The row ``row_id`` of ``entity``, else Linear's not-found error for ``name``."""
    row = world.table(TABLES[entity]).get(str(row_id)) if isinstance(row_id, str) else None
    if row is None:
        raise not_found(name)
    return row


def find_team(world: World, ref: str) -> Record:
    """A team by id or by key (``ENG``)."""
    teams = world.table(TABLES["teams"])
    row = teams.get(ref) or next(
        (t for t in teams.values() if str(t["key"]).upper() == ref.upper()), None
    )
    if row is None:
        raise not_found("Team")
    return row


def find_project(world: World, ref: str) -> Record:
    """A project by id or slug id."""
    projects = world.table(TABLES["projects"])
    row = projects.get(ref) or next((p for p in projects.values() if p["slugId"] == ref), None)
    if row is None:
        raise not_found("Project")
    return row


def find_issue(world: World, ref: str) -> Record:
    """An issue by id or identifier (``ENG-123``)."""
    issues = world.table(TABLES["issues"])
    row = issues.get(ref)
    match = _IDENTIFIER.match(ref.strip()) if row is None else None
    if match:
        key, number = match.group(1).upper(), int(match.group(2))
        team = next(
            (t for t in world.table(TABLES["teams"]).values() if str(t["key"]).upper() == key),
            None,
        )
        if team is not None:
            row = next(
                (i for i in issues.values() if i["teamId"] == team["id"] and i["number"] == number),
                None,
            )
    if row is None:
        raise not_found("Issue")
    return row


def organization(world: World) -> Record:
    """The workspace's organization row."""
    return next(iter(world.table(TABLES["organization"]).values()))


def identifier(world: World, issue: Record) -> str:
    """An issue's identifier: its team's key and its number (``ENG-123``)."""
    team = world.table(TABLES["teams"])[issue["teamId"]]
    return f"{team['key']}-{issue['number']}"


def now_iso(world: World) -> str:
    """The episode clock's time as Linear writes it."""
    return iso(world.clock.now_ns // 1_000_000 / 1000)
