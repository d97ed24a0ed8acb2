"""GitHub's JSON objects: users, repositories, issues and pull requests, as the API sends them.

URLs point at ``api.github.com`` and ``github.com`` as on the real service (served at another
origin, the API's are rewritten to it as a response is sent); the listing endpoints' ``Link``
headers, which clients follow, are built from each request's own URL.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from mockapis.tables import Record

__all__ = [
    "API",
    "WEB",
    "issue_key",
    "render_issue",
    "render_pull",
    "render_repo",
    "render_user",
    "short_user",
]

API = "https://api.github.com"
WEB = "https://github.com"


def issue_key(full_name: str, number: int) -> str:
    """The ``github.issues`` key of issue ``number`` of ``owner/repo``."""
    return f"{full_name}#{number}"


def node_id(kind: str, number: int) -> str:
    """A GraphQL-style node id, e.g. ``U_kgDOAAAD6A``."""
    return f"{kind}_kgDO" + base64.b64encode(number.to_bytes(6, "big")).decode("ascii")


def short_user(login: str, user_id: int) -> Record:
    """The short user object embedded as ``owner`` and ``user`` (the first fields of the full
    one): it derives from the login and id alone."""
    return {
        "login": login,
        "id": user_id,
        "node_id": node_id("U", user_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": f"{API}/users/{login}",
        "html_url": f"{WEB}/{login}",
        "repos_url": f"{API}/users/{login}/repos",
        "type": "User",
        "site_admin": False,
    }


def render_user(
    *,
    login: str,
    user_id: int,
    name: str,
    company: str | None,
    location: str,
    bio: str | None,
    followers: int,
    following: int,
    created_at: str,
    updated_at: str,
) -> Record:
    """A full user object (``GET /user``, ``GET /users/{username}``)."""
    return {
        **short_user(login, user_id),
        "name": name,
        "company": company,
        "blog": "",
        "location": location,
        "email": None,
        "hireable": None,
        "bio": bio,
        "twitter_username": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": followers,
        "following": following,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def render_repo(
    *,
    repo_id: int,
    owner: Record,
    name: str,
    private: bool,
    description: str | None,
    fork: bool,
    created_at: str,
    updated_at: str,
    pushed_at: str,
    size: int,
    stars: int,
    forks: int,
    language: str | None,
    open_issues: int,
    topics: list[str],
) -> Record:
    """A repository object."""
    full_name = f"{owner['login']}/{name}"
    url = f"{API}/repos/{full_name}"
    return {
        "id": repo_id,
        "node_id": node_id("R", repo_id),
        "name": name,
        "full_name": full_name,
        "private": private,
        "owner": owner,
        "html_url": f"{WEB}/{full_name}",
        "description": description,
        "fork": fork,
        "url": url,
        "issues_url": f"{url}/issues{{/number}}",
        "pulls_url": f"{url}/pulls{{/number}}",
        "clone_url": f"{WEB}/{full_name}.git",
        "homepage": None,
        "size": size,
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": language,
        "has_issues": True,
        "forks_count": forks,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_issues,
        "topics": topics,
        "visibility": "private" if private else "public",
        "forks": forks,
        "open_issues": open_issues,
        "watchers": stars,
        "default_branch": "main",
        "created_at": created_at,
        "updated_at": updated_at,
        "pushed_at": pushed_at,
    }


def render_issue(
    *,
    issue_id: int,
    full_name: str,
    number: int,
    title: str,
    body: str | None,
    user: Record,
    state: str,
    comments: int,
    created_at: str,
    pull: bool,
    merged: bool,
    draft: bool,
) -> Record:
    """An issue object; a pull request's issue carries ``pull_request`` (and ``draft``)."""
    repo_url = f"{API}/repos/{full_name}"
    issue: dict[str, Any] = {
        "id": issue_id,
        "node_id": node_id("PR" if pull else "I", issue_id),
        "url": f"{repo_url}/issues/{number}",
        "repository_url": repo_url,
        "html_url": f"{WEB}/{full_name}/{'pull' if pull else 'issues'}/{number}",
        "number": number,
        "state": state,
        "state_reason": ("completed" if state == "closed" else None) if not pull else None,
        "title": title,
        "body": body,
        "user": user,
        "labels": [],
        "assignee": None,
        "assignees": [],
        "locked": False,
        "comments": comments,
        "created_at": created_at,
        "updated_at": created_at,
        "closed_at": None,
        "author_association": "CONTRIBUTOR",
    }
    if pull:
        issue["draft"] = draft
        issue["pull_request"] = {
            "url": f"{repo_url}/pulls/{number}",
            "html_url": f"{WEB}/{full_name}/pull/{number}",
            "merged_at": created_at if merged else None,
        }
    return issue


def render_pull(issue: Record, repo: Record) -> Record:
    """The ``/pulls`` form of a pull request stored as an issue."""
    sha = hashlib.sha1(issue["node_id"].encode(), usedforsecurity=False).hexdigest()
    branch = f"{issue['user']['login']}/change-{issue['number']}"
    return {
        "id": issue["id"],
        "node_id": issue["node_id"],
        "url": issue["pull_request"]["url"],
        "html_url": issue["pull_request"]["html_url"],
        "issue_url": issue["url"],
        "number": issue["number"],
        "state": issue["state"],
        "locked": issue["locked"],
        "title": issue["title"],
        "user": issue["user"],
        "body": issue["body"],
        "labels": issue["labels"],
        "created_at": issue["created_at"],
        "updated_at": issue["updated_at"],
        "closed_at": issue["closed_at"],
        "merged_at": issue["pull_request"]["merged_at"],
        "draft": issue.get("draft", False),
        "head": {"label": f"{issue['user']['login']}:{branch}", "ref": branch, "sha": sha},
        "base": {"label": f"{repo['owner']['login']}:main", "ref": "main", "sha": sha[::-1]},
        "author_association": issue["author_association"],
    }
