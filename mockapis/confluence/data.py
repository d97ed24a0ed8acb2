"""The seeded Confluence Cloud site: people, spaces (some archived, some personal) and content.

Tables:

- ``confluence.spaces``: space key -> ``{"id", "key", "name", "type", "status",
  "description", "homepage_id", "created"}`` (``id`` a number, ``key`` what the API takes).
- ``confluence.content``: content id (digits) -> ``{"id", "type", "status", "title",
  "space_key", "parent_id", "position", "body", "version", "created", "created_by",
  "updated", "updated_by"}`` (``body``: the storage format, XHTML).
- ``confluence.users``: account id -> ``{"accountId", "displayName", "email"}``.
- ``confluence._tokens``: the agent's email (lower case) -> ``{"email", "token", "accountId"}``.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.confluence.access import TOKENS
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["BIG_SPACE_PAGES", "CONTENT", "DEFAULT_SIZES", "SITE", "SPACES", "USERS", "seed"]

SITE = "apibench.atlassian.net"
DEFAULT_SIZES: Mapping[str, int] = {"spaces": 36, "pages": 700, "blogposts": 60}
SPACES = "confluence.spaces"
CONTENT = "confluence.content"
USERS = "confluence.users"
BIG_SPACE_PAGES = (140, 220)
"""One space holds more pages than the largest page of results (100)."""
_DAY = 86_400

_TOPICS = (
    "Engineering",
    "Marketing",
    "Product",
    "Design",
    "Sales",
    "Support",
    "Finance",
    "Legal",
    "People",
    "Security",
    "Platform",
    "Data",
    "Mobile",
    "Infrastructure",
    "Research",
    "Operations",
    "Partnerships",
    "Documentation",
    "Quality",
    "Growth",
    "Analytics",
    "Brand",
    "Events",
    "Onboarding",
    "Architecture",
    "Releases",
    "Compliance",
    "Payments",
    "Search",
    "Billing",
    "Identity",
    "Localization",
    "Accessibility",
    "Performance",
)
_PAGE_WORDS = (
    "Roadmap",
    "Retrospective",
    "Runbook",
    "Onboarding guide",
    "Meeting notes",
    "Decision log",
    "Architecture overview",
    "Release checklist",
    "Incident review",
    "Style guide",
    "FAQ",
    "Quarterly goals",
    "Requirements",
    "How-to",
    "Troubleshooting",
    "Glossary",
    "Team charter",
    "Budget",
    "Hiring plan",
    "Postmortem",
    "Design review",
    "Test plan",
    "Migration plan",
)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with the site; returns Basic credentials (the account's email and API
    token)."""
    sizes = resolve_sizes("confluence", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "confluence"))
    fake = Faker("en_US")
    fake.seed_instance(derive_seed(world.seed, "confluence", "people"))
    epoch = world.clock.now_ns // 1_000_000_000
    users = _users(world, rng, fake)
    me = users[0]
    email = str(me["email"])
    token = (
        "ATATT3xFfGF0"
        + "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(172))
        + "="
        + _hex(rng, 8).upper()
    )
    world.table(TOKENS).put(
        email.lower(), {"email": email, "token": token, "accountId": me["accountId"]}
    )
    spaces = _spaces(world, rng, users, sizes["spaces"], epoch)
    _content(world, rng, users, spaces, sizes["pages"], sizes["blogposts"], epoch)
    return {"type": "basic", "username": email, "password": token, "site": f"https://{SITE}"}


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def iso(seconds: int) -> str:
    """Confluence's timestamps: UTC with milliseconds and ``Z``."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _users(world: World, rng: random.Random, fake: Faker) -> list[Record]:
    users: list[Record] = []
    for _ in range(25):
        first, last = fake.first_name(), fake.last_name()
        row = {
            "accountId": f"5{_hex(rng, 23)}",
            "displayName": f"{first} {last}",
            "email": f"{first}.{last}@apibench-corp.com".lower(),
        }
        world.table(USERS).put(row["accountId"], row)
        users.append(row)
    return users


def _key(name: str, taken: set[str]) -> str:
    letters = "".join(c for c in name.upper() if c.isalpha())
    for size in (3, 4, 5, 6):
        if letters[:size] not in taken:
            return letters[:size]
    n = 2
    while f"{letters[:4]}{n}" in taken:
        n += 1
    return f"{letters[:4]}{n}"


def _spaces(
    world: World, rng: random.Random, users: list[Record], count: int, epoch: int
) -> list[Record]:
    taken: set[str] = set()
    ids = sorted(rng.sample(range(98_000, 3_500_000_000), count)) if count else []
    topics = rng.sample(_TOPICS, len(_TOPICS))
    spaces: list[Record] = []
    for i in range(count):
        personal = i > 2 and rng.random() < 0.15
        if personal:
            owner = rng.choice(users)
            key, name, kind = f"~{owner['accountId']}", str(owner["displayName"]), "personal"
        else:
            name = topics[i % len(topics)] + ("" if i < len(topics) else f" {i // len(topics) + 1}")
            key, kind = _key(name, taken), "global"
        if key in taken:
            continue
        taken.add(key)
        row = {
            "id": ids[i],
            "key": key,
            "name": name,
            "type": kind,
            "status": "archived" if i > 0 and not personal and rng.random() < 0.22 else "current",
            "description": f"Everything about {name}." if not personal else "",
            "homepage_id": None,
            "created": iso(epoch - rng.randint(500 * _DAY, 1500 * _DAY)),
        }
        spaces.append(row)
    return spaces


def _storage(rng: random.Random, title: str) -> str:
    items = rng.sample(
        (
            "Owner: the platform team",
            "Review every quarter",
            "Linked from the team home page",
            "Ask in #help before editing",
            "Status: approved",
            "Next review in March",
            "Contains customer data: no",
            "Escalation: on-call lead",
        ),
        rng.randint(2, 4),
    )
    lis = "".join(f"<li><p>{item}</p></li>" for item in items)
    return (
        f"<h1>{title}</h1><p>This page covers {title.lower()}. Last checked with "
        f"{rng.randint(2, 40)} contributors.</p><ul>{lis}</ul>"
    )


def _content(
    world: World,
    rng: random.Random,
    users: list[Record],
    spaces: list[Record],
    pages: int,
    blogposts: int,
    epoch: int,
) -> None:
    table = world.table(CONTENT)
    if not spaces:
        return
    big = next((s for s in spaces if s["type"] == "global" and s["status"] == "current"), spaces[0])
    big_share = min(pages, rng.randint(*BIG_SPACE_PAGES)) if pages > 300 else pages // 3
    per_space: dict[str, int] = {s["key"]: 1 for s in spaces}  # every space has a home page
    per_space[big["key"]] = max(1, big_share)
    others = [s for s in spaces if s is not big]
    weights = [rng.uniform(0.1, 2.0) for _ in others]
    for _ in range(max(0, pages - sum(per_space.values()))):
        if others:
            per_space[rng.choices(others, weights=weights)[0]["key"]] += 1
    next_id = rng.randint(30_000_000, 90_000_000)
    rows: list[Record] = []
    for space in spaces:
        created = int(
            dt.datetime.fromisoformat(space["created"].replace("Z", "+00:00")).timestamp()
        )
        titles: set[str] = set()
        members: list[Record] = []
        for n in range(per_space[space["key"]]):
            next_id += rng.randint(1, 4000)
            if n == 0:
                title = f"{space['name']} Home"
                parent = None
            else:
                title = f"{rng.choice(_PAGE_WORDS)}"
                while title in titles:
                    title = f"{rng.choice(_PAGE_WORDS)} {rng.randint(2, 999)}"
                parent = rng.choice(members[: max(1, len(members))])["id"]
                if rng.random() < 0.4:
                    parent = members[0]["id"]
            titles.add(title)
            row = _row(rng, users, str(next_id), "page", title, space, parent, n, created, epoch)
            members.append(row)
            rows.append(row)
        world.table(SPACES).put(space["key"], {**space, "homepage_id": members[0]["id"]})
    for n in range(blogposts):
        space = rng.choice(spaces)
        next_id += rng.randint(1, 4000)
        created = int(
            dt.datetime.fromisoformat(space["created"].replace("Z", "+00:00")).timestamp()
        )
        title = f"{rng.choice(('Weekly update', 'Announcement', 'Release notes'))} #{n + 1}"
        rows.append(
            _row(rng, users, str(next_id), "blogpost", title, space, None, n, created, epoch)
        )
    for row in rows:
        table.put(row["id"], row)


def _row(
    rng: random.Random,
    users: list[Record],
    cid: str,
    kind: str,
    title: str,
    space: Record,
    parent: str | None,
    position: int,
    space_created: int,
    epoch: int,
) -> Record:
    created = rng.randint(space_created + _DAY, epoch - 2 * _DAY)
    author: Any = rng.choice(users)["accountId"]
    return {
        "id": cid,
        "type": kind,
        "status": "current",
        "title": title,
        "space_key": space["key"],
        "parent_id": parent,
        "position": position,
        "body": _storage(rng, title),
        "version": rng.randint(1, 12),
        "created": iso(created),
        "created_by": author,
        "updated": iso(rng.randint(created, epoch - _DAY)),
        "updated_by": rng.choice(users)["accountId"],
    }
