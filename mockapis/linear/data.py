"""The seeded Linear workspace: users, teams and their workflow states, projects, issues,
comments, and the agent's personal API key."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = [
    "DEFAULT_SIZES",
    "STATE_TEMPLATES",
    "TABLES",
    "add_issue",
    "iso",
    "issue_counter",
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
_STATE_WEIGHTS = (18, 22, 16, 8, 26, 7, 3)
_PROJECT_STATES = ("backlog", "planned", "started", "started", "paused", "completed", "canceled")
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_DAY_S = 86_400


def iso(seconds: float) -> str:
    """Epoch seconds as Linear's ``2024-01-15T09:00:00.000Z``."""
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


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
    ``dueDate``, ``assigneeId``, ``projectId``, ``parentId``."""
    row: Record = {
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
        "createdAt": at,
        "updatedAt": at,
        "archivedAt": None,
        **state_times(state, at),
        "number": world.next_id(issue_counter(team_id)),
    }
    world.table(TABLES["issues"]).put(issue_id, row)
    return row


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a Linear workspace; the agent's credentials (a raw API key)."""
    counts = resolve_sizes("linear", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    gen.organization()
    users = gen.users(max(1, counts["users"]))
    teams = gen.teams(min(counts["teams"], len(_TEAMS)), users)
    projects = gen.projects(counts["projects"], teams, users)
    issues = gen.issues(counts["issues"], teams, projects, users)
    gen.comments(counts["comments"], issues, users)
    key = gen.api_key(users[0])
    return {"type": "raw", "token": key}


class _Generator:
    """One seeding run: the world, a reused Faker and per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch_s = world.epoch_ns // 1_000_000_000
        self.states_by_team: dict[str, list[Record]] = {}

    def rng(self, kind: str, i: int) -> random.Random:
        seed = derive_seed(self.world.seed, "linear", kind, i)
        self.fake.seed_instance(seed)
        return random.Random(seed)

    def put(self, entity: str, row: Record) -> Record:
        self.world.table(TABLES[entity]).put(str(row["id"]), row)
        return row

    def ago(self, rng: random.Random, low_days: float, high_days: float) -> float:
        """A moment between ``low_days`` and ``high_days`` before the epoch (millisecond)."""
        return (
            self.epoch_s
            - rng.randrange(int(low_days * _DAY_S), int(high_days * _DAY_S))
            - (rng.randrange(1000) / 1000)
        )

    def organization(self) -> None:
        rng = self.rng("organization", 0)
        name = self.fake.company()
        url_key = "".join(c for c in name.lower() if c.isalnum())[:20] or "workspace"
        at = iso(self.ago(rng, 700, 900))
        row = {"id": _uuid(rng), "name": name, "urlKey": url_key, "createdAt": at, "updatedAt": at}
        self.put("organization", row)

    def users(self, count: int) -> list[Record]:
        found: list[Record] = []
        emails: set[str] = set()
        domain = self.fake.domain_name()
        for i in range(count):
            rng = self.rng("user", i)
            first, last = self.fake.first_name(), self.fake.last_name()
            email = f"{first}.{last}@{domain}".lower().replace("'", "")
            while email in emails:
                email = f"{first}.{last}{rng.randint(2, 99)}@{domain}".lower().replace("'", "")
            emails.add(email)
            created = self.ago(rng, 300, 690)
            found.append(
                self.put(
                    "users",
                    {
                        "id": _uuid(rng),
                        "name": f"{first} {last}",
                        "displayName": email.split("@")[0].replace(".", ""),
                        "email": email,
                        "active": i == 0 or rng.random() < 0.92,
                        "admin": i == 0 or rng.random() < 0.15,
                        "createdAt": iso(created),
                        "updatedAt": iso(created + rng.randrange(1, 200) * _DAY_S),
                        "archivedAt": None,
                    },
                )
            )
        return found

    def teams(self, count: int, users: list[Record]) -> list[Record]:
        picks = self.rng("team-pick", 0).sample(range(len(_TEAMS)), count)
        found: list[Record] = []
        for i, pick in enumerate(sorted(picks)):
            rng = self.rng("team", i)
            name, key = _TEAMS[pick]
            members = [users[0]["id"]] + [u["id"] for u in users[1:] if rng.random() < 0.55]
            created = self.ago(rng, 600, 680)
            team = self.put(
                "teams",
                {
                    "id": _uuid(rng),
                    "name": name,
                    "key": key,
                    "description": self.fake.sentence(nb_words=8) if rng.random() < 0.6 else None,
                    "private": False,
                    "createdAt": iso(created),
                    "updatedAt": iso(created + 3600),
                    "archivedAt": None,
                    "memberIds": members,
                },
            )
            found.append(team)
            self.states_by_team[team["id"]] = [
                self.put(
                    "states",
                    {
                        "id": _uuid(rng),
                        "name": state_name,
                        "color": color,
                        "description": None,
                        "position": float(position),
                        "type": state_type,
                        "teamId": team["id"],
                        "createdAt": iso(created + position + 1),
                        "updatedAt": iso(created + position + 1),
                        "archivedAt": None,
                    },
                )
                for position, (state_name, state_type, color) in enumerate(STATE_TEMPLATES)
            ]
        return found

    def projects(self, count: int, teams: list[Record], users: list[Record]) -> list[Record]:
        found: list[Record] = []
        names: set[str] = set()
        for i in range(count):
            rng = self.rng("project", i)
            name = self.fake.catch_phrase().title()
            while name in names:
                name = f"{name} {rng.randint(2, 9)}"
            names.add(name)
            created = self.ago(rng, 120, 500)
            state = rng.choice(_PROJECT_STATES)
            start = created + rng.randrange(0, 30) * _DAY_S
            target = start + rng.randrange(20, 200) * _DAY_S
            done = iso(target) if state == "completed" else None
            slug = name.lower().replace(" ", "-")[:40] + "-" + _uuid(rng)[-12:]
            team_ids = (
                [t["id"] for t in rng.sample(teams, rng.randint(1, min(3, len(teams))))]
                if teams
                else []
            )
            found.append(
                self.put(
                    "projects",
                    {
                        "id": _uuid(rng),
                        "name": name,
                        "description": self.fake.sentence(nb_words=10),
                        "slugId": slug,
                        "state": state,
                        "startDate": iso(start)[:10] if rng.random() < 0.8 else None,
                        "targetDate": iso(target)[:10] if rng.random() < 0.7 else None,
                        "leadId": rng.choice(users)["id"] if rng.random() < 0.8 else None,
                        "teamIds": team_ids,
                        "createdAt": iso(created),
                        "updatedAt": iso(created + rng.randrange(1, 90) * _DAY_S),
                        "archivedAt": None,
                        "completedAt": done,
                        "canceledAt": iso(target) if state == "canceled" else None,
                    },
                )
            )
        return found

    def issues(
        self, count: int, teams: list[Record], projects: list[Record], users: list[Record]
    ) -> list[Record]:
        if not teams:
            return []
        drafts: list[tuple[float, Record]] = []
        for i in range(count):
            rng = self.rng("issue", i)
            # One team gets about half of the issues, as in most workspaces.
            team = teams[0] if rng.random() < 0.5 else rng.choice(teams)
            states = self.states_by_team[team["id"]]
            state = rng.choices(states, weights=_STATE_WEIGHTS)[0]
            created = self.ago(rng, 1, 360)
            members = [u for u in users if u["id"] in team["memberIds"]]
            team_projects = [p for p in projects if team["id"] in p["teamIds"]]
            updated = min(created + rng.randrange(0, 40 * _DAY_S), self.epoch_s - 60)
            drafts.append(
                (
                    created,
                    {
                        "id": _uuid(rng),
                        "teamId": team["id"],
                        "title": self.fake.sentence(nb_words=rng.randint(4, 8)).rstrip("."),
                        "description": self.fake.paragraph(nb_sentences=2)
                        if rng.random() < 0.7
                        else None,
                        "priority": rng.choice((0, 0, 1, 2, 2, 3, 3, 3, 4)),
                        "estimate": rng.choice((None, None, 1, 2, 3, 5, 8)),
                        "dueDate": iso(created + rng.randrange(5, 60) * _DAY_S)[:10]
                        if rng.random() < 0.25
                        else None,
                        "stateId": state["id"],
                        "assigneeId": rng.choice(members)["id"] if rng.random() < 0.75 else None,
                        "creatorId": rng.choice(members)["id"],
                        "projectId": rng.choice(team_projects)["id"]
                        if team_projects and rng.random() < 0.5
                        else None,
                        "parentId": None,
                        "createdAt": iso(created),
                        "updatedAt": iso(max(updated, created)),
                        "archivedAt": None,
                        "completedAt": iso(max(updated, created))
                        if state["type"] == "completed"
                        else None,
                        "canceledAt": iso(max(updated, created))
                        if state["type"] in ("canceled", "duplicate")
                        else None,
                    },
                )
            )
        # Numbers follow creation time within each team, as in Linear.
        found: list[Record] = []
        for _, draft in sorted(drafts, key=lambda pair: pair[0]):
            number = self.world.next_id(issue_counter(draft["teamId"]))
            found.append(self.put("issues", {**draft, "number": number}))
        return found

    def comments(self, count: int, issues: list[Record], users: list[Record]) -> None:
        if not issues:
            return
        for i in range(count):
            rng = self.rng("comment", i)
            issue = rng.choice(issues)
            created_s = _seconds(issue["createdAt"]) + rng.randrange(60, 20 * _DAY_S)
            created = min(created_s, self.epoch_s - 30 - i)
            self.put(
                "comments",
                {
                    "id": _uuid(rng),
                    "issueId": issue["id"],
                    "userId": rng.choice(users)["id"],
                    "body": self.fake.paragraph(nb_sentences=rng.randint(1, 3)),
                    "createdAt": iso(created),
                    "updatedAt": iso(created),
                    "editedAt": None,
                    "archivedAt": None,
                },
            )

    def api_key(self, user: Record) -> str:
        rng = self.rng("key", 0)
        key = "lin_api_" + "".join(rng.choice(_ALNUM) for _ in range(40))
        self.world.table(TABLES["keys"]).put(key, {"key": key, "userId": user["id"]})
        return key


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _seconds(stamp: Any) -> float:
    return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
