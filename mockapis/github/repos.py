"""Users and repositories: ``/user``, ``/users/{username}``, their repo listings, one repo."""

from __future__ import annotations

from mockapis.github.access import (
    Call,
    Reply,
    choice,
    not_found,
    page_params,
    paged,
    route,
)
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import paginate_pages
from mockapis.tables import Record

__all__ = ["FREE_PLAN", "ROUTES", "sort_repos", "viewed"]

SORTS = ("created", "updated", "pushed", "full_name")
USER_REPO_TYPES = ("all", "owner", "public", "private", "member")
OTHER_REPO_TYPES = ("all", "owner", "member")


def _with_counts(call: Call, user: Record) -> Record:
    """A user object with its current public and private repo counts."""
    repos = [
        r for r in call.world.table("github.repos").values() if r["owner"]["login"] == user["login"]
    ]
    public = sum(1 for r in repos if not r["private"])
    counted = {**user, "public_repos": public}
    if call.login == user["login"]:
        counted["total_private_repos"] = counted["owned_private_repos"] = len(repos) - public
    return counted


FREE_PLAN = {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000}
"""GitHub Free's ``plan`` object, as ``GET /user`` shows it to its owner."""


def get_authenticated_user(call: Call) -> Reply:
    """``GET /user``: the token's user, with the private profile fields GitHub shows only
    to its owner (``private-user``: disk usage, 2FA, plan)."""
    user = _with_counts(call, call.world.table("github.users")[str(call.login)])
    repos = call.world.table("github.repos").values()
    disk = sum(r["size"] for r in repos if r["owner"]["login"] == call.login)
    private = {"private_gists": 0, "disk_usage": disk, "collaborators": 0}
    return Reply({**user, **private, "two_factor_authentication": True, "plan": FREE_PLAN})


def get_user(call: Call) -> Reply:
    """``GET /users/{username}`` (logins match case-insensitively)."""
    user = _user(call, call.param("username"))
    return Reply({k: v for k, v in _with_counts(call, user).items() if "private_repos" not in k})


def _user(call: Call, login: str) -> Record:
    users = call.world.table("github.users")
    found = users.get(login) or next(
        (u for name, u in users.items() if name.lower() == login.lower()), None
    )
    if found is None:
        raise not_found()
    return found


def sort_repos(repos: list[Record], sort: str, direction: str | None) -> list[Record]:
    """Repos in GitHub's order: ``full_name`` ascending by default, dates newest first."""
    descending = (direction or ("asc" if sort == "full_name" else "desc")) == "desc"
    if sort == "full_name":
        key = [(r["full_name"].lower(), r["id"]) for r in repos]
    else:
        key = [(r[f"{sort}_at"], r["id"]) for r in repos]
    order = sorted(range(len(repos)), key=key.__getitem__, reverse=descending)
    return [repos[i] for i in order]


def viewed(call: Call, repo: Record) -> Record:
    """``repo`` as the caller sees it: with a token GitHub adds the caller's ``permissions``
    (every one on their own repositories, ``pull`` on others' public ones)."""
    if call.login is None:
        return repo
    own = repo["owner"]["login"] == call.login
    roles = dict.fromkeys(("admin", "maintain", "push", "triage"), own)
    return {**repo, "permissions": {**roles, "pull": True}}


def _listing(call: Call, repos: list[Record]) -> Reply:
    sort = choice(call, "sort", SORTS, "full_name", "Repository")
    direction = call.query.get("direction")
    if direction is not None:
        direction = choice(call, "direction", ("asc", "desc"), "asc", "Repository")
    page, per_page = page_params(call)
    listed = paginate_pages(sort_repos(repos, sort, direction), page=page, per_page=per_page)
    return paged(call, listed, [viewed(call, repo) for repo in listed.items])


def list_my_repos(call: Call) -> Reply:
    """``GET /user/repos``: repos the user owns (``type``/``visibility``/``affiliation``)."""
    if "type" in call.query and ("visibility" in call.query or "affiliation" in call.query):
        raise ApiError(
            422,
            "If you specify visibility or affiliation, you cannot specify type.",
            code="validation_failed",
        )
    kind = choice(call, "type", USER_REPO_TYPES, "all", "Repository")
    visibility = choice(call, "visibility", ("all", "public", "private"), "all", "Repository")
    affiliation = {a.strip() for a in (call.query.get("affiliation") or "owner").split(",")}
    valid = {"owner", "collaborator", "organization_member"}
    if not affiliation <= valid:
        raise ApiError(422, "Validation Failed", code="validation_failed")
    owned = [
        r for r in call.world.table("github.repos").values() if r["owner"]["login"] == call.login
    ]
    if kind == "member" or "owner" not in affiliation:
        owned = []  # the seeded user collaborates on nothing it does not own
    if kind in ("public", "private"):
        visibility = kind
    if visibility != "all":
        owned = [r for r in owned if r["visibility"] == visibility]
    return _listing(call, owned)


def list_user_repos(call: Call) -> Reply:
    """``GET /users/{username}/repos``: a user's public repos (all of them for yourself)."""
    user = _user(call, call.param("username"))
    kind = choice(call, "type", OTHER_REPO_TYPES, "owner", "Repository")
    repos = [
        r
        for r in call.world.table("github.repos").values()
        if r["owner"]["login"] == user["login"]
        and kind != "member"
        and (not r["private"] or call.login == user["login"])
    ]
    return _listing(call, repos)


def find_repo(call: Call) -> Record:
    """The repository of the path's ``owner`` and ``repo``; 404 if absent or not visible."""
    full_name = f"{call.param('owner')}/{call.param('repo')}".lower()
    repos = call.world.table("github.repos")
    repo = repos.get(full_name) or next(
        (r for name, r in repos.items() if name.lower() == full_name), None
    )
    if repo is None or (repo["private"] and repo["owner"]["login"] != call.login):
        raise not_found()
    return repo


def get_repo(call: Call) -> Reply:
    """``GET /repos/{owner}/{repo}``: the full repository, with its watchers and network."""
    repo = viewed(call, find_repo(call))
    # Derived, not drawn: the owner watches what they create, and about one stargazer in ten
    # watches too; a repository that is no fork is the root of a network of its forks.
    watchers = max(1, repo["stargazers_count"] // 10)
    return Reply({**repo, "network_count": repo["forks_count"], "subscribers_count": watchers})


ROUTES = [
    route("/user", get_authenticated_user, requires_auth=True),
    route("/user/repos", list_my_repos, requires_auth=True),
    route("/users/{username}", get_user),
    route("/users/{username}/repos", list_user_repos),
    route("/repos/{owner}/{repo}", get_repo),
]
"""The user and repository operations."""
