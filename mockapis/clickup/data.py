"""The seeded ClickUp workspace: members, spaces, folders, lists, tasks, comments and replies."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.clickup import catalog
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "SHARING", "seed", "short_user", "task_url"]

DEFAULT_SIZES: Mapping[str, int] = {"spaces": 4, "tasks": 600, "comments": 150}
"""``spaces`` of the workspace; ``tasks`` in all (about 40% in one busy list); ``comments``
at the top level (about 60% on one busy task, a third of them with replies)."""

DAY_MS = 86_400_000
_KINDS = ["Tracker", "Pipeline", "Board", "Queue", "Plan"]
_ID_CHARS = string.digits + string.ascii_lowercase


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with one ClickUp workspace; the agent's personal token."""
    counts = resolve_sizes("clickup", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    gen.team()
    lists = gen.hierarchy(counts["spaces"])
    tasks = gen.tasks(lists, counts["tasks"])
    gen.comments(tasks, counts["comments"])
    token = (
        "pk_"
        + str(gen.me["id"])
        + "_"
        + "".join(gen.rng("token", 0).choices(string.ascii_uppercase + string.digits, k=32))
    )
    world.table("clickup._tokens").put(token, {"token": token, "user_id": gen.me["id"]})
    return {"type": "raw", "token": token}


def task_url(task_id: str) -> str:
    """A task's web address."""
    return f"https://app.clickup.com/t/{task_id}"


class _Generator:
    """One seeding run: the world, a reused Faker and per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch_ms = world.epoch_ns // 1_000_000
        self.members: list[Record] = []
        self.me: Record = {}
        self.team_id = ""
        self.busy_list = ""
        self._taken: set[str] = set()

    def rng(self, kind: str, i: int) -> random.Random:
        seed = derive_seed(self.world.seed, "clickup", kind, i)
        self.fake.seed_instance(seed)
        return random.Random(seed)

    def numeric_id(self, rng: random.Random, digits: int) -> str:
        value = str(rng.randrange(9 * 10 ** (digits - 1), 10**digits))
        while value in self._taken:
            value = str(int(value) + 1)
        self._taken.add(value)
        return value

    def task_id(self, rng: random.Random) -> str:
        value = "86" + "".join(rng.choices(_ID_CHARS, k=7))
        while value in self._taken:
            value = "86" + "".join(rng.choices(_ID_CHARS, k=7))
        self._taken.add(value)
        return value

    def ms_before(self, rng: random.Random, low_days: float, high_days: float) -> int:
        return self.epoch_ms - rng.randrange(int(low_days * DAY_MS), int(high_days * DAY_MS))

    # -- workspace ---------------------------------------------------------------------------

    def team(self) -> None:
        users = self.world.table("clickup.users")
        for i in range(6):
            rng = self.rng("user", i)
            first, last = self.fake.first_name(), self.fake.last_name()
            user = {
                "id": int(self.numeric_id(rng, 8)),
                "username": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.com",
                "color": rng.choice(catalog.COLORS),
                "profilePicture": None,
                "initials": first[0] + last[0],
                "week_start_day": 1,
                "global_font_support": True,
                "timezone": "Europe/London",
            }
            users.put(str(user["id"]), user)
            self.members.append(user)
        self.me = self.members[0]
        rng = self.rng("team", 0)
        self.team_id = self.numeric_id(rng, 10)
        member_rows = [
            {
                "user": {
                    "id": u["id"],
                    "username": u["username"],
                    "email": u["email"],
                    "color": u["color"],
                    "profilePicture": None,
                    "initials": u["initials"],
                    "role": 1 if i == 0 else 3,
                },
                "invited_by": None if i == 0 else short_user(self.me),
            }
            for i, u in enumerate(self.members)
        ]
        self.world.table("clickup.teams").put(
            self.team_id,
            {
                "id": self.team_id,
                "name": f"{self.fake.company()} Workspace",
                "color": rng.choice(catalog.COLORS),
                "avatar": None,
                "members": member_rows,
            },
        )

    def hierarchy(self, count: int) -> list[Record]:
        """Spaces, their folders and lists; the lists, the busy one first."""
        spaces, folders = self.world.table("clickup.spaces"), self.world.table("clickup.folders")
        lists: list[Record] = []
        names = catalog.LIST_NAMES.copy()
        for s in range(count):
            rng = self.rng("space", s)
            name = catalog.SPACE_NAMES[s % len(catalog.SPACE_NAMES)] + ("" if s < 7 else f" {s}")
            space_id = self.numeric_id(rng, 11)
            space: Record = {
                "id": space_id,
                "name": name,
                "color": rng.choice(catalog.COLORS),
                "private": False,
                "avatar": None,
                "admin_can_manage": True,
                "statuses": [{"id": f"p{s}_{st['orderindex']}", **st} for st in catalog.STATUSES],
                "multiple_assignees": True,
                "features": _FEATURES,
                "archived": False,
                "_team_id": self.team_id,
            }
            spaces.put(space_id, space)
            ref = {"id": space_id, "name": name, "access": True}
            for f in range(rng.randint(1 if s == 0 else 0, 3)):
                folder_id = self.numeric_id(rng, 11)
                folder = {
                    "id": folder_id,
                    "name": catalog.FOLDER_NAMES[(s + f) % len(catalog.FOLDER_NAMES)],
                    "orderindex": f,
                    "override_statuses": False,
                    "hidden": False,
                    "space": ref,
                    "archived": False,
                    "statuses": [],
                    "permission_level": "create",
                }
                folders.put(folder_id, folder)
                container = {"id": folder_id, "name": folder["name"], "hidden": False}
                for i in range(rng.randint(1, 4)):
                    lists.append(self.new_list(rng, names, space, ref, container, i))
            hidden = {"id": self.numeric_id(rng, 11), "name": "hidden", "hidden": True}
            for i in range(rng.randint(1 if s in (0, 1) else 0, 3)):
                lists.append(self.new_list(rng, names, space, ref, hidden, i))
        return lists

    def new_list(
        self,
        rng: random.Random,
        names: list[str],
        space: Record,
        space_ref: Record,
        folder_ref: Record,
        index: int,
    ) -> Record:
        name = names.pop(0) if names else f"{self.fake.word().title()} {rng.choice(_KINDS)}"
        due = (
            self.epoch_ms + rng.randrange(-60 * DAY_MS, 120 * DAY_MS)
            if rng.random() < 0.7
            else None
        )
        start = (
            due - rng.randrange(5, 40) * DAY_MS if due is not None and rng.random() < 0.5 else None
        )
        status = rng.choice(space["statuses"][:3]) if rng.random() < 0.3 else None
        row: Record = {
            "id": self.numeric_id(rng, 12),
            "name": name,
            "orderindex": index,
            "content": self.fake.sentence(nb_words=8) if rng.random() < 0.5 else "",
            "status": None
            if status is None
            else {"status": status["status"], "color": status["color"], "hide_label": True},
            "priority": None
            if rng.random() < 0.6
            else {
                k: v for k, v in (catalog.priority(rng.randint(1, 4)) or {}).items() if k != "id"
            },
            "assignee": None,
            "due_date": None if due is None else str(due),
            "start_date": None if start is None else str(start),
            "folder": {**folder_ref, "access": True},
            "space": space_ref,
            "archived": rng.random() < 0.12 and index > 0,
            "override_statuses": False,
            "permission_level": "create",
        }
        self.world.table("clickup.lists").put(row["id"], row)
        return row

    # -- tasks -------------------------------------------------------------------------------

    def tasks(self, lists: list[Record], count: int) -> list[Record]:
        open_lists = [row for row in lists if not row["archived"]]
        busy = next(row for row in open_lists if not row["folder"]["hidden"])
        self.busy_list = busy["id"]
        table = self.world.table("clickup.tasks")
        made: list[Record] = []
        tops: dict[str, list[str]] = {}
        spaces = self.world.table("clickup.spaces")
        for i in range(count):
            rng = self.rng("task", i)
            home = busy if rng.random() < 0.4 else rng.choice(open_lists)
            space = spaces[home["space"]["id"]]
            siblings = tops.setdefault(home["id"], [])
            parent = rng.choice(siblings) if siblings and rng.random() < 0.15 else None
            status = rng.choices(space["statuses"], weights=catalog.STATUS_WEIGHTS)[0]
            created = self.ms_before(rng, 1, 300) - i  # distinct, so orders are total
            updated = min(self.epoch_ms - 1000, created + rng.randrange(0, 20 * DAY_MS))
            closed = str(updated) if status["type"] == "closed" else None
            creator = rng.choice(self.members)
            assignees = rng.sample(self.members, rng.randint(0, 2))
            due = created + rng.randrange(2, 60) * DAY_MS if rng.random() < 0.6 else None
            task_id = self.task_id(rng)
            task = {
                "id": task_id,
                "custom_id": None,
                "custom_item_id": 0,
                "name": f"{rng.choice(catalog.TASK_VERBS)} {self.fake.bs()}",
                "text_content": "",
                "description": "",
                "status": {
                    "id": status["id"],
                    "status": status["status"],
                    "color": status["color"],
                    "orderindex": status["orderindex"],
                    "type": status["type"],
                },
                "orderindex": f"{i + 1}.00000000000000000000000000000000",
                "date_created": str(created),
                "date_updated": str(updated),
                "date_closed": closed,
                "date_done": closed,
                "archived": rng.random() < 0.05,
                "creator": short_user(creator),
                "assignees": [short_user(u) for u in assignees],
                "group_assignees": [],
                "watchers": [short_user(creator)],
                "checklists": [],
                "tags": [
                    _tag(name, creator["id"])
                    for name in rng.sample(catalog.TAGS, rng.randint(0, 2))
                ],
                "parent": parent,
                "top_level_parent": parent,
                "priority": catalog.priority(rng.choice([None, 1, 2, 3, 3, 4])),
                "due_date": None if due is None else str(due),
                "start_date": None,
                "points": None,
                "time_estimate": None,
                "time_spent": 0,
                "custom_fields": [],
                "dependencies": [],
                "linked_tasks": [],
                "locations": [],
                "team_id": self.team_id,
                "url": task_url(task_id),
                "sharing": SHARING,
                "permission_level": "create",
                "list": {"id": home["id"], "name": home["name"], "access": True},
                "project": {
                    "id": home["folder"]["id"],
                    "name": home["folder"]["name"],
                    "hidden": home["folder"]["hidden"],
                    "access": True,
                },
                "folder": {
                    "id": home["folder"]["id"],
                    "name": home["folder"]["name"],
                    "hidden": home["folder"]["hidden"],
                    "access": True,
                },
                "space": {"id": space["id"]},
            }
            task["text_content"] = task["description"] = self.fake.paragraph(nb_sentences=2)
            table.put(task_id, task)
            if parent is None:
                siblings.append(task_id)
            made.append(task)
        return made

    # -- comments ----------------------------------------------------------------------------

    def comments(self, tasks: list[Record], count: int) -> None:
        live = [t for t in tasks if not t["archived"] and t["parent"] is None]
        if not live or not count:
            return
        busy = next((t for t in live if t["list"]["id"] == self.busy_list), live[0])
        table = self.world.table("clickup.comments")
        for i in range(count):
            rng = self.rng("comment", i)
            task = busy if rng.random() < 0.6 else rng.choice(live)
            at = int(task["date_created"]) + rng.randrange(1, 30 * DAY_MS)
            at = min(at, self.epoch_ms - 10 * DAY_MS) + i  # distinct instants
            author = rng.choice(self.members)
            comment = self.comment(rng, author, at, {"type": "task", "id": task["id"]})
            table.put(comment["id"], comment)
            if rng.random() < 0.33:
                for r in range(rng.randint(1, 3)):
                    reply_at = at + (r + 1) * rng.randrange(60_000, DAY_MS)
                    who = rng.choice(self.members)
                    reply = self.comment(
                        rng, who, reply_at, {"type": "comment", "id": comment["id"]}
                    )
                    table.put(reply["id"], reply)

    def comment(self, rng: random.Random, author: Record, at: int, parent: Record) -> Record:
        text = self.fake.sentence(nb_words=rng.randint(5, 14))
        return {
            "id": self.numeric_id(rng, 14),
            "comment": [{"text": text}],
            "comment_text": text,
            "user": short_user(author),
            "assignee": None,
            "assigned_by": None,
            "resolved": False,
            "reactions": [],
            "date": str(at),
            "_parent": parent,
        }


def short_user(user: Record) -> dict[str, Any]:
    """A user as tasks and comments embed it."""
    return {
        "id": user["id"],
        "username": user["username"],
        "color": user["color"],
        "initials": user["initials"],
        "email": user["email"],
        "profilePicture": None,
    }


def _tag(name: str, creator: int) -> dict[str, Any]:
    return {"name": name, "tag_fg": "#ffffff", "tag_bg": "#7b68ee", "creator": creator}


SHARING = {
    "public": False,
    "public_share_expires_on": None,
    "public_fields": ["assignees", "priority", "due_date", "content", "comments", "attachments"],
    "token": None,
    "seo_optimized": False,
}
_FEATURES = {
    "due_dates": {
        "enabled": True,
        "start_date": True,
        "remap_due_dates": False,
        "remap_closed_due_date": False,
    },
    "time_tracking": {"enabled": True},
    "tags": {"enabled": True},
    "time_estimates": {"enabled": True},
    "checklists": {"enabled": True},
    "custom_fields": {"enabled": True},
    "remap_dependencies": {"enabled": True},
    "dependency_warning": {"enabled": True},
    "portfolios": {"enabled": True},
}
