"""Linear's filter inputs: comparators (``eq``, ``in``, ``lt``, ``containsIgnoreCase``, ...),
relation filters (``state: {type: {eq: "started"}}``, ``assignee: {null: true}``) and
``and``/``or`` compounds, evaluated over stored rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.linear.data import TABLES
from mockapis.linear.planning import cycle_flags
from mockapis.linear.stamps import iso
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "COMMENT",
    "CYCLE",
    "ISSUE",
    "LABEL",
    "PROJECT",
    "STATE",
    "TEAM",
    "USER",
    "Collection",
    "FilterContext",
    "Relation",
    "Spec",
    "matches",
    "parse_moment",
    "team_cycles",
]

_DURATION = re.compile(
    r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """An ISO 8601 date, date and time, or a duration from ``now`` (``-P2W``); else
    ``ValueError``."""
    match = _DURATION.match(text)
    if match and text.strip("-P"):
        sign, years, months, weeks, days, hours, minutes, seconds = match.groups()
        delta = dt.timedelta(
            days=int(years or 0) * 365
            + int(months or 0) * 30
            + int(weeks or 0) * 7
            + int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=float(seconds or 0),
        )
        return now - delta if sign else now + delta
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class FilterContext:
    """What a filter may depend on: the world (related rows, the clock) and the viewer."""

    world: World
    viewer_id: str

    @property
    def now(self) -> dt.datetime:
        """The episode's current time."""
        return self.world.clock.datetime()

    @property
    def now_iso(self) -> str:
        """The episode's current time as the rows write times."""
        return iso(self.world.clock.now_ns // 1_000_000 / 1000)


Getter = Callable[[Record, FilterContext], Any]


@dataclass(frozen=True)
class Relation:
    """A filter on a related row: ``row[field]`` is an id in ``table``."""

    field: str
    table: str
    spec: Mapping[str, Any]


@dataclass(frozen=True)
class Collection:
    """A filter on related rows: ``row[field]`` is a list of ids in ``table``."""

    field: str
    table: str
    spec: Mapping[str, Any]


class _Date(str):
    """Marks a field compared as a moment."""


class _Day(_Date):
    """Marks a date field (``dueDate``): compared by day, a duration from today's start."""


Spec = Mapping[str, Any]
"""How each filter field of an entity is read: a row key, a :class:`Relation`, a getter."""

NODE: dict[str, Any] = {
    "id": "id",
    "createdAt": _Date("createdAt"),
    "updatedAt": _Date("updatedAt"),
}
"""The fields every Linear node's filter has (its ``Node`` interface's, and timestamps)."""
USER: dict[str, Any] = {
    **NODE,
    "name": "name",
    "displayName": "displayName",
    "email": "email",
    "active": "active",
    "admin": "admin",
    "isMe": lambda row, ctx: row["id"] == ctx.viewer_id,
}
TEAM: dict[str, Any] = {
    **NODE,
    "name": "name",
    "key": "key",
    "description": "description",
}
STATE: dict[str, Any] = {
    **NODE,
    "name": "name",
    "description": "description",
    "position": "position",
    "type": "type",
    "team": Relation("teamId", TABLES["teams"], TEAM),
}
PROJECT: dict[str, Any] = {
    **NODE,
    "name": "name",
    "slugId": "slugId",
    "state": "state",
    "startDate": _Date("startDate"),
    "targetDate": _Date("targetDate"),
    "lead": Relation("leadId", TABLES["users"], USER),
}
ISSUE: dict[str, Any] = {
    **NODE,
    "number": "number",
    "title": "title",
    "description": "description",
    "priority": "priority",
    "estimate": "estimate",
    "dueDate": _Day("dueDate"),
    "completedAt": _Date("completedAt"),
    "canceledAt": _Date("canceledAt"),
    "team": Relation("teamId", TABLES["teams"], TEAM),
    "state": Relation("stateId", TABLES["states"], STATE),
    "assignee": Relation("assigneeId", TABLES["users"], USER),
    "creator": Relation("creatorId", TABLES["users"], USER),
    "project": Relation("projectId", TABLES["projects"], PROJECT),
}


def team_cycles(world: World, cycle: Record) -> list[Record]:
    """The cycles of ``cycle``'s team."""
    rows = world.table(TABLES["cycles"]).values()
    return [c for c in rows if c["teamId"] == cycle["teamId"]]


def _cycle_flag(name: str) -> Getter:
    def get(row: Record, ctx: FilterContext) -> bool:
        return cycle_flags(row, team_cycles(ctx.world, row), ctx.now_iso)[name]

    return get


LABEL: dict[str, Any] = {
    **NODE,
    "name": "name",
    "isGroup": "isGroup",
    "team": Relation("teamId", TABLES["teams"], TEAM),
}
CYCLE: dict[str, Any] = {
    **NODE,
    "number": "number",
    "name": "name",
    "startsAt": _Date("startsAt"),
    "endsAt": _Date("endsAt"),
    "completedAt": _Date("completedAt"),
    **{
        flag: _cycle_flag(flag)
        for flag in ("isActive", "isFuture", "isPast", "isNext", "isPrevious")
    },
    "team": Relation("teamId", TABLES["teams"], TEAM),
}
ISSUE["archivedAt"] = _Date("archivedAt")
ISSUE["parent"] = Relation("parentId", TABLES["issues"], ISSUE)
ISSUE["cycle"] = Relation("cycleId", TABLES["cycles"], CYCLE)
ISSUE["labels"] = Collection("labelIds", TABLES["labels"], LABEL)
COMMENT: dict[str, Any] = {
    **NODE,
    "body": "body",
    "user": Relation("userId", TABLES["users"], USER),
    "issue": Relation("issueId", TABLES["issues"], ISSUE),
}


def matches(row: Record, flt: Mapping[str, Any] | None, spec: Spec, ctx: FilterContext) -> bool:
    """Whether ``row`` passes the filter ``flt`` (an input object of ``spec``'s entity)."""
    if not flt:
        return True
    for name, condition in flt.items():
        if condition is None:
            continue
        if name == "and":
            if not all(matches(row, sub, spec, ctx) for sub in condition):
                return False
        elif name == "or":
            if condition and not any(matches(row, sub, spec, ctx) for sub in condition):
                return False
        elif name == "null":
            continue  # handled by the relation that holds this filter
        elif not _field(row, spec[name], condition, ctx):
            return False
    return True


def _collection(
    row: Record, how: Collection, condition: Mapping[str, Any], ctx: FilterContext
) -> bool:
    """A collection filter: ``some``, ``every``, ``length``, ``null``, ``and``/``or`` of
    collection filters; any other field holds when some related row matches it."""
    table = ctx.world.table(how.table)
    related = [table[i] for i in row.get(how.field) or () if i in table]
    for op, sub in condition.items():
        if sub is None:
            continue
        if op == "null":
            held = (not related) == sub
        elif op == "length":
            held = _compare(len(related), sub, lambda want: want)
        elif op == "some":
            held = any(matches(r, sub, how.spec, ctx) for r in related)
        elif op == "every":
            held = all(matches(r, sub, how.spec, ctx) for r in related)
        elif op == "and":
            held = all(_collection(row, how, c, ctx) for c in sub)
        elif op == "or":
            held = not sub or any(_collection(row, how, c, ctx) for c in sub)
        else:
            held = any(_field(r, how.spec[op], sub, ctx) for r in related)
        if not held:
            return False
    return True


def _field(row: Record, how: Any, condition: Mapping[str, Any], ctx: FilterContext) -> bool:
    if isinstance(how, Collection):
        return _collection(row, how, condition, ctx)
    if isinstance(how, Relation):
        related_id = row.get(how.field)
        related = ctx.world.table(how.table).get(related_id) if related_id else None
        if condition.get("null") is not None and (related is None) != condition["null"]:
            return False
        if related is None:
            return all(v is None for k, v in condition.items() if k != "null")
        return matches(related, condition, how.spec, ctx)
    if isinstance(how, _Date):
        now = ctx.now
        if isinstance(how, _Day):
            now = now.replace(hour=0, minute=0, second=0, microsecond=0)
        raw = row.get(str(how))
        value = parse_moment(str(raw), now) if raw else None
        return _compare(value, condition, lambda text: parse_moment(str(text), now))
    value = how(row, ctx) if callable(how) else row.get(how)
    return _compare(value, condition, lambda want: want)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_STRING_OPS: dict[str, Callable[[str, str], bool]] = {
    "eqIgnoreCase": lambda v, w: v.casefold() == w.casefold(),
    "neqIgnoreCase": lambda v, w: v.casefold() != w.casefold(),
    "startsWith": lambda v, w: v.startswith(w),
    "startsWithIgnoreCase": lambda v, w: v.casefold().startswith(w.casefold()),
    "notStartsWith": lambda v, w: not v.startswith(w),
    "endsWith": lambda v, w: v.endswith(w),
    "notEndsWith": lambda v, w: not v.endswith(w),
    "contains": lambda v, w: w in v,
    "containsIgnoreCase": lambda v, w: w.casefold() in v.casefold(),
    "notContains": lambda v, w: w not in v,
    "notContainsIgnoreCase": lambda v, w: w.casefold() not in v.casefold(),
}


def _compare(value: Any, condition: Mapping[str, Any], convert: Callable[[Any], Any]) -> bool:
    """Every comparator of ``condition`` holds for ``value`` (None: the field is empty)."""
    for op, raw in condition.items():
        if raw is None:
            continue
        if op == "null":
            if (value is None) != raw:
                return False
            continue
        if op in ("and", "or"):  # EstimateComparator's compounds of comparators
            held = [_compare(value, sub, convert) for sub in raw]
            if not (all(held) if op == "and" else any(held) or not held):
                return False
            continue
        if value is None:
            # An empty field only satisfies the negative comparators.
            if op not in ("neq", "nin", "notContains", "notContainsIgnoreCase", "neqIgnoreCase"):
                return False
            continue
        if op in _STRING_OPS:
            if not _STRING_OPS[op](_text(value), str(raw)):
                return False
            continue
        if op in ("in", "nin"):
            found = value in [convert(w) for w in raw]
            if found != (op == "in"):
                return False
            continue
        want = convert(raw)
        if not _ORDER_OPS[op](value, want):
            return False
    return True


_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda v, w: v == w,
    "neq": lambda v, w: v != w,
    "lt": lambda v, w: v < w,
    "lte": lambda v, w: v <= w,
    "gt": lambda v, w: v > w,
    "gte": lambda v, w: v >= w,
}
