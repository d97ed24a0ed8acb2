"""The seeded Clockify account: a user in several workspaces (active one not the default),
colleagues, projects with hourly rates in minor units, and time entries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.clockify.durations import iso_duration
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"workspaces": 3, "projects": 130, "time_entries": 400}
"""``workspaces`` the user belongs to; ``projects`` across them (45% in the active one);
``time_entries`` across users and workspaces (70% the user's, half of those in the active
workspace), plus one running timer of the user's in the active workspace."""

_CURRENCIES = ["USD", "EUR", "GBP", "CAD"]
_SHARES = [0.45, 0.35, 0.2]
_COLORS = ["#F44336", "#E91E63", "#9C27B0", "#3F51B5", "#03A9F4", "#009688", "#8BC34A"]


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a Clockify account; the user's API key."""
    counts = resolve_sizes("clockify", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    workspaces = gen.workspaces(max(1, counts["workspaces"]))
    projects = gen.projects(workspaces, counts["projects"])
    gen.entries(workspaces, projects, counts["time_entries"])
    key = gen.hex(gen.rng("key", 0), 48)
    world.table("clockify._keys").put(key, {"key": key, "user_id": gen.me["id"]})
    return {"type": "api_key", "header": "X-Api-Key", "key": key}


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Generator:
    """One seeding run: the world, a reused Faker and per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch_s = world.epoch_ns // 1_000_000_000
        self.users: list[Record] = []
        self.me: Record = {}
        self._taken: set[str] = set()

    def rng(self, kind: str, i: int) -> random.Random:
        seed = derive_seed(self.world.seed, "clockify", kind, i)
        self.fake.seed_instance(seed)
        return random.Random(seed)

    def hex(self, rng: random.Random, length: int = 24) -> str:
        value = f"{rng.getrandbits(length * 4):0{length}x}"
        while value in self._taken:
            value = f"{rng.getrandbits(length * 4):0{length}x}"
        self._taken.add(value)
        return value

    def workspaces(self, count: int) -> list[Record]:
        ids = [self.hex(self.rng("workspace", i)) for i in range(count)]
        for i in range(8):
            rng = self.rng("user", i)
            name = self.fake.name()
            self.users.append(
                {
                    "id": self.hex(rng),
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
                }
            )
        self.me = self.users[0]
        made: list[Record] = []
        for i, ws_id in enumerate(ids):
            rng = self.rng("workspace", i)
            currency = _CURRENCIES[i % len(_CURRENCIES)]
            members = [self.me, *rng.sample(self.users[1:], rng.randint(2, 5))]
            row = {
                "id": ws_id,
                "name": f"{self.fake.company()}",
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
                "currencies": [{"id": self.hex(rng), "code": currency, "isDefault": True}],
            }
            self.world.table("clockify.workspaces").put(ws_id, row)
            made.append(row)
        users = self.world.table("clockify.users")
        active = ids[1] if len(ids) > 1 else ids[0]
        for user in self.users:
            mine = [
                w["id"] for w in made if any(m["userId"] == user["id"] for m in w["memberships"])
            ]
            user["memberships"] = [_membership(user["id"], w, "WORKSPACE") for w in mine]
            user["defaultWorkspace"] = mine[0] if mine else ""
            user["activeWorkspace"] = (active if user is self.me else mine[-1]) if mine else ""
            users.put(user["id"], user)
        return made

    def projects(self, workspaces: list[Record], count: int) -> list[Record]:
        table = self.world.table("clockify.projects")
        shares = _SHARES[: len(workspaces)] or [1.0]
        order = (
            [workspaces[1], workspaces[0], *workspaces[2:]] if len(workspaces) > 1 else workspaces
        )
        made: list[Record] = []
        for i in range(count):
            rng = self.rng("project", i)
            ws = rng.choices(order, weights=shares + [0.1] * (len(order) - len(shares)))[0]
            billable = rng.random() < 0.85
            amount = (
                rng.randrange(40, 250) * 100 + rng.choice([0, 0, 50, 25, 99]) if billable else 0
            )
            client = self.fake.company()
            row = {
                "id": self.hex(rng),
                "name": f"{self.fake.catch_phrase().title()}",
                "hourlyRate": {"amount": amount, "currency": ws["hourlyRate"]["currency"]},
                "clientId": self.hex(rng),
                "workspaceId": ws["id"],
                "billable": billable,
                "memberships": [_membership(self.me["id"], "", "PROJECT")],
                "color": rng.choice(_COLORS),
                "estimate": {"estimate": "PT0S", "type": "AUTO"},
                "archived": rng.random() < 0.1,
                "duration": "PT0S",
                "clientName": client,
                "note": "",
                "costRate": None,
                "timeEstimate": None,
                "budgetEstimate": None,
                "template": False,
                "public": rng.random() < 0.5,
            }
            row["memberships"][0]["targetId"] = row["id"]
            table.put(row["id"], row)
            made.append(row)
        return made

    def entries(self, workspaces: list[Record], projects: list[Record], count: int) -> None:
        table = self.world.table("clockify.time_entries")
        active = self.me["activeWorkspace"]
        by_ws: dict[str, list[Record]] = {}
        for project in projects:
            by_ws.setdefault(project["workspaceId"], []).append(project)
        taken: set[tuple[str, int]] = set()
        for i in range(count):
            rng = self.rng("entry", i)
            ws = rng.choice(workspaces)
            if rng.random() < 0.7:
                user = self.me
                if rng.random() < 0.5:
                    ws = next(w for w in workspaces if w["id"] == active)
            else:
                others = [m["userId"] for m in ws["memberships"] if m["userId"] != self.me["id"]]
                pick = rng.choice(others)
                user = next(u for u in self.users if u["id"] == pick)
            day = self.epoch_s // 86_400 - rng.randint(1, 120)
            start = day * 86_400 + rng.randint(8 * 3600, 15 * 3600) // 60 * 60
            while (user["id"], start) in taken:
                start += 60
            taken.add((user["id"], start))
            seconds = rng.randint(5, 240) * 60 + (rng.randint(1, 59) if rng.random() < 0.3 else 0)
            table.put(*self.entry(rng, ws, user, by_ws, start * 1000, seconds))
        ws = next(w for w in workspaces if w["id"] == active)
        rng = self.rng("entry", -1)
        key, running = self.entry(rng, ws, self.me, by_ws, (self.epoch_s - 1800) * 1000, None)
        table.put(key, running)

    def entry(
        self,
        rng: random.Random,
        ws: Record,
        user: Record,
        by_ws: dict[str, list[Record]],
        start_ms: int,
        seconds: int | None,
    ) -> tuple[str, Record]:
        project = (
            rng.choice(by_ws[ws["id"]]) if by_ws.get(ws["id"]) and rng.random() < 0.9 else None
        )
        entry_id = self.hex(rng)
        end = None if seconds is None else _iso(start_ms + seconds * 1000)
        record: dict[str, Any] = {
            "id": entry_id,
            "description": self.fake.sentence(nb_words=4).rstrip("."),
            "tagIds": [],
            "userId": user["id"],
            "billable": bool(project and project["billable"]),
            "taskId": None,
            "projectId": project["id"] if project else None,
            "timeInterval": {
                "start": _iso(start_ms),
                "end": end,
                "duration": None if seconds is None else iso_duration(seconds),
            },
            "workspaceId": ws["id"],
            "isLocked": False,
            "hourlyRate": project["hourlyRate"] if project else None,
            "costRate": None,
            "customFieldValues": [],
            "type": "REGULAR",
            "kioskId": None,
        }
        return entry_id, record


def _membership(user_id: str, target: str, kind: str) -> dict[str, Any]:
    return {
        "userId": user_id,
        "hourlyRate": None,
        "costRate": None,
        "targetId": target,
        "membershipType": kind,
        "membershipStatus": "ACTIVE",
    }
