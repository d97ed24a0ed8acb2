"""The seeded Clockify account: a user in several workspaces (active one not the default),
colleagues, projects with hourly rates in minor units, and time entries.

Three lazy sources (:meth:`World.lazy`): the account (users and workspaces: a dozen plain
rows), the projects and the time entries, drawn column by column
(:class:`mockapis.seeding.RowDraws`) and rendered when read; their indexes
(:class:`Project`, :class:`Entry`) carry what truths aggregate over.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from itertools import repeat
from typing import Any, NamedTuple

from mockapis import seeding
from mockapis.clockify.durations import iso_duration
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "ENTRIES", "PROJECTS", "Entry", "Project", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"workspaces": 3, "projects": 130, "time_entries": 400}
"""``workspaces`` the user belongs to; ``projects`` across them (45% in the active one);
``time_entries`` across users and workspaces (70% the user's, half of those in the active
workspace), plus one running timer of the user's in the active workspace."""

USERS, WORKSPACES = "clockify.users", "clockify.workspaces"
PROJECTS, ENTRIES = "clockify.projects", "clockify.time_entries"
_PEOPLE = 8
_CURRENCIES = ["USD", "EUR", "GBP", "CAD"]
_SHARES = [0.45, 0.35, 0.2]
_COLORS = ["#F44336", "#E91E63", "#9C27B0", "#3F51B5", "#03A9F4", "#009688", "#8BC34A"]
_CENTS = (0, 0, 50, 25, 99)
_DAY = 86_400


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a Clockify account; the user's API key."""
    counts = resolve_sizes("clockify", sizes, DEFAULT_SIZES)
    base = (world.seed, world.epoch_ns // 1_000_000_000)
    account = world.lazy((USERS, WORKSPACES), _account, *base, max(1, counts["workspaces"]))
    projects = world.lazy(PROJECTS, _projects, *base, counts["projects"], deps=(account,))
    world.lazy(ENTRIES, _entries, *base, counts["time_entries"], deps=(account, projects))
    rng = seeding.stream(world.seed, "clockify", "key")
    key = seeding.hex_id(rng, 48)
    world.table("clockify._keys").put(key, {"key": key, "user_id": _user_ids(world.seed)[0]})
    return {"type": "api_key", "header": "X-Api-Key", "key": key}


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _object_ids(d: seeding.RowDraws, col: int, taken: set[str]) -> list[str]:
    """24 hex digits per row (Clockify's object ids) from columns ``col`` and ``col + 1``,
    unique among themselves and ``taken`` (which they join)."""
    ids = [f"{a:016x}{b >> 32:08x}" for a, b in zip(d.words(col), d.words(col + 1), strict=True)]
    for i, value in enumerate(ids):
        while value in taken:  # 96 random bits: never, but an id names one thing
            value = f"{int(value, 16) + 1:024x}"
        taken.add(value)
        ids[i] = value
    return ids


def _user_ids(seed_value: int) -> list[str]:
    """The users' ids, the key's user first (known without building the account)."""
    rng = seeding.stream(seed_value, "clockify", "user-ids")
    return [seeding.hex_id(rng, 24) for _ in range(_PEOPLE)]


def _membership(user_id: str, target: str, kind: str) -> dict[str, Any]:
    return {
        "userId": user_id,
        "hourlyRate": None,
        "costRate": None,
        "targetId": target,
        "membershipType": kind,
        "membershipStatus": "ACTIVE",
    }


# -- users and workspaces (a dozen plain rows) -----------------------------------------------


def _account(seed_value: int, epoch: int, n_workspaces: int) -> BuiltTables:
    rng = seeding.stream(seed_value, "clockify", "account")
    user_ids = _user_ids(seed_value)
    taken = set(user_ids)
    ids = []
    for _ in range(n_workspaces):
        value = seeding.hex_id(rng, 24)
        while value in taken:
            value = seeding.hex_id(rng, 24)
        taken.add(value)
        ids.append(value)
    users: list[Record] = []
    for user_id in user_ids:
        name = f"{seeding.pick(rng, 'first_name')} {seeding.pick(rng, 'last_name')}"
        users.append(
            {
                "id": user_id,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "name": name,
                "memberships": [],
                "profilePicture": "https://img.clockify.me/no-user-image.png",
                "activeWorkspace": "",
                "defaultWorkspace": "",
                "settings": {
                    "weekStart": "MONDAY",
                    "timeZone": "UTC",
                    "timeFormat": "HOUR24",
                    "dateFormat": "YYYY-MM-DD",
                },
                "status": "ACTIVE",
                "customFields": [],
            }
        )
    me = users[0]
    workspaces: dict[str, Record] = {}
    for i, ws_id in enumerate(ids):
        currency = _CURRENCIES[i % len(_CURRENCIES)]
        members = [me, *rng.sample(users[1:], rng.randint(2, 5))]
        currency_id = seeding.hex_id(rng, 24)
        workspaces[ws_id] = {
            "id": ws_id,
            "name": seeding.pick(rng, "company"),
            "hourlyRate": {"amount": rng.choice([5000, 7500, 10000]), "currency": currency},
            "memberships": [_membership(u["id"], ws_id, "WORKSPACE") for u in members],
            "workspaceSettings": {
                "timeRoundingInReports": False,
                "onlyAdminsSeeBillableRates": True,
                "trackTimeDownToSecond": True,
                "projectGroupingLabel": "client",
            },
            "imageUrl": "",
            "featureSubscriptionType": None,
            "currencies": [{"id": currency_id, "code": currency, "isDefault": True}],
        }
    active = ids[1] if len(ids) > 1 else ids[0]
    for user in users:
        mine = [
            w["id"]
            for w in workspaces.values()
            if any(m["userId"] == user["id"] for m in w["memberships"])
        ]
        user["memberships"] = [_membership(user["id"], w, "WORKSPACE") for w in mine]
        user["defaultWorkspace"] = mine[0] if mine else ""
        user["activeWorkspace"] = (active if user is me else mine[-1]) if mine else ""
    return {USERS: {u["id"]: u for u in users}, WORKSPACES: workspaces}


# -- projects (lazy rows) --------------------------------------------------------------------


class Project(NamedTuple):
    """A project's index entry."""

    id: str
    workspace_id: str
    billable: bool
    amount: int
    """The hourly rate in the currency's minor unit (0 for a project that is not billable)."""
    currency: str


class _ProjectDraws(NamedTuple):
    """A projects table's drawn columns."""

    me: str
    names: list[str]
    clients: list[str]
    client_ids: list[str]
    colors: list[str]
    archived: list[bool]
    public: list[bool]


def _project(cols: _ProjectDraws, i: int, entry: Project) -> Record:
    return {
        "id": entry.id,
        "name": cols.names[i],
        "hourlyRate": {"amount": entry.amount, "currency": entry.currency},
        "clientId": cols.client_ids[i],
        "workspaceId": entry.workspace_id,
        "billable": entry.billable,
        "memberships": [_membership(cols.me, entry.id, "PROJECT")],
        "color": cols.colors[i],
        "estimate": {"estimate": "PT0S", "type": "AUTO"},
        "archived": cols.archived[i],
        "duration": "PT0S",
        "clientName": cols.clients[i],
        "note": "",
        "costRate": None,
        "timeEstimate": {
            "estimate": "PT0S",
            "type": "AUTO",
            "resetOption": None,
            "active": False,
            "includeNonBillable": True,
        },
        "budgetEstimate": None,
        "estimateReset": None,
        "template": False,
        "public": cols.public[i],
    }


def _projects(seed_value: int, epoch: int, n: int, account: BuiltTables) -> BuiltTables:
    workspaces = list(account[WORKSPACES].values())
    d = seeding.RowDraws(n, 14, seed_value, "clockify", "projects")
    taken = set(account[USERS]) | set(account[WORKSPACES])
    # The active workspace (the second) holds the most, then the default one.
    order = [workspaces[1], workspaces[0], *workspaces[2:]] if len(workspaces) > 1 else workspaces
    shares = _SHARES[: len(order)] + [0.1] * (len(order) - len(_SHARES))
    homes = d.weighted(0, order, list(itertools.accumulate(shares)))
    billable = d.chance(1, 0.85)
    amounts = [
        rate * 100 + cents if paid else 0
        for paid, rate, cents in zip(billable, d.ints(2, 40, 249), d.pick(3, _CENTS), strict=True)
    ]
    ids = _object_ids(d, 4, taken)
    cols = _ProjectDraws(
        me=next(iter(account[USERS])),
        names=[phrase.title() for phrase in d.pick(6, pool("catch_phrase"))],
        clients=d.pick(7, pool("company")),
        client_ids=_object_ids(d, 8, taken),
        colors=d.pick(10, _COLORS),
        archived=d.chance(11, 0.1),
        public=d.chance(12, 0.5),
    )
    entries = [
        Project(project_id, ws["id"], paid, amount, ws["hourlyRate"]["currency"])
        for project_id, ws, paid, amount in zip(ids, homes, billable, amounts, strict=True)
    ]
    rows = dict(
        zip(ids, map(LazyRow, repeat(_project), repeat(cols), range(n), entries), strict=True)
    )
    return {PROJECTS: rows, index_key(PROJECTS): dict(zip(ids, entries, strict=True))}


# -- time entries (lazy rows) ----------------------------------------------------------------


class Entry(NamedTuple):
    """A time entry's index entry."""

    id: str
    user_id: str
    workspace_id: str
    project_id: str | None
    start: int
    """Unix seconds."""
    seconds: int | None
    """Its duration; None for a timer still running."""


def _entry(text_seed: int, i: int, entry: Entry, project: Project | None) -> Record:
    rng = seeding.stream(text_seed, i)  # the row's own text stream
    start_ms = entry.start * 1000
    end = None if entry.seconds is None else _iso(start_ms + entry.seconds * 1000)
    return {
        "id": entry.id,
        "description": seeding.sentence(rng, 4).rstrip("."),
        "tagIds": [],
        "userId": entry.user_id,
        "billable": bool(project and project.billable),
        "taskId": None,
        "projectId": entry.project_id,
        "timeInterval": {
            "start": _iso(start_ms),
            "end": end,
            "duration": None if entry.seconds is None else iso_duration(entry.seconds),
        },
        "workspaceId": entry.workspace_id,
        "isLocked": False,
        "hourlyRate": None
        if project is None
        else {"amount": project.amount, "currency": project.currency},
        "costRate": None,
        "customFieldValues": [],
        "type": "REGULAR",
        "kioskId": None,
    }


def _entries(
    seed_value: int, epoch: int, n: int, account: BuiltTables, projects: BuiltTables
) -> BuiltTables:
    workspaces: list[Record] = list(account[WORKSPACES].values())
    me = next(iter(account[USERS].values()))
    active = me["activeWorkspace"]
    found: Mapping[str, Project] = projects[index_key(PROJECTS)]
    by_ws: dict[str, list[Project]] = {w["id"]: [] for w in workspaces}
    for project in found.values():
        by_ws[project.workspace_id].append(project)
    d = seeding.RowDraws(n + 1, 13, seed_value, "clockify", "entries")
    ids = _object_ids(d, 0, set(account[USERS]) | set(account[WORKSPACES]) | set(found))
    homes, mine, in_active = d.pick(2, workspaces), d.chance(3, 0.7), d.chance(4, 0.5)
    colleague, days, minute = d.floats(5), d.ints(6, 1, 120), d.ints(7, 8 * 60, 15 * 60)
    lengths, odd, extra = d.ints(8, 5, 240), d.chance(9, 0.3), d.ints(10, 1, 59)
    linked, which = d.chance(11, 0.9), d.floats(12)
    today = epoch // _DAY
    taken: set[tuple[str, int]] = set()
    entries: list[Entry] = []
    seconds: int | None
    for i in range(n + 1):
        ws = homes[i]
        if i == n:  # the user's running timer, in the active workspace
            ws, user, start, seconds = account[WORKSPACES][active], me["id"], epoch - 1800, None
        elif mine[i]:
            user = me["id"]
            if in_active[i]:
                ws = account[WORKSPACES][active]
        else:
            others = [m["userId"] for m in ws["memberships"] if m["userId"] != me["id"]]
            user = others[int(colleague[i] * len(others))]
        if i < n:
            start = (today - days[i]) * _DAY + minute[i] * 60
            while (user, start) in taken:  # one entry a minute per user
                start += 60
            taken.add((user, start))
            seconds = lengths[i] * 60 + (extra[i] if odd[i] else 0)
        choices = by_ws[ws["id"]]
        tracked = choices[int(which[i] * len(choices))].id if choices and linked[i] else None
        entries.append(Entry(ids[i], user, ws["id"], tracked, start, seconds))
    text_seed = derive_seed(seed_value, "clockify", "entries", "text")
    rows = {
        e.id: LazyRow(_entry, text_seed, i, e, found.get(e.project_id or ""))
        for i, e in enumerate(entries)
    }
    return {ENTRIES: rows, index_key(ENTRIES): {e.id: e for e in entries}}
