"""The seeded Linear workspace: users, teams and their workflow states, projects, issues,
comments, and the agent's personal API key.

Five lazy sources (:meth:`World.lazy`): the people (organization, users), the teams (and
their workflow states), projects, issues and comments, drawn column by column
(:class:`mockapis.seeding.RowDraws`) and rendered when read. Which team each issue belongs
to is drawn apart (:func:`issue_teams`), so that :func:`seed` can start each team's issue
counter past its seeded issues without building them: issues the API creates are numbered
on from there.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.linear.planning import (
    CYCLE_TABLE,
    LABEL_TABLE,
    IssuePlanning,
    issue_plan,
    issue_planning,
    planning,
)
from mockapis.linear.stamps import DAY_MS as _DAY_MS
from mockapis.linear.stamps import iso
from mockapis.linear.stamps import iso_ms as _iso_ms
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key, plain
from mockapis.world import World, derive_seed

__all__ = [
    "DEFAULT_SIZES",
    "STATE_TEMPLATES",
    "TABLES",
    "Issue",
    "IssueFacts",
    "Issues",
    "Project",
    "Team",
    "add_issue",
    "build_issue",
    "iso",
    "issue_counter",
    "issue_teams",
    "seed",
    "state_times",
]

DEFAULT_SIZES: Mapping[str, int] = {
    "users": 12,
    "teams": 3,
    "projects": 8,
    "issues": 180,
    "comments": 240,
}

TABLES = {
    "users": "linear.users",
    "teams": "linear.teams",
    "states": "linear.states",
    "projects": "linear.projects",
    "issues": "linear.issues",
    "comments": "linear.comments",
    "organization": "linear.organization",
    "labels": LABEL_TABLE,
    "cycles": CYCLE_TABLE,
    "keys": "linear._keys",
}
"""Table names by entity (``linear._keys`` holds the API keys: bookkeeping)."""

STATE_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("Backlog", "backlog", "#bec2c8"),
    ("Todo", "unstarted", "#e2e2e2"),
    ("In Progress", "started", "#f2c94c"),
    ("In Review", "started", "#0f783c"),
    ("Done", "completed", "#5e6ad2"),
    ("Canceled", "canceled", "#95a2b3"),
    ("Duplicate", "duplicate", "#95a2b3"),
)
"""A new team's workflow states: ``(name, type, color)`` in position order."""

_TEAMS = (
    ("Engineering", "ENG"),
    ("Design", "DES"),
    ("Product", "PRD"),
    ("Platform", "PLT"),
    ("Mobile", "MOB"),
    ("Data", "DATA"),
    ("Infrastructure", "INF"),
    ("Customer Success", "CS"),
    ("Security", "SEC"),
    ("Growth", "GRO"),
)
_STATE_CUM = tuple(itertools.accumulate((18, 22, 16, 8, 26, 7, 3)))
_PROJECT_STATES = ("backlog", "planned", "started", "started", "paused", "completed", "canceled")
_PRIORITIES = (0, 0, 1, 2, 2, 3, 3, 3, 4)
_ESTIMATES = (None, None, 1, 2, 3, 5, 8)
_TLDS = ("com", "io", "net", "org", "biz", "info")
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_DAY_S = 86_400
PEOPLE = (TABLES["organization"], TABLES["users"])
TEAMS = (TABLES["teams"], TABLES["states"])


def issue_counter(team_id: str) -> str:
    """The world counter numbering a team's issues (ENG-1, ENG-2, ...)."""
    return f"linear.issue_number.{team_id}"


def state_times(state: Record, now: str, before: Record | None = None) -> dict[str, Any]:
    """``completedAt``/``canceledAt`` of an issue moved into ``state`` at ``now`` (kept from
    ``before`` when it already was there)."""
    done = state["type"] == "completed"
    canceled = state["type"] in ("canceled", "duplicate")
    return {
        "completedAt": ((before or {}).get("completedAt") or now) if done else None,
        "canceledAt": ((before or {}).get("canceledAt") or now) if canceled else None,
    }


def build_issue(
    *,
    issue_id: str,
    team_id: str,
    number: int,
    state: Record,
    creator_id: str,
    created: str,
    updated: str,
    fields: Mapping[str, Any],
) -> Record:
    """An issue row, seeded or created: ``fields`` as for :func:`add_issue`; the state's
    times (``completedAt``, ``canceledAt``) are ``updated``."""
    return {
        "id": issue_id,
        "teamId": team_id,
        "title": fields["title"],
        "description": fields.get("description"),
        "priority": fields.get("priority") or 0,
        "estimate": fields.get("estimate"),
        "dueDate": fields.get("dueDate"),
        "stateId": state["id"],
        "assigneeId": fields.get("assigneeId"),
        "creatorId": creator_id,
        "projectId": fields.get("projectId"),
        "parentId": fields.get("parentId"),
        "cycleId": fields.get("cycleId"),
        "labelIds": list(fields.get("labelIds") or ()),
        "createdAt": created,
        "updatedAt": updated,
        "archivedAt": None,
        **state_times(state, updated),
        "number": number,
    }


def add_issue(
    world: World,
    *,
    issue_id: str,
    team_id: str,
    state: Record,
    creator_id: str,
    at: str,
    fields: Mapping[str, Any],
) -> Record:
    """Store a new issue of ``team_id`` created at ``at``, numbered next in its team.

    ``fields``: ``title`` (required), ``description``, ``priority``, ``estimate``,
    ``dueDate``, ``assigneeId``, ``projectId``, ``parentId``, ``cycleId``, ``labelIds``."""
    row = build_issue(
        issue_id=issue_id,
        team_id=team_id,
        number=world.next_id(issue_counter(team_id)),
        state=state,
        creator_id=creator_id,
        created=at,
        updated=at,
        fields=fields,
    )
    world.table(TABLES["issues"]).put(issue_id, row)
    return row


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a Linear workspace; the agent's credentials (a raw API key)."""
    counts = resolve_sizes("linear", sizes, DEFAULT_SIZES)
    n_teams = min(counts["teams"], len(_TEAMS))
    base = (world.seed, world.epoch_ns // 1_000_000)
    n_users = max(1, counts["users"])
    # Which team each issue belongs to is drawn here: the counters below need it.
    per_team = tuple(issue_teams(world.seed, counts["issues"], n_teams))
    team_ids = tuple(_team_ids(world.seed, n_teams))
    people = world.lazy(PEOPLE, _people, *base, n_users)
    teams = world.lazy(TEAMS, _teams, *base, n_users, team_ids, per_team)
    world.lazy((LABEL_TABLE, CYCLE_TABLE), planning, *base, team_ids)
    world.lazy(TABLES["projects"], _projects, *base, counts["projects"], n_users, deps=(teams,))
    issues = world.lazy(
        TABLES["issues"],
        _issues,
        *base,
        counts["issues"],
        (counts["projects"], n_users),
        deps=(teams,),
    )
    world.lazy(TABLES["comments"], _comments, *base, counts["comments"], deps=(people, issues))
    # Issues the API creates are numbered after the seeded ones of their team.
    for team_id, n in zip(team_ids, per_team, strict=True):
        if n:
            world.next_id(issue_counter(team_id), n)
    viewer = _user_ids(world.seed, n_users)[0]  # the ids the teams' source takes too
    rng = seeding.stream(world.seed, "linear", "key")
    key = "lin_api_" + "".join(rng.choices(_ALNUM, k=40))
    world.table(TABLES["keys"]).put(key, {"key": key, "userId": viewer})
    return {"type": "raw", "token": key}


@functools.lru_cache(maxsize=16)
def _user_ids(seed_value: int, n: int) -> tuple[str, ...]:
    """The users' ids, the API key's user first (known without building the workspace; kept
    for the few seeds last seen: the seeder and the teams' source both ask)."""
    rng = seeding.stream(seed_value, "linear", "user-ids")
    return tuple(seeding.uuid4(rng) for _ in range(n))


def _team_ids(seed_value: int, n: int) -> list[str]:
    """The teams' ids (known without building the workspace: the issue counters name them)."""
    rng = seeding.stream(seed_value, "linear", "team-ids")
    return [seeding.uuid4(rng) for _ in range(n)]


def issue_teams(seed_value: int, n_issues: int, n_teams: int) -> list[int]:
    """How many seeded issues each team has: about half go to the first team, the rest to any
    team, as in most workspaces (the issues' source draws the same assignment)."""
    if not n_teams:
        return []
    teams = _issue_team_array(seed_value, n_issues, n_teams)
    return np.bincount(teams, minlength=n_teams).tolist()  # type: ignore[no-any-return]


def _issue_team_of(seed_value: int, n_issues: int, n_teams: int) -> list[int]:
    """The team (by position) of each seeded issue."""
    if not n_teams:
        return []
    return _issue_team_array(seed_value, n_issues, n_teams).tolist()  # type: ignore[no-any-return]


def _issue_team_array(seed_value: int, n_issues: int, n_teams: int) -> npt.NDArray[np.int64]:
    """:func:`_issue_team_of` as an array (``n_teams`` at least 1)."""
    d = seeding.RowDraws(n_issues, 2, seed_value, "linear", "issue-teams")
    return np.where(d.floats_array(0) < 0.5, 0, d.below_array(1, n_teams))


def _ms_ago(rng: random.Random, epoch_ms: int, low_days: float, high_days: float) -> int:
    """A millisecond between ``low_days`` and ``high_days`` before the epoch."""
    low, high = int(low_days * _DAY_MS), int(high_days * _DAY_MS)
    return epoch_ms - low - int(rng.random() * (high - low))


# -- people and teams (a few dozen rows) ------------------------------------------------------


class Team(NamedTuple):
    """A team's index entry."""

    id: str
    name: str
    key: str
    issues: int
    """How many seeded issues the team has (numbered 1 to ``issues``)."""
    states: tuple[str, ...]
    """Its workflow states' ids, in position order (as ``STATE_TEMPLATES``)."""


def _people(seed_value: int, epoch_ms: int, n_users: int) -> BuiltTables:
    rng = seeding.stream(seed_value, "linear", "people")
    name = seeding.pick(rng, "company")
    url_key = "".join(c for c in name.lower() if c.isalnum())[:20] or "workspace"
    at = _iso_ms(_ms_ago(rng, epoch_ms, 700, 900))
    org_id = seeding.uuid4(rng)
    organization = {"id": org_id, "name": name, "urlKey": url_key, "createdAt": at, "updatedAt": at}
    domain = f"{seeding.pick(rng, 'domain_word')}.{rng.choice(_TLDS)}"
    users: dict[str, LazyRow] = {}
    emails: set[str] = set()
    for i, user_id in enumerate(_user_ids(seed_value, n_users)):
        first, last = seeding.pick(rng, "first_name"), seeding.pick(rng, "last_name")
        email = f"{first}.{last}@{domain}".lower().replace("'", "")
        while email in emails:
            email = f"{first}.{last}{rng.randint(2, 99)}@{domain}".lower().replace("'", "")
        emails.add(email)
        created = _ms_ago(rng, epoch_ms, 300, 690)
        facts = (
            i == 0 or rng.random() < 0.92,
            i == 0 or rng.random() < 0.15,
            created,
            created + (1 + int(rng.random() * 199)) * _DAY_MS,
        )
        users[user_id] = LazyRow(_user, user_id, f"{first} {last}", email, facts)
    return {TABLES["organization"]: {org_id: organization}, TABLES["users"]: users}


def _teams(
    seed_value: int,
    epoch_ms: int,
    n_users: int,
    team_ids: tuple[str, ...],
    sizes: tuple[int, ...],
) -> BuiltTables:
    rng = seeding.stream(seed_value, "linear", "teams")
    user_ids = _user_ids(seed_value, n_users)
    n_teams = len(team_ids)
    teams: dict[str, Record] = {}
    states: dict[str, LazyRow] = {}
    index: dict[str, Team] = {}
    picks = sorted(rng.sample(range(len(_TEAMS)), n_teams))
    state_ids = iter(seeding.RowDraws(n_teams * 7, 2, seed_value, "linear", "states").uuids(0))
    for team_id, pick, n in zip(team_ids, picks, sizes, strict=True):
        team_name, key = _TEAMS[pick]
        created = _ms_ago(rng, epoch_ms, 600, 680)
        teams[team_id] = {
            "id": team_id,
            "name": team_name,
            "key": key,
            "description": seeding.sentence(rng, 8) if rng.random() < 0.6 else None,
            "private": False,
            "createdAt": _iso_ms(created),
            "updatedAt": _iso_ms(created + 3_600_000),
            "archivedAt": None,
            "memberIds": [*user_ids[:1], *(u for u in user_ids[1:] if rng.random() < 0.55)],
        }
        own = tuple(next(state_ids) for _ in STATE_TEMPLATES)
        for position, state_id in enumerate(own):
            states[state_id] = LazyRow(_state, state_id, team_id, position, created)
        index[team_id] = Team(team_id, team_name, key, n, own)
    return {TABLES["teams"]: teams, index_key(TABLES["teams"]): index, TABLES["states"]: states}


def _user(user_id: str, name: str, email: str, facts: tuple[bool, bool, int, int]) -> Record:
    active, admin, created, updated = facts
    return {
        "id": user_id,
        "name": name,
        "displayName": email.split("@")[0].replace(".", ""),
        "email": email,
        "active": active,
        "admin": admin,
        "createdAt": _iso_ms(created),
        "updatedAt": _iso_ms(updated),
        "archivedAt": None,
    }


def _state(state_id: str, team_id: str, position: int, team_created: int) -> Record:
    """A team's workflow state: ``STATE_TEMPLATES[position]``, made with the team."""
    state_name, state_type, color = STATE_TEMPLATES[position]
    stamp = _iso_ms(team_created + (position + 1) * 1000)
    return {
        "id": state_id,
        "name": state_name,
        "color": color,
        "description": None,
        "position": float(position),
        "type": state_type,
        "teamId": team_id,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archivedAt": None,
    }


# -- projects (lazy rows) --------------------------------------------------------------------


class Project(NamedTuple):
    """A project's index entry."""

    id: str
    name: str
    team_ids: tuple[str, ...]
    archived: bool


class _ProjectDraws(NamedTuple):
    """A projects table's render-only columns."""

    created: list[int]
    states: list[str]
    start_days: list[int]
    span_days: list[int]
    dated: list[bool]
    targeted: list[bool]
    leads: list[str | None]
    slug_tails: list[str]
    updated_days: list[int]


class _ProjectColumns:
    """What a projects table's rows render from: its draws, mapped into columns when the
    first project renders (the index needs the ids, names and teams alone)."""

    def __init__(
        self, seed_value: int, epoch_ms: int, n_users: int, draws: seeding.RowDraws
    ) -> None:
        self.seed_value, self.epoch_ms, self.n_users, self.draws = (
            seed_value, epoch_ms, n_users, draws,
        )  # fmt: skip
        self.text_seed = derive_seed(seed_value, "linear", "projects", "text")

    @functools.cached_property
    def details(self) -> _ProjectDraws:
        """The render-only columns."""
        d, epoch_ms = self.draws, self.epoch_ms
        user_ids = _user_ids(self.seed_value, self.n_users)  # the leads: no need to build users
        return _ProjectDraws(
            created=[epoch_ms - age for age in d.spans(2, 120 * _DAY_MS, 500 * _DAY_MS)],
            states=d.pick(3, _PROJECT_STATES),
            start_days=d.below(4, 30),
            span_days=d.ints(5, 20, 199),
            dated=d.chance(6, 0.8),
            targeted=d.chance(7, 0.7),
            leads=[
                u if led else None
                for led, u in zip(d.chance(8, 0.8), d.pick(9, user_ids), strict=True)
            ],
            slug_tails=[f"{w & 0xFFFF_FFFF_FFFF:012x}" for w in d.words(10)],
            updated_days=d.ints(11, 1, 89),
        )


def _project(columns: _ProjectColumns, i: int, entry: Project) -> Record:
    cols = columns.details
    created, state = cols.created[i], cols.states[i]
    start = created + cols.start_days[i] * _DAY_MS
    target = start + cols.span_days[i] * _DAY_MS
    return {
        "id": entry.id,
        "name": entry.name,
        "description": seeding.sentence(seeding.stream(columns.text_seed, i), 10),
        "slugId": entry.name.lower().replace(" ", "-")[:40] + "-" + cols.slug_tails[i],
        "state": state,
        "startDate": _iso_ms(start)[:10] if cols.dated[i] else None,
        "targetDate": _iso_ms(target)[:10] if cols.targeted[i] else None,
        "leadId": cols.leads[i],
        "teamIds": list(entry.team_ids),
        "createdAt": _iso_ms(created),
        "updatedAt": _iso_ms(created + cols.updated_days[i] * _DAY_MS),
        "archivedAt": _iso_ms(created + cols.updated_days[i] * _DAY_MS) if entry.archived else None,
        "completedAt": _iso_ms(target) if state == "completed" else None,
        "canceledAt": _iso_ms(target) if state == "canceled" else None,
    }


def _projects(
    seed_value: int, epoch_ms: int, n: int, n_users: int, workspace: BuiltTables
) -> BuiltTables:
    d = seeding.RowDraws(n, 17, seed_value, "linear", "projects")
    retry = seeding.stream(seed_value, "linear", "projects", "names")
    team_ids = list(workspace[TABLES["teams"]])
    sizes = d.ints(12, 1, min(3, len(team_ids))) if team_ids else [0] * n
    names: set[str] = set()
    index: dict[str, Project] = {}
    for i, (project_id, phrase) in enumerate(
        zip(d.uuids(0), d.pick(16, pool("catch_phrase")), strict=True)
    ):
        name = phrase.title()
        while name in names:  # a project's name finds it
            name = f"{name} {retry.randint(2, 9)}"
        names.add(name)
        teams = tuple(d.sample(13, team_ids, sizes[i], i))
        index[project_id] = Project(project_id, name, teams, False)
    cols = _ProjectColumns(seed_value, epoch_ms, n_users, d)
    rows = {k: LazyRow(_project, cols, i, e) for i, (k, e) in enumerate(index.items())}
    return {TABLES["projects"]: rows, index_key(TABLES["projects"]): index}


# -- issues (lazy rows) ----------------------------------------------------------------------


class Issue(NamedTuple):
    """An issue's index entry."""

    id: str
    team_id: str
    number: int
    """Numbers follow creation within a team: 1 to the team's count of seeded issues."""
    state_id: str
    assignee_id: str | None
    project_id: str | None
    created_ms: int


class IssueFacts(NamedTuple):
    """The issues' columns besides their ids, issue by issue in seeded order."""

    team_ids: list[str]
    numbers: list[int]
    state_ids: list[str]
    assignees: list[str | None]
    projects: list[str | None]
    created: list[int]


@dataclass(frozen=True, eq=False)
class Issues(Mapping[str, Issue]):
    """The issues' index: their ids, drawn with the table (its keys), and the other columns
    (:attr:`facts`), drawn when first read, for truths to filter; as a mapping, each one's
    :class:`Issue` by id (made on first use). A truth staging issues builds the table (its
    rows), and draws no column."""

    ids: list[str]
    seed_value: int
    epoch_ms: int
    draws: seeding.RowDraws
    workspace: BuiltTables
    """The teams' source's output (teams, their states and members)."""
    projects: tuple[int, int]
    """How many projects and users the workspace has (the projects' source's arguments)."""

    @functools.cached_property
    def facts(self) -> IssueFacts:
        """The columns besides the ids."""
        # The projects as their source draws them (a pure function of the same arguments):
        # as a dependency of the issues' source, a truth staging issues would build them.
        found = _projects(self.seed_value, self.epoch_ms, *self.projects, self.workspace)
        return _issue_facts(self.seed_value, self.epoch_ms, self.draws, self.workspace, found)

    def entry(self, position: int) -> Issue:
        """The :class:`Issue` of the issue at ``position``."""
        facts = self.facts
        return Issue(
            self.ids[position],
            facts.team_ids[position],
            facts.numbers[position],
            facts.state_ids[position],
            facts.assignees[position],
            facts.projects[position],
            facts.created[position],
        )

    @functools.cached_property
    def entries(self) -> dict[str, Issue]:
        """Every issue's :class:`Issue`, by id, in seeded order."""
        facts = zip(self.ids, *self.facts, strict=True)
        return dict(zip(self.ids, map(Issue._make, facts), strict=True))

    def __getitem__(self, issue_id: str) -> Issue:
        return self.entries[issue_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class _IssueColumns(NamedTuple):
    """The columns only a rendered issue shows."""

    creators: list[float]
    """Which member of the team created it (a fraction of the team's members)."""
    updated: list[int]
    """Milliseconds from creation to the last update (capped a minute before the epoch)."""
    title_words: list[int]
    described: list[bool]
    priorities: list[int]
    estimates: list[int | None]
    due: list[bool]
    due_days: list[int]


class _IssueDraws:
    """What an issues table's rows render from: the table's draws, the workspace, and the
    columns only rows show, mapped on the first render (a reset that reads no issue maps none
    of them)."""

    def __init__(self, seed_value: int, n: int, epoch_ms: int, workspace: BuiltTables) -> None:
        self.seed_value, self.n = seed_value, n
        self.text_seed = derive_seed(seed_value, "linear", "issues", "text")
        self.latest = epoch_ms - 60_000
        self.states: Mapping[str, Any] = workspace[TABLES["states"]]
        """State id -> its row (a :class:`LazyRow` until some reader renders it)."""
        self.teams: Mapping[str, Record] = workspace[TABLES["teams"]]
        self.epoch_ms = epoch_ms
        self._columns: _IssueColumns | None = None

    @property
    def columns(self) -> _IssueColumns:
        """The render-only columns (mapped once)."""
        found = self._columns
        if found is None:
            d = seeding.RowDraws(self.n, 8, self.seed_value, "linear", "issues", "render")
            found = self._columns = _IssueColumns(
                creators=d.floats(0),
                updated=d.below(1, 40 * _DAY_MS),
                title_words=d.ints(2, 4, 8),
                described=d.chance(3, 0.7),
                priorities=d.pick(4, _PRIORITIES),
                estimates=d.pick(5, _ESTIMATES),
                due=d.chance(6, 0.25),
                due_days=d.ints(7, 5, 59),
            )
        return found

    @functools.cached_property
    def planned(self) -> IssuePlanning:
        """What the issues' labels and cycles are drawn from."""
        return issue_planning(self.seed_value, self.epoch_ms, tuple(self.teams), self.n)


def _issue(draws: _IssueDraws, i: int, entry: Issue) -> Record:
    cols = draws.columns
    rng = seeding.stream(draws.text_seed, i)  # the row's own text stream
    created = entry.created_ms
    updated = max(created, min(created + cols.updated[i], draws.latest))
    members = draws.teams[entry.team_id]["memberIds"]
    due = _iso_ms(created + cols.due_days[i] * _DAY_MS)[:10] if cols.due[i] else None
    return build_issue(
        issue_id=entry.id,
        team_id=entry.team_id,
        number=entry.number,
        state=plain(draws.states[entry.state_id]),
        creator_id=members[int(cols.creators[i] * len(members))],
        created=_iso_ms(created),
        updated=_iso_ms(updated),
        fields={
            "title": seeding.sentence(rng, cols.title_words[i]).rstrip("."),
            "description": seeding.paragraph(rng, 2) if cols.described[i] else None,
            "priority": cols.priorities[i],
            "estimate": cols.estimates[i],
            "dueDate": due,
            "assigneeId": entry.assignee_id,
            "projectId": entry.project_id,
            **issue_plan(draws.planned, i, entry.team_id, entry.created_ms),
        },
    )


def _issues(
    seed_value: int,
    epoch_ms: int,
    n: int,
    projects: tuple[int, int],
    workspace: BuiltTables,
) -> BuiltTables:
    if not workspace[TABLES["teams"]]:
        n = 0
    d = seeding.RowDraws(n, 9, seed_value, "linear", "issues")
    index = Issues(d.uuids(0), seed_value, epoch_ms, d, workspace, projects)
    draws = _IssueDraws(seed_value, n, epoch_ms, workspace)
    # Rows as a dict, not Partitions: a truth staging issues writes to the table at reset,
    # and the snapshot of a written partitioned table renders every row.
    rows = map(LazyRow, repeat(_issue_at), repeat(draws), repeat(index), range(n))
    return {
        TABLES["issues"]: dict(zip(index.ids, rows, strict=True)),
        index_key(TABLES["issues"]): index,
    }


def _issue_facts(
    seed_value: int,
    epoch_ms: int,
    d: seeding.RowDraws,
    workspace: BuiltTables,
    projects: BuiltTables,
) -> IssueFacts:
    """Each issue's team, number, state, assignee, project and creation."""
    n = d.n
    teams: list[Record] = list(workspace[TABLES["teams"]].values())
    known: Mapping[str, Team] = workspace[index_key(TABLES["teams"])]
    found: Mapping[str, Project] = projects[index_key(TABLES["projects"])]
    positions = _issue_team_of(seed_value, n, len(teams))
    # Per team (by position): its id, states, members and projects.
    team_ids = [t["id"] for t in teams]
    states = [known[t].states for t in team_ids]
    members = [t["memberIds"] for t in teams]
    linkable = [[p.id for p in found.values() if t in p.team_ids] for t in team_ids]
    # 1 to 360 days ago, to the millisecond: a day and a millisecond of it (32-bit maps).
    created = [
        epoch_ms - (day + 1) * _DAY_MS - ms
        for day, ms in zip(d.below(2, 359), d.below(8, _DAY_MS), strict=True)
    ]
    state_ids = [
        states[t][k] for t, k in zip(positions, d.weighted(3, range(7), _STATE_CUM), strict=True)
    ]
    assignees = [
        members[t][int(f * len(members[t]))] if assigned else None
        for t, f, assigned in zip(positions, d.floats(4), d.chance(5, 0.75), strict=True)
    ]
    project_ids = [
        linkable[t][int(f * len(linkable[t]))] if linked and linkable[t] else None
        for t, f, linked in zip(positions, d.floats(6), d.chance(7, 0.5), strict=True)
    ]
    # Numbers follow creation time within each team, as in Linear.
    numbers = [0] * n
    counters = [0] * len(teams)
    for i in sorted(range(n), key=created.__getitem__):
        t = positions[i]
        counters[t] += 1
        numbers[i] = counters[t]
    return IssueFacts(
        list(map(team_ids.__getitem__, positions)), numbers, state_ids, assignees, project_ids,
        created,
    )  # fmt: skip


def _issue_at(draws: _IssueDraws, index: Issues, i: int) -> Record:
    return _issue(draws, i, index.entry(i))


# -- comments (lazy rows) --------------------------------------------------------------------


def _comment(
    text_seed: int, i: int, comment_id: str, issue_id: str, user_id: str, created_ms: int
) -> Record:
    rng = seeding.stream(text_seed, i)  # the row's own text stream
    at = _iso_ms(created_ms)
    return {
        "id": comment_id,
        "issueId": issue_id,
        "userId": user_id,
        "body": seeding.paragraph(rng, rng.randint(1, 3)),
        "createdAt": at,
        "updatedAt": at,
        "editedAt": None,
        "archivedAt": None,
    }


def _comments(
    seed_value: int, epoch_ms: int, n: int, people: BuiltTables, issues: BuiltTables
) -> BuiltTables:
    found: list[Issue] = list(issues[index_key(TABLES["issues"])].values())
    if not found:
        return {TABLES["comments"]: {}}
    d = seeding.RowDraws(n, 5, seed_value, "linear", "comments")
    text_seed = derive_seed(seed_value, "linear", "comments", "text")
    ids = d.uuids(0)
    targets = d.pick(2, found)
    users = d.pick(3, list(people[TABLES["users"]]))
    delays = d.spans(4, 60_000, 20 * _DAY_MS)
    rows = {
        comment_id: LazyRow(
            _comment,
            text_seed,
            i,
            comment_id,
            issue.id,
            users[i],
            min(issue.created_ms + delays[i], epoch_ms - 30_000 - 1000 * i),
        )
        for i, (comment_id, issue) in enumerate(zip(ids, targets, strict=True))
    }
    return {TABLES["comments"]: rows}
