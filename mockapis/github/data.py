"""The seeded GitHub world: the authenticated user and others, their repos, issues and pulls.

The token is eager; users, repositories and issues are lazy sources (:meth:`World.lazy`).
The numbers of the world (owners, issue kinds, states, authors, times) are planned in
vectorised passes by :mod:`mockapis.github.layout`; a source's loop only names its rows
(logins, repository names, keys) and each object is rendered when first read. The indexes
(:class:`User`, :class:`Repo`, :class:`Issue`) carry what truths need without rendering.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple, cast

import numpy as np

from mockapis import seeding
from mockapis.github.layout import PULL, Layout, layout
from mockapis.github.render import render_issue, render_repo, render_user, short_user
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "Issue", "Repo", "Repos", "User", "iso", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"users": 12, "repos": 250, "issues": 150}
"""``users``: other users; ``repos``: the most repos the authenticated user may own (it owns
between 40% and all of them, by seed); ``issues``: the size scale of the two busy repos."""

DAY_S = 86_400
USERS, REPOS, ISSUES, TOKENS = "github.users", "github.repos", "github.issues", "github._tokens"
_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_LANGUAGES = ("Python", "Go", "TypeScript", "Rust", "Java", "C", None)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with GitHub data of the given sizes; the agent's token credentials."""
    counts = resolve_sizes("github", sizes, DEFAULT_SIZES)
    epoch_s = world.epoch_ns // 1_000_000_000
    users = world.lazy(USERS, _users, world.seed, epoch_s, counts["users"])
    # The token names its user: the users table is a dozen rows, built here.
    me = next(iter(world.index(USERS)))
    plan = (world.seed, epoch_s, counts["repos"], counts["issues"])
    repos = world.lazy(REPOS, _repos, *plan, deps=(users,))
    world.lazy(ISSUES, _issues, *plan, deps=(users, repos))
    rng = seeding.stream(world.seed, "github", "token")
    token = "ghp_" + "".join(rng.choices(_TOKEN_ALPHABET, k=36))
    world.table(TOKENS).put(token, {"token": token, "login": me, "scopes": "repo, read:user"})
    return {"type": "bearer", "token": token}


def iso(seconds: int) -> str:
    """Epoch seconds as GitHub's ``2024-01-15T09:00:00Z`` (``time.strftime``: a third of
    ``datetime``'s cost, and rendering an issue formats two)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


# -- users -----------------------------------------------------------------------------------


class User(NamedTuple):
    """A user's index entry (the first is the authenticated user)."""

    login: str
    id: int
    prolific: bool
    """Whether this is the contributor behind 40% of every repository's pull requests."""


class _UserColumns:
    """A users table's drawn columns: the names (logins are made from them) with the table,
    the columns only rendering needs when the first user renders."""

    def __init__(self, draws: seeding.RowDraws, epoch_s: int, text_seed: int, names: list[str]):
        self.draws, self.epoch_s, self.text_seed, self.names = draws, epoch_s, text_seed, names

    @functools.cached_property
    def details(self) -> _UserDetails:
        """The render-only columns."""
        d, epoch_s = self.draws, self.epoch_s
        return _UserDetails(
            created=d.spans(5, epoch_s - 4000 * DAY_S + 1, epoch_s - 400 * DAY_S + 1),
            updated=d.spans(6, epoch_s - 300 * DAY_S + 1, epoch_s - DAY_S + 1),
            employed=d.chance(7, 0.5),
            companies=d.pick(8, pool("company")),
            cities=d.pick(9, pool("city")),
            described=d.chance(10, 0.6),
            followers=d.ints(11, 0, 900),
            following=d.ints(12, 0, 120),
        )


class _UserDetails(NamedTuple):
    """The users' render-only columns."""

    created: list[int]
    updated: list[int]
    employed: list[bool]
    companies: list[str]
    cities: list[str]
    described: list[bool]
    followers: list[int]
    following: list[int]


def _user(cols: _UserColumns, i: int, entry: User) -> Record:
    more = cols.details
    bio = seeding.sentence(seeding.stream(cols.text_seed, i), 8) if more.described[i] else None
    return render_user(
        login=entry.login,
        user_id=entry.id,
        name=cols.names[i],
        company=more.companies[i] if more.employed[i] else None,
        location=more.cities[i],
        bio=bio,
        followers=more.followers[i],
        following=more.following[i],
        created_at=iso(more.created[i]),
        updated_at=iso(more.updated[i]),
    )


def _users(seed_value: int, epoch_s: int, others: int) -> BuiltTables:
    """The authenticated user and ``others`` more; one of the others is prolific."""
    n = others + 1
    d = seeding.RowDraws(n, 14, seed_value, "github", "users")
    names = [
        f"{a} {b}"
        for a, b in zip(d.pick(0, pool("first_name")), d.pick(1, pool("last_name")), strict=True)
    ]
    cols = _UserColumns(d, epoch_s, derive_seed(seed_value, "github", "users", "text"), names)
    # The prolific contributor: one of the others (by the first row's spare column).
    prolific = 1 + d.below(13, others)[0] if others else 0
    ids = (1_000 + np.cumsum(np.array(d.ints(4, 1, 97), dtype=np.int64))).tolist()
    rows: dict[str, LazyRow] = {}
    index: dict[str, User] = {}
    retry: random.Random | None = None  # for login clashes
    for i, (style, number) in enumerate(zip(d.below(2, 4), d.ints(3, 1, 99), strict=True)):
        login = _login(names[i], style, number)
        while login in index:
            retry = retry or seeding.stream(seed_value, "github", "users", "logins")
            login += str(retry.randint(0, 9))
        entry = User(login, ids[i], i == prolific)
        rows[login] = LazyRow(_user, cols, i, entry)
        index[login] = entry
    return {USERS: rows, index_key(USERS): index}


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _login(name: str, style: int, number: int) -> str:
    parts = _NOT_ALNUM.sub(" ", name.lower()).split()
    first, last = parts[0], parts[-1]
    if style == 0:
        return f"{first}-{last}"
    if style == 1:
        return f"{first[0]}{last}"
    if style == 2:
        return f"{first}{last}{number}"
    return f"{last}-{first[:3]}"


def _layout(
    seed_value: int, epoch_s: int, max_repos: int, scale: int, users: BuiltTables
) -> Layout:
    """The world's plan of repositories and issues (both sources draw the same one)."""
    index: Mapping[str, User] = users[index_key(USERS)]
    prolific = next((i for i, u in enumerate(index.values()) if u.prolific), None)
    return layout(seed_value, epoch_s, max_repos, scale, len(index), prolific)


# -- repositories ----------------------------------------------------------------------------


class Repo(NamedTuple):
    """A repository's index entry, with counts of its issues (truths pick repositories by
    them without building the issues)."""

    full_name: str
    id: int
    owner: str
    private: bool
    created: int
    open_issues: int
    """Open issues, pull requests not counted."""
    open_pulls: int


@dataclass(frozen=True, eq=False)
class Repos(Mapping[str, Repo]):
    """The repositories' index: one column per fact, repository by repository in seeded
    order (the authenticated user's first), for truths to filter; as a mapping, each one's
    :class:`Repo` by full name (made on first use). It keeps the world's plan, which the
    issues' source builds from."""

    full_names: list[str]
    ids: list[int]
    owners: list[str]
    """Each repository's owner's login."""
    private: list[bool]
    created: list[int]
    open_issues: list[int]
    """Open issues, pull requests not counted."""
    open_pulls: list[int]
    plan: Layout

    @functools.cached_property
    def entries(self) -> dict[str, Repo]:
        """Every repository's :class:`Repo`, by full name, in seeded order."""
        facts = zip(
            self.full_names, self.ids, self.owners, self.private, self.created,
            self.open_issues, self.open_pulls, strict=True,
        )  # fmt: skip
        return dict(zip(self.full_names, map(Repo._make, facts), strict=True))

    def __getitem__(self, full_name: str) -> Repo:
        return self.entries[full_name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.full_names)

    def __len__(self) -> int:
        return len(self.full_names)


class _RepoDraws(NamedTuple):
    """A repositories table's drawn columns that only rendering needs."""

    text_seed: int
    traits: list[int]
    """One draw per repository for its small traits (see :func:`_traits`)."""
    sizes: list[int]
    stars: list[int]
    pushed: list[int]


_TRAITS = (5, 20, 6, 41, len(_LANGUAGES), 4)
"""The radices of a repository's traits: described (4 in 5), a fork (3 in 20), a star
bracket, forks, language, and the number of topics (0 to 3)."""


def _traits(value: int) -> list[int]:
    """A traits draw's digits (one uniform draw over the product of :data:`_TRAITS` is one
    independent uniform draw for each)."""
    digits = []
    for radix in _TRAITS:
        value, digit = divmod(value, radix)
        digits.append(digit)
    return digits


def _repo(cols: _RepoDraws, i: int, entry: Repo, owner: User) -> Record:
    described, fork, starred, forks, language, topics = _traits(cols.traits[i])
    # Variable-length text comes from the row's own stream (rendered rows are independent).
    rng = seeding.stream(cols.text_seed, i)
    description = seeding.sentence(rng, 7).rstrip(".") if described < 4 else None
    pushed = cols.pushed[i]
    return render_repo(
        repo_id=entry.id,
        owner=short_user(owner.login, owner.id),
        name=entry.full_name.split("/", 1)[1],
        private=entry.private,
        description=description,
        fork=fork < 3,
        created_at=iso(entry.created),
        updated_at=iso(max(pushed, entry.created + 1)),
        pushed_at=iso(pushed),
        size=cols.sizes[i],
        # Most repositories have a handful of stars, a few have thousands.
        stars=(0, 0, 1, 3, 12, cols.stars[i])[starred],
        forks=forks,
        language=_LANGUAGES[language],
        open_issues=entry.open_issues + entry.open_pulls,
        topics=sorted(set(seeding.words(rng, topics))),
    )


def _repos(
    seed_value: int, epoch_s: int, max_repos: int, scale: int, users: BuiltTables
) -> BuiltTables:
    """The users' repositories (names distinct per owner; a quarter private)."""
    plan = _layout(seed_value, epoch_s, max_repos, scale, users)
    d = plan.repos
    logins = list(users[index_key(USERS)])
    n = len(plan.owners)
    # Per repository: its open issues and pull requests.
    pull = plan.kinds == PULL
    open_issues = np.bincount(plan.repo_of[plan.open & ~pull], minlength=n).tolist()
    open_pulls = np.bincount(plan.repo_of[plan.open & pull], minlength=n).tolist()
    lorem = pool("lorem_word")
    # 1 to 3 distinct words (Faker's are: a repeat, one name in ~500, is dropped): the
    # common cases spelt out, a repeat through dict.fromkeys (a fifth of the cost of all).
    names = [
        a if k == 1 or a == b == c
        else f"{a}-{b}" if k == 2 and a != b
        else f"{a}-{b}-{c}" if k == 3 and a != b != c != a
        else "-".join(dict.fromkeys((a, b, c)[:k]))
        for k, a, b, c in zip(d.ints(2, 1, 3), *(d.pick(c, lorem) for c in (3, 4, 5)), strict=True)
    ]  # fmt: skip
    owners = [logins[k] for k in plan.owners]
    full_names = []
    taken: set[str] = set()
    retry: random.Random | None = None
    for owner, name in zip(owners, names, strict=True):
        full_name = f"{owner}/{name}"
        while full_name in taken:
            # A clash with the owner's other repository: a number, as a person would add.
            retry = retry or seeding.stream(seed_value, "github", "repos", "names")
            full_name += f"-{retry.randint(2, 99)}"
        taken.add(full_name)
        full_names.append(full_name)
    index = Repos(
        full_names, plan.repo_ids, owners, d.chance(6, 0.25), plan.created, open_issues,
        open_pulls, plan,
    )  # fmt: skip
    # The rows only when the table is read: truths read the index.
    rows = Partitions.whole(_repo_rows, seed_value, epoch_s, index, users[index_key(USERS)])
    return {REPOS: rows, index_key(REPOS): index}


def _repo_rows(
    seed_value: int, epoch_s: int, index: Repos, users: Mapping[str, User], _part: str
) -> dict[str, LazyRow]:
    """Each repository's row, from the columns only rendering needs."""
    plan = index.plan
    d = plan.repos
    # A repository is pushed after its newest issue (and a minute before the epoch at most).
    starts = np.array(plan.starts[:-1], dtype=np.int64)
    ends = np.array(plan.starts[1:], dtype=np.int64)
    created = np.array(plan.created, dtype=np.int64)
    newest = created.copy()
    busy = ends > starts
    newest[busy] = np.maximum(created[busy], plan.times[ends[busy] - 1])
    pushed = np.minimum(newest + np.array(d.ints(10, 60, 9 * DAY_S), dtype=np.int64), epoch_s - 60)
    cols = _RepoDraws(
        text_seed=derive_seed(seed_value, "github", "repos", "text"),
        traits=d.below(7, math.prod(_TRAITS)),
        sizes=d.ints(8, 0, 90_000),
        stars=d.ints(9, 0, 4000),
        pushed=pushed.tolist(),
    )
    return {
        key: LazyRow(_repo, cols, i, entry, users[entry.owner])
        for i, (key, entry) in enumerate(index.items())
    }


# -- issues and pull requests ----------------------------------------------------------------


class Issue(NamedTuple):
    """An issue's (or pull request's) index entry."""

    key: str
    """``owner/name#number``, its ``github.issues`` key."""
    repo: str
    number: int
    id: int
    pull: bool
    state: str
    draft: bool
    merged: bool
    author: str
    created: int


def _issue(
    text_seed: int, g: int, entry: Issue, author: User, comments: int, epoch_s: int
) -> Record:
    # Variable-length text comes from the row's own stream (rendered rows are independent).
    rng = seeding.stream(text_seed, g)
    title = seeding.sentence(rng, rng.randint(3, 9)).rstrip(".")
    body = seeding.paragraph(rng, 2) if rng.random() < 0.8 else None
    row = render_issue(
        issue_id=entry.id,
        full_name=entry.repo,
        number=entry.number,
        title=title,
        body=body,
        user=short_user(author.login, author.id),
        state=entry.state,
        comments=comments,
        created_at=iso(entry.created),
        pull=entry.pull,
        merged=entry.merged,
        draft=entry.draft,
    )
    # Updated (and closed, merged) a little after creation.
    later = iso(min(entry.created + 3600 * (1 + entry.number % 48), epoch_s - 1))
    row["updated_at"] = later
    if entry.state == "closed":
        row["closed_at"] = later
    if entry.merged:
        row["pull_request"]["merged_at"] = later
    return row


def _issues(
    seed_value: int,
    epoch_s: int,
    max_repos: int,
    scale: int,
    users: BuiltTables,
    repos: BuiltTables,
) -> BuiltTables:
    """Every repository's issues and pull requests, numbered in order of creation."""
    known = cast(Repos, repos[index_key(REPOS)])
    plan = known.plan  # the plan the repositories were built from (drawn once)
    people: list[User] = list(users[index_key(USERS)].values())
    names = known.full_names
    text_seed = derive_seed(seed_value, "github", "issues", "text")
    kinds, times, ids = plan.kinds.tolist(), plan.times.tolist(), plan.ids.tolist()
    is_open, merged, draft = plan.open.tolist(), plan.merged.tolist(), plan.draft.tolist()
    authors, comments = plan.authors.tolist(), plan.comments.tolist()
    rows: dict[str, LazyRow] = {}
    index: dict[str, Issue] = {}
    for j, (start, end) in enumerate(itertools.pairwise(plan.starts)):
        repo = names[j]
        for g in range(start, end):
            number = g - start + 1
            key = f"{repo}#{number}"
            author = people[authors[g]]
            entry = Issue(
                key, repo, number, ids[g], kinds[g] == PULL,
                "open" if is_open[g] else "closed", draft[g], merged[g], author.login, times[g],
            )  # fmt: skip
            rows[key] = LazyRow(_issue, text_seed, g, entry, author, comments[g], epoch_s)
            index[key] = entry
    return {ISSUES: rows, index_key(ISSUES): index}
