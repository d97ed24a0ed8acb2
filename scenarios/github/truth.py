"""Ground truth of the GitHub scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]


def me(world: World) -> str:
    """The login of the seeded token's user."""
    return str(next(iter(world.table("github._tokens").values()))["login"])


def my_repos(world: World) -> list[Record]:
    """The authenticated user's repositories, in GitHub's default order (full name)."""
    login = me(world)
    repos = [r for r in world.table("github.repos").values() if r["owner"]["login"] == login]
    return sorted(repos, key=lambda r: (r["full_name"].lower(), r["id"]))


def all_repos(world: World, rng: random.Random) -> Truth:
    """Every repository the user owns (more than 100, so more than one page of any size)."""
    names = [r["full_name"] for r in my_repos(world)]
    return {"inputs": {}, "expected": {"names": names, "count": len(names)}}


def prs_by_author(world: World, rng: random.Random) -> Truth:
    """The pull requests of the most prolific author that the user may see, as
    ``owner/repo#number`` (others' private repositories are out of sight)."""
    login = me(world)
    visible = {
        r["url"]
        for r in world.table("github.repos").values()
        if not r["private"] or r["owner"]["login"] == login
    }
    pulls = [
        row
        for row in world.table("github.issues").values()
        if "pull_request" in row and row["repository_url"] in visible
    ]
    author = Counter(row["user"]["login"] for row in pulls).most_common(1)[0][0]
    refs = sorted(
        f"{row['repository_url'].split('/repos/', 1)[1]}#{row['number']}"
        for row in pulls
        if row["user"]["login"] == author
    )
    return {"inputs": {"author": author}, "expected": {"refs": refs}}


def open_issues(world: World, rng: random.Random) -> Truth:
    """The open issues (not pull requests) of the busiest of the user's repositories."""
    counts: Counter[str] = Counter()
    for row in world.table("github.issues").values():
        if row["state"] == "open" and "pull_request" not in row:
            counts[row["repository_url"].split("/repos/", 1)[1]] += 1
    busy = sorted(r["full_name"] for r in my_repos(world) if counts[r["full_name"]] > 30)
    repo = rng.choice(busy)
    numbers = sorted(
        row["number"]
        for key, row in world.table("github.issues").items()
        if key.startswith(f"{repo}#") and row["state"] == "open" and "pull_request" not in row
    )
    return {"inputs": {"repo": repo}, "expected": {"numbers": numbers}}


def _ref(row: Record) -> str:
    return f"{row['repository_url'].split('/repos/', 1)[1]}#{row['number']}"


def _my_pulls(world: World) -> list[Record]:
    """The pull requests of the repositories the user owns."""
    mine = {r["url"] for r in my_repos(world)}
    return [
        row
        for row in world.table("github.issues").values()
        if "pull_request" in row and row["repository_url"] in mine
    ]


def all_my_pulls(world: World, rng: random.Random) -> Truth:
    """Every pull request (any state) in the user's repositories: more than the 1,000
    results one search query can page through."""
    refs = sorted(_ref(row) for row in _my_pulls(world))
    if len(refs) <= 1000:
        raise ValueError(f"the world holds only {len(refs)} pull requests: grow it")
    return {"inputs": {}, "expected": {"refs": refs, "count": len(refs)}}


def open_draft_pulls(world: World, rng: random.Random) -> Truth:
    """The open draft pull requests across the user's repositories."""
    refs = sorted(
        _ref(row) for row in _my_pulls(world) if row["state"] == "open" and row.get("draft")
    )
    return {"inputs": {}, "expected": {"refs": refs}}
