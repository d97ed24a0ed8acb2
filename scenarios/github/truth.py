"""Ground truth of the GitHub scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
They read the seeded tables' indexes (:meth:`World.index`: no issue is rendered at a reset);
expected values the inputs do not need are deferred to grading, so that a reset builds at
most the repositories. tests/mockapis/github/test_github_data.py checks that the indexes
agree with the objects.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any, cast

from mockapis.github.data import Issue, Repo, Repos, User
from mockapis.world import World

Truth = dict[str, Any]


def me(world: World) -> str:
    """The login of the seeded token's user."""
    return str(next(iter(world.table("github._tokens").values()))["login"])


def my_repos(world: World) -> list[Repo]:
    """The authenticated user's repositories, in GitHub's default order (full name)."""
    login = me(world)
    index: Mapping[str, Repo] = world.index("github.repos")
    return sorted(
        (r for r in index.values() if r.owner == login), key=lambda r: (r.full_name.lower(), r.id)
    )


def _repos(world: World) -> Repos:
    """The repositories' columns."""
    index = cast(Repos, world.index("github.repos"))
    return index


def issues(world: World) -> list[Issue]:
    """Every seeded issue and pull request's index entry."""
    index: Mapping[str, Issue] = world.index("github.issues")
    return list(index.values())


def _ref(issue: Issue) -> str:
    return f"{issue.repo}#{issue.number}"


def all_repos(world: World, rng: random.Random) -> Truth:
    """Every repository the user owns (more than 100, so more than one page of any size)."""
    return {"inputs": {}, "expected": _all_repos}


def _all_repos(world: World) -> dict[str, Any]:
    names = [r.full_name for r in my_repos(world)]
    return {"names": names, "count": len(names)}


def prs_by_author(world: World, rng: random.Random) -> Truth:
    """The pull requests of the prolific contributor (the author of 2 in 5 of every
    repository's pull requests: the most prolific by far) that the user may see, as
    ``owner/repo#number`` (others' private repositories are out of sight)."""
    users: Mapping[str, User] = world.index("github.users")
    # With no other user, the user's own are the only pull requests.
    author = next((u.login for u in users.values() if u.prolific), me(world))
    return {"inputs": {"author": author}, "expected": functools.partial(_prs_by, author)}


def _prs_by(author: str, world: World) -> dict[str, Any]:
    login = me(world)
    repos: Mapping[str, Repo] = world.index("github.repos")
    visible = {r.full_name for r in repos.values() if not r.private or r.owner == login}
    refs = sorted(
        _ref(i) for i in issues(world) if i.pull and i.author == author and i.repo in visible
    )
    return {"refs": refs}


def open_issues(world: World, rng: random.Random) -> Truth:
    """The open issues (not pull requests) of a busy repository of the user (over 30 open
    issues: more than GitHub's default page)."""
    login, repos = me(world), _repos(world)
    busy = sorted(
        name
        for name, owner, count in zip(
            repos.full_names, repos.owners, repos.open_issues, strict=True
        )
        if owner == login and count > 30
    )
    repo = rng.choice(busy)
    return {"inputs": {"repo": repo}, "expected": functools.partial(_open_issues_of, repo)}


def _open_issues_of(repo: str, world: World) -> dict[str, Any]:
    numbers = sorted(
        i.number for i in issues(world) if i.repo == repo and i.state == "open" and not i.pull
    )
    return {"numbers": numbers}


def _my_pulls(world: World) -> list[Issue]:
    """The pull requests of the repositories the user owns."""
    mine = {r.full_name for r in my_repos(world)}
    return [i for i in issues(world) if i.pull and i.repo in mine]


def all_my_pulls(world: World, rng: random.Random) -> Truth:
    """Every pull request (any state) in the user's repositories: more than the 1,000
    results one search query can page through (the scenario's busy repositories hold at
    least 2 x 2/5 of its ``issues`` scale)."""
    return {"inputs": {}, "expected": _all_my_pulls}


def _all_my_pulls(world: World) -> dict[str, Any]:
    refs = sorted(_ref(i) for i in _my_pulls(world))
    if len(refs) <= 1000:
        raise ValueError(f"the world holds only {len(refs)} pull requests: grow it")
    return {"refs": refs, "count": len(refs)}


def open_draft_pulls(world: World, rng: random.Random) -> Truth:
    """The open draft pull requests across the user's repositories."""
    return {"inputs": {}, "expected": _open_draft_pulls}


def _open_draft_pulls(world: World) -> dict[str, Any]:
    refs = sorted(_ref(i) for i in _my_pulls(world) if i.state == "open" and i.draft)
    return {"refs": refs}


PROFILE_FIELDS = ("id", "login", "name", "avatar_url", "html_url", "created_at")
"""The fields of the profile the authenticated-user task asks for."""


def authenticated_user(world: World, rng: random.Random) -> Truth:
    """The token's own profile (``GET /user``): fields of the seeded user row."""
    return {"inputs": {}, "expected": _profile}


def _profile(world: World) -> dict[str, Any]:
    user = world.table("github.users")[me(world)]
    return {"profile": {field: user[field] for field in PROFILE_FIELDS}}
