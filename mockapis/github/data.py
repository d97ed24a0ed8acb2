"""The seeded GitHub world: the authenticated user and others, their repos, issues and pulls."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from faker import Faker

from mockapis.github.render import (
    issue_key,
    render_issue,
    render_repo,
    render_user,
    simple_user,
)
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"users": 12, "repos": 250, "issues": 150}
"""``users``: other users; ``repos``: the most repos the authenticated user may own (it owns
between 40% and all of them, by seed); ``issues``: the size scale of the two busy repos."""

DAY_S = 86_400
PROLIFIC_SHARE = (0, 2)
"""Pull requests whose index mod 5 is in here are by the prolific contributor (40%)."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with GitHub data of the given sizes; the agent's token credentials."""
    counts = resolve_sizes("github", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    me = gen.users(counts["users"])
    token = gen.token(me)
    gen.repos(me, counts["repos"], counts["issues"])
    return {"type": "bearer", "token": token}


class _Generator:
    """One seeding run: the world, a reused Faker and per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch_s = world.epoch_ns // 1_000_000_000
        self.logins: list[str] = []
        self.users_by_login: dict[str, Record] = {}
        self.prolific = ""
        self._seconds: set[int] = set()
        self._next_id = 1_000

    def rng(self, kind: str, i: int) -> random.Random:
        seed = derive_seed(self.world.seed, "github", kind, i)
        self.fake.seed_instance(seed)
        return random.Random(seed)

    def new_id(self, rng: random.Random) -> int:
        self._next_id += rng.randint(1, 97)
        return self._next_id

    def moment(self, rng: random.Random, low_days: float, high_days: float) -> int:
        """Distinct epoch seconds between ``low_days`` and ``high_days`` before the epoch."""
        at = self.epoch_s - rng.randrange(int(low_days * DAY_S), int(high_days * DAY_S))
        while at in self._seconds:
            at -= 1
        self._seconds.add(at)
        return at

    def users(self, others: int) -> str:
        """The authenticated user (returned) and ``others`` more users."""
        table = self.world.table("github.users")
        for i in range(others + 1):
            rng = self.rng("user", i)
            name = self.fake.name()
            login = _login(name, rng)
            while login in self.users_by_login:
                login += str(rng.randint(0, 9))
            created = self.moment(rng, 400, 4000)
            user = render_user(
                login=login,
                user_id=self.new_id(rng),
                name=name,
                company=self.fake.company() if rng.random() < 0.5 else None,
                location=self.fake.city(),
                bio=self.fake.sentence(nb_words=8) if rng.random() < 0.6 else None,
                followers=rng.randint(0, 900),
                following=rng.randint(0, 120),
                created_at=iso(created),
                updated_at=iso(self.moment(rng, 1, 300)),
            )
            self.logins.append(login)
            self.users_by_login[login] = user
            table.put(login, user)
        self.prolific = self.logins[1 + self.rng("prolific", 0).randrange(others)] if others else ""
        return self.logins[0]

    def token(self, login: str) -> str:
        rng = self.rng("token", 0)
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        token = "ghp_" + "".join(rng.choice(alphabet) for _ in range(36))
        self.world.table("github._tokens").put(
            token, {"token": token, "login": login, "scopes": "repo, read:user"}
        )
        return token

    def repos(self, me: str, max_repos: int, scale: int) -> None:
        """The user's repos (two of them busy with issues) and a few of every other user."""
        own = self.rng("own", 0).randint(max_repos * 2 // 5, max_repos) if max_repos else 0
        busy = set(self.rng("busy", 0).sample(range(own), min(2, own)))
        index = 0
        for owner in self.logins:
            count = own if owner == me else self.rng("count", index).randint(1, 4)
            names: set[str] = set()
            for j in range(count):
                self.repo(index, owner, names, scale if owner == me and j in busy else 0)
                index += 1

    def repo(self, i: int, owner: str, names: set[str], scale: int) -> None:
        rng = self.rng("repo", i)
        name = "-".join(self.fake.words(nb=rng.randint(1, 3), unique=True)).lower()
        while name in names:
            name += f"-{rng.randint(2, 99)}"
        names.add(name)
        created = self.moment(rng, 30, 3000)
        private = rng.random() < 0.25
        issues = self.issues(i, f"{owner}/{name}", created, scale)
        pushed = max([created, *(at for at, _ in issues)]) + rng.randint(60, 9 * DAY_S)
        pushed = min(pushed, self.epoch_s - 60)
        repo = render_repo(
            repo_id=self.new_id(rng),
            owner=simple_user(self.users_by_login[owner]),
            name=name,
            private=private,
            description=self.fake.sentence(nb_words=7).rstrip(".") if rng.random() < 0.8 else None,
            fork=rng.random() < 0.15,
            created_at=iso(created),
            updated_at=iso(max(pushed, created + 1)),
            pushed_at=iso(pushed),
            size=rng.randint(0, 90_000),
            stars=rng.choice((0, 0, 1, 3, 12, rng.randint(0, 4000))),
            forks=rng.randint(0, 40),
            language=rng.choice(("Python", "Go", "TypeScript", "Rust", "Java", "C", None)),
            open_issues=sum(1 for _, row in issues if row["state"] == "open"),
            topics=sorted(set(self.fake.words(nb=rng.randint(0, 3)))),
        )
        self.world.table("github.repos").put(repo["full_name"], repo)
        for _, row in issues:
            self.world.table("github.issues").put(issue_key(repo["full_name"], row["number"]), row)

    def issues(self, i: int, full_name: str, created: int, scale: int) -> list[tuple[int, Record]]:
        """The issues and pull requests of one repo, in number order, with their times."""
        rng = self.rng("issues", i)
        if scale:
            kinds = (
                ["open"] * rng.randint(scale // 4, scale * 2 // 5)
                + ["closed"] * rng.randint(scale // 10, scale // 5)
                + ["pr"] * rng.randint(scale * 2 // 5, scale * 3 // 5)
            )
            rng.shuffle(kinds)
        else:
            kinds = [rng.choice(("open", "closed", "pr")) for _ in range(rng.randint(0, 3))]
        found: list[tuple[int, Record]] = []
        span = max(2, (self.epoch_s - created) // DAY_S)
        prs = 0
        for number, kind in enumerate(kinds, start=1):
            row_rng = self.rng(f"issue:{full_name}", number)
            at = self.moment(row_rng, 1, span)
            author = self.logins[row_rng.randrange(len(self.logins))]
            if kind == "pr":
                if self.prolific and prs % 5 in PROLIFIC_SHARE:
                    author = self.prolific
                prs += 1
            found.append((at, self.issue(row_rng, full_name, number, kind, at, author)))
        # Numbers follow creation time, as on GitHub.
        times = sorted(at for at, _ in found)
        return [
            (at, _retime(row, at, self.epoch_s)) for at, (_, row) in zip(times, found, strict=True)
        ]

    def issue(
        self, rng: random.Random, full_name: str, number: int, kind: str, at: int, author: str
    ) -> Record:
        state = "open" if kind == "open" or (kind == "pr" and rng.random() < 0.4) else "closed"
        title = self.fake.sentence(nb_words=rng.randint(3, 9)).rstrip(".")
        body = self.fake.paragraph(nb_sentences=2) if rng.random() < 0.8 else None
        return render_issue(
            issue_id=self.new_id(rng),
            full_name=full_name,
            number=number,
            title=title,
            body=body,
            user=simple_user(self.users_by_login[author]),
            state=state,
            comments=rng.randint(0, 12),
            created_at=iso(at),
            pull=kind == "pr",
            merged=state == "closed" and rng.random() < 0.7,
            draft=state == "open" and rng.random() < 0.2,
        )


def _retime(row: Record, at: int, epoch_s: int) -> Record:
    """``row`` created at ``at``; updated (and closed, merged) a little later."""
    later = min(at + 3600 * (1 + row["number"] % 48), epoch_s - 1)
    closed = iso(later) if row["state"] == "closed" else None
    retimed = {**row, "created_at": iso(at), "updated_at": iso(later), "closed_at": closed}
    if "pull_request" in row:
        merged = closed if row["pull_request"]["merged_at"] else None
        retimed["pull_request"] = {**row["pull_request"], "merged_at": merged}
    return retimed


def iso(seconds: int) -> str:
    """Epoch seconds as GitHub's ``2024-01-15T09:00:00Z``."""
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _login(name: str, rng: random.Random) -> str:
    parts = [p for p in "".join(c if c.isalnum() else " " for c in name).lower().split() if p]
    first, last = parts[0], parts[-1]
    style = rng.randrange(4)
    if style == 0:
        return f"{first}-{last}"
    if style == 1:
        return f"{first[0]}{last}"
    if style == 2:
        return f"{first}{last}{rng.randint(1, 99)}"
    return f"{last}-{first[:3]}"
