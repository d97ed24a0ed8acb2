"""The seeded GitHub world: its indexes agree with its objects, and the properties tasks
rely on (busy repositories, the prolific contributor, numbers in order of creation)."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.github import SERVICE
from mockapis.github.data import iso
from mockapis.world import World
from tests.inprocess import seeded_world

SEEDS = [0, 9, 2**31 - 7]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_objects(seed: int) -> None:
    world = _seeded(seed)
    users = world.table("github.users")
    for login, user in world.index("github.users").items():
        assert (users[login]["login"], users[login]["id"]) == (login, user.id)
    repos, issues = world.table("github.repos"), world.table("github.issues")
    assert list(world.index("github.repos")) == list(repos)
    assert list(world.index("github.issues")) == list(issues)
    open_counts: Counter[tuple[str, bool]] = Counter()
    for key, entry in world.index("github.issues").items():
        row = issues[key]
        assert (entry.repo, entry.number) == (
            row["repository_url"].split("/repos/")[1],
            row["number"],
        )
        assert key == f"{entry.repo}#{entry.number}" and entry.id == row["id"]
        assert entry.pull == ("pull_request" in row) and entry.state == row["state"]
        assert entry.draft == row.get("draft", False)
        assert entry.merged == bool(row.get("pull_request", {}).get("merged_at"))
        assert (entry.author, iso(entry.created)) == (row["user"]["login"], row["created_at"])
        if entry.state == "open":
            open_counts[(entry.repo, entry.pull)] += 1
    for key, entry in world.index("github.repos").items():
        row = repos[key]
        assert (entry.full_name, entry.id, entry.owner) == (key, row["id"], row["owner"]["login"])
        assert (entry.private, iso(entry.created)) == (row["private"], row["created_at"])
        assert entry.open_issues == open_counts[(key, False)]
        assert entry.open_pulls == open_counts[(key, True)]
        assert row["open_issues_count"] == entry.open_issues + entry.open_pulls


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    me = next(iter(world.table("github._tokens").values()))["login"]
    users = list(world.table("github.users").values())
    assert users[0]["login"] == me and len(users) == 13
    repos = list(world.table("github.repos").values())
    mine = [r for r in repos if r["owner"]["login"] == me]
    assert 100 <= len(mine) <= 250
    assert 0.1 < sum(r["private"] for r in mine) / len(mine) < 0.4
    assert all(1 <= sum(r["owner"]["login"] == u["login"] for r in repos) <= 4 for u in users[1:])
    issues = list(world.table("github.issues").values())
    per_repo: dict[str, list[dict]] = {}
    for row in issues:
        per_repo.setdefault(row["repository_url"].rsplit("/repos/")[1], []).append(row)
    busy = [name for name, rows in per_repo.items() if len(rows) > 3]
    assert len(busy) == 2 and all(name.startswith(f"{me}/") for name in busy)
    for name, rows in per_repo.items():
        rows.sort(key=lambda r: r["number"])
        assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
        # Numbers follow creation; a repository is pushed after its newest issue.
        created = [r["created_at"] for r in rows]
        assert created == sorted(created)
        assert max(created) <= next(r for r in repos if r["full_name"] == name)["pushed_at"]
        assert all(r["updated_at"] >= r["created_at"] for r in rows)
    for name in busy:
        open_issues = [
            r for r in per_repo[name] if r["state"] == "open" and "pull_request" not in r
        ]
        assert len(open_issues) > 30  # more than GitHub's default page
    pulls = [r for r in issues if "pull_request" in r]
    authors = Counter(r["user"]["login"] for r in pulls)
    prolific = [u.login for u in world.index("github.users").values() if u.prolific]
    assert len(prolific) == 1 and authors.most_common(1)[0][0] == prolific[0]
    assert authors[prolific[0]] >= 0.4 * len(pulls)
    assert any(r["draft"] for r in pulls) and any(r["pull_request"]["merged_at"] for r in pulls)
    for row in pulls:
        assert not row["draft"] or row["state"] == "open"
        assert not row["pull_request"]["merged_at"] or row["state"] == "closed"


def test_sizes() -> None:
    small = _seeded(4, {"users": 2, "repos": 10, "issues": 40})
    logins = list(small.table("github.users"))
    assert len(logins) == 3
    owners = Counter(r["owner"]["login"] for r in small.table("github.repos").values())
    assert 4 <= owners[logins[0]] <= 10 and all(1 <= owners[u] <= 4 for u in logins[1:])
    assert 2 * (10 + 4 + 16) <= len(small.table("github.issues")) <= 2 * (16 + 8 + 24) + 3 * 10
    alone = _seeded(4, {"users": 0, "repos": 0, "issues": 0})
    assert len(alone.table("github.users")) == 1
    assert len(alone.table("github.repos")) == len(alone.table("github.issues")) == 0
    with pytest.raises(ValueError, match="repos"):
        _seeded(1, {"repositories": 3})


def test_same_seed_same_world() -> None:
    a, b, c = _seeded(21), _seeded(21), _seeded(22)
    assert a.state_hash() == b.state_hash() != c.state_hash()
