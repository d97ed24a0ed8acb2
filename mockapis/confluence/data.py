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
import itertools
import random
import string
from collections import Counter
from collections.abc import Mapping
from itertools import repeat
from typing import NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.confluence.access import TOKENS
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World, derive_seed

__all__ = [
    "BIG_SPACE_PAGES",
    "CONTENT",
    "DEFAULT_SIZES",
    "SITE",
    "SPACES",
    "USERS",
    "Content",
    "Featured",
    "Space",
    "seed",
]

SITE = "apibench.atlassian.net"
DEFAULT_SIZES: Mapping[str, int] = {"spaces": 36, "pages": 700, "blogposts": 60}
SPACES = "confluence.spaces"
CONTENT = "confluence.content"
USERS = "confluence.users"
BIG_SPACE_PAGES = (140, 220)
"""One space holds more pages than the largest page of results (100)."""
_DAY = 86_400
_PEOPLE = 25

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
    epoch = world.epoch_ns // 1_000_000_000
    counts = (sizes["spaces"], sizes["pages"], sizes["blogposts"])
    site = world.lazy((USERS, SPACES), _site, world.seed, epoch, *counts)
    world.lazy(CONTENT, _content, world.seed, epoch, *counts, deps=(site,))
    me = _users(world.seed)[0]
    email = str(me["email"])
    rng = seeding.stream(world.seed, "confluence", "token")
    token = (
        "ATATT3xFfGF0"
        + "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=172))
        + "="
        + seeding.hex_id(rng, 8).upper()
    )
    world.table(TOKENS).put(
        email.lower(), {"email": email, "token": token, "accountId": me["accountId"]}
    )
    return {"type": "basic", "username": email, "password": token, "site": f"https://{SITE}"}


def iso(seconds: int) -> str:
    """Confluence's timestamps: UTC with milliseconds and ``Z``."""
    # isoformat of a naive UTC datetime: the same text as strftime, in half the time.
    return (_EPOCH + dt.timedelta(seconds=seconds)).isoformat() + ".000Z"


_EPOCH = dt.datetime(1970, 1, 1)


def _users(seed_value: int) -> list[Record]:
    """The site's people, the agent's account first (known without building the site)."""
    d = seeding.RowDraws(_PEOPLE, 4, seed_value, "confluence", "users")
    rows = []
    for first, last, high, low in zip(
        d.pick(0, pool("first_name")),
        d.pick(1, pool("last_name")),
        d.words(2),
        d.words(3),
        strict=True,
    ):
        rows.append(
            {
                "accountId": f"5{high:016x}{low:016x}"[:24],
                "displayName": f"{first} {last}",
                "email": f"{first}.{last}@apibench-corp.com".lower(),
            }
        )
    return rows


# -- people and spaces (a few dozen plain rows) ----------------------------------------------


class Space(NamedTuple):
    """A space's index entry: its pages are content ``first`` to ``first + pages - 1`` of the
    site's content, in id order (the home page first)."""

    key: str
    id: int
    name: str
    status: str
    created: int
    """Unix seconds."""
    pages: int
    first: int
    featured: Featured | None
    """The site's featured page, if it is in this space."""


class Featured(NamedTuple):
    """A page chosen with the spaces (so that a truth naming it builds no page): in a space
    whose name no other space has, not its home page, with a title of its own."""

    id: str
    position: int
    """Its place among its space's pages (from 1: the home page is 0)."""
    title: str


def _key(name: str, taken: set[str]) -> str:
    letters = "".join(c for c in name.upper() if c.isalpha())
    for size in (3, 4, 5, 6):
        if letters[:size] not in taken:
            return letters[:size]
    n = 2
    while f"{letters[:4]}{n}" in taken:
        n += 1
    return f"{letters[:4]}{n}"


def _content_ids(seed_value: int, total: int) -> list[int]:
    """The ids of the site's content, rising by 1 to 4000 (pages space by space, then blog
    posts)."""
    d = seeding.RowDraws(total + 1, 1, seed_value, "confluence", "content-ids")
    steps = np.asarray(d.below(0, 4000), dtype=np.int64) + 1
    steps[0] = 30_000_000 + int(steps[0]) * 15_000  # the first id: 30 to 90 million
    return np.cumsum(steps)[1:].tolist()  # type: ignore[no-any-return]


def _site(
    seed_value: int, epoch: int, n_spaces: int, n_pages: int, n_blogposts: int
) -> BuiltTables:
    rng = seeding.stream(seed_value, "confluence", "spaces")
    users = _users(seed_value)
    taken: set[str] = set()
    ids = sorted(rng.sample(range(98_000, 3_500_000_000), n_spaces)) if n_spaces else []
    topics = rng.sample(_TOPICS, len(_TOPICS))
    spaces: list[Record] = []
    for i in range(n_spaces):
        personal = i > 2 and rng.random() < 0.15
        if personal:
            owner = rng.choice(users)
            key, name, kind = f"~{owner['accountId']}", str(owner["displayName"]), "personal"
        else:
            name = topics[i % len(topics)] + ("" if i < len(topics) else f" {i // len(topics) + 1}")
            key, kind = _key(name, taken), "global"
        archived = i > 0 and not personal and rng.random() < 0.22
        created = epoch - rng.randint(500 * _DAY, 1500 * _DAY)
        if key in taken:
            continue  # an owner's second personal space: one each
        taken.add(key)
        spaces.append(
            {
                "id": ids[i],
                "key": key,
                "name": name,
                "type": kind,
                "status": "archived" if archived else "current",
                "description": f"Everything about {name}." if not personal else "",
                "homepage_id": None,
                "created": iso(created),
                "_created": created,
            }
        )
    globals_ = [s for s in spaces[1:] if s["type"] == "global"]
    if globals_ and all(s["status"] == "current" for s in spaces):
        globals_[-1]["status"] = "archived"  # every site has an archived space
    shares = _shares(seed_value, spaces, n_pages)
    content_ids = _content_ids(seed_value, n_pages + n_blogposts)
    names = Counter(s["name"] for s in spaces)
    firsts = list(itertools.accumulate([0, *shares]))
    # The featured page: a page (not the home page) of a space with a name of its own.
    hosts = [k for k, s in enumerate(spaces) if names[s["name"]] == 1 and shares[k] > 1]
    host = hosts[int(rng.random() * len(hosts))] if hosts else -1
    rows: dict[str, Record] = {}
    index: dict[str, Space] = {}
    for k, (space, pages, first) in enumerate(zip(spaces, shares, firsts, strict=False)):
        created = space.pop("_created")
        space["homepage_id"] = str(content_ids[first]) if pages else None
        featured = None
        if k == host:
            at = 1 + int(rng.random() * (pages - 1))
            title = rng.choice(_PAGE_WORDS)
            featured = Featured(str(content_ids[first + at]), at, title)
        rows[space["key"]] = space
        index[space["key"]] = Space(
            space["key"],
            space["id"],
            space["name"],
            space["status"],
            created,
            pages,
            first,
            featured,
        )
    return {
        USERS: {u["accountId"]: u for u in users},
        SPACES: rows,
        index_key(SPACES): index,
    }


def _shares(seed_value: int, spaces: list[Record], n_pages: int) -> list[int]:
    """Pages per space: one home page each, the first current global space more than the
    largest page of results (100), the rest by a random weight per space."""
    if not spaces or not n_pages:
        return [0] * len(spaces)
    rng = seeding.stream(seed_value, "confluence", "shares")
    shares = [1] * len(spaces)
    big = next(
        (k for k, s in enumerate(spaces) if s["type"] == "global" and s["status"] == "current"), 0
    )
    shares[big] = max(
        1, min(n_pages, rng.randint(*BIG_SPACE_PAGES)) if n_pages > 300 else n_pages // 3
    )
    others = [k for k in range(len(spaces)) if k != big]
    rest = n_pages - sum(shares)
    if others and rest > 0:
        cum = list(itertools.accumulate(rng.uniform(0.1, 2.0) for _ in others))
        d = seeding.RowDraws(rest, 1, seed_value, "confluence", "pages")
        picks = np.bincount(
            np.asarray(d.weighted(0, range(len(others)), cum), dtype=np.intp),
            minlength=len(others),
        )
        for k, n in zip(others, picks.tolist(), strict=True):
            shares[k] += n
    return shares


# -- pages and blog posts (lazy rows) --------------------------------------------------------


class Content(NamedTuple):
    """A page's or blog post's index entry."""

    id: str
    type: str
    space_key: str
    parent_id: str | None
    title: str
    position: int


_ITEMS = (
    "Owner: the platform team",
    "Review every quarter",
    "Linked from the team home page",
    "Ask in #help before editing",
    "Status: approved",
    "Next review in March",
    "Contains customer data: no",
    "Escalation: on-call lead",
)


def _storage(rng: random.Random, title: str) -> str:
    items = rng.sample(_ITEMS, rng.randint(2, 4))
    lis = "".join(f"<li><p>{item}</p></li>" for item in items)
    return (
        f"<h1>{title}</h1><p>This page covers {title.lower()}. Last checked with "
        f"{rng.randint(2, 40)} contributors.</p><ul>{lis}</ul>"
    )


class _RowContext(NamedTuple):
    """What every page and blog post renders with."""

    text_seed: int
    epoch: int
    people: tuple[str, ...]
    created: Mapping[str, int]
    """Space key -> when the space was made (Unix seconds)."""


def _row(ctx: _RowContext, k: int, entry: Content) -> Record:
    rng = seeding.stream(ctx.text_seed, k)  # the row's own stream (variable-length text)
    epoch, people = ctx.epoch, ctx.people
    created = rng.randint(ctx.created[entry.space_key] + _DAY, epoch - 2 * _DAY)
    return {
        "id": entry.id,
        "type": entry.type,
        "status": "current",
        "title": entry.title,
        "space_key": entry.space_key,
        "parent_id": entry.parent_id,
        "position": entry.position,
        "body": _storage(rng, entry.title),
        "version": rng.randint(1, 12),
        "created": iso(created),
        "created_by": rng.choice(people),
        "updated": iso(rng.randint(created, epoch - _DAY)),
        "updated_by": rng.choice(people),
    }


def _content(
    seed_value: int,
    epoch: int,
    n_spaces: int,
    n_pages: int,
    n_blogposts: int,
    site: BuiltTables,
) -> BuiltTables:
    spaces: list[Space] = list(site[index_key(SPACES)].values())
    if not spaces:
        return {CONTENT: {}, index_key(CONTENT): {}}
    ids = list(map(str, _content_ids(seed_value, n_pages + n_blogposts)))
    d = seeding.RowDraws(len(ids), 7, seed_value, "confluence", "content")
    words, to_home, under = d.pick(0, _PAGE_WORDS), d.chance(1, 0.4), d.floats(2)
    # A title taken in its space becomes "<word> <number>": drawn here, again if taken too.
    other_words, numbers = d.pick(5, _PAGE_WORDS), d.ints(6, 2, 999)
    retry = seeding.stream(seed_value, "confluence", "titles")
    titles: list[str] = []
    parents: list[str | None] = []
    keys: list[str] = []
    positions: list[int] = []
    for space in spaces:
        if not space.pages:
            continue
        first, home = space.first, ids[space.first]
        taken = {f"{space.name} Home"}
        featured = space.featured
        if featured is not None:
            taken.add(featured.title)  # its title is its own in its space
        titles.append(f"{space.name} Home")
        parents.append(None)
        for n in range(1, space.pages):
            at = first + n
            title = words[at]
            if featured is not None and n == featured.position:
                title = featured.title
            elif title in taken:
                title = f"{other_words[at]} {numbers[at]}"
                while title in taken:
                    title = f"{retry.choice(_PAGE_WORDS)} {retry.randint(2, 999)}"
            taken.add(title)
            titles.append(title)
            # Under any earlier page of the space, the home page more often.
            parents.append(home if to_home[at] else ids[first + int(under[at] * n)])
        keys += repeat(space.key, space.pages)
        positions += range(space.pages)
    hosts = d.pick(3, spaces)[n_pages:]
    kinds = d.pick(4, ("Weekly update #", "Announcement #", "Release notes #"))[n_pages:]
    titles += map("{}{}".format, kinds, range(1, n_blogposts + 1))
    parents += repeat(None, n_blogposts)
    keys += [space.key for space in hosts]
    positions += range(n_blogposts)
    kinds_ = [*repeat("page", n_pages), *repeat("blogpost", n_blogposts)]
    entries = list(
        map(Content._make, zip(ids, kinds_, keys, parents, titles, positions, strict=True))
    )
    created = {s.key: s.created for s in spaces}
    text_seed = derive_seed(seed_value, "confluence", "content", "text")
    rows = dict(
        zip(
            ids,
            map(
                LazyRow,
                repeat(_row),
                repeat(_RowContext(text_seed, epoch, tuple(site[USERS]), created)),
                range(len(ids)),
                entries,
            ),
            strict=True,
        )
    )
    return {CONTENT: rows, index_key(CONTENT): dict(zip(ids, entries, strict=True))}
