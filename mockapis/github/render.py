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
    one, GitHub's ``simple-user`` with its link templates): it derives from the login and id."""
    url = f"{API}/users/{login}"
    return {
        "login": login,
        "id": user_id,
        "node_id": node_id("U", user_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{WEB}/{login}",
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
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
        **_repo_links(url),
        "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git",
        "clone_url": f"{WEB}/{full_name}.git",
        "svn_url": f"{WEB}/{full_name}",
        "homepage": None,
        "size": size,
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": language,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": True,
        "has_pages": False,
        "has_discussions": False,  # today's full-repository requires it; none are seeded
        "forks_count": forks,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_issues,
        "license": None,
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


_REPO_LINKS = {
    "forks": "/forks", "keys": "/keys{/key_id}", "collaborators": "/collaborators{/collaborator}",
    "teams": "/teams", "hooks": "/hooks", "issue_events": "/issues/events{/number}",
    "events": "/events", "assignees": "/assignees{/user}", "branches": "/branches{/branch}",
    "tags": "/tags", "blobs": "/git/blobs{/sha}", "git_tags": "/git/tags{/sha}",
    "git_refs": "/git/refs{/sha}", "trees": "/git/trees{/sha}", "statuses": "/statuses/{sha}",
    "languages": "/languages", "stargazers": "/stargazers", "contributors": "/contributors",
    "subscribers": "/subscribers", "subscription": "/subscription", "commits": "/commits{/sha}",
    "git_commits": "/git/commits{/sha}", "comments": "/comments{/number}",
    "issue_comment": "/issues/comments{/number}", "contents": "/contents/{+path}",
    "compare": "/compare/{base}...{head}", "merges": "/merges",
    "archive": "/{archive_format}{/ref}", "downloads": "/downloads", "issues": "/issues{/number}",
    "pulls": "/pulls{/number}", "milestones": "/milestones{/number}",
    "notifications": "/notifications{?since,all,participating}", "labels": "/labels{/name}",
    "releases": "/releases{/id}", "deployments": "/deployments",
}  # fmt: skip
"""A repository's ``*_url`` link templates, in GitHub's order: each under the repository's
API URL."""


def _repo_links(url: str) -> dict[str, str]:
    """The repository's ``*_url`` fields, under its API ``url``."""
    return {f"{name}_url": url + tail for name, tail in _REPO_LINKS.items()}


_NO_REACTIONS = dict.fromkeys(
    ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0
)
"""A reaction rollup's counts, none given (no seeded issue has reactions)."""


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
    url = f"{repo_url}/issues/{number}"
    issue: dict[str, Any] = {
        "id": issue_id,
        "node_id": node_id("PR" if pull else "I", issue_id),
        "url": url,
        "repository_url": repo_url,
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
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
        "milestone": None,
        "locked": False,
        "comments": comments,
        "created_at": created_at,
        "updated_at": created_at,
        "closed_at": None,
        "author_association": "CONTRIBUTOR",
        "active_lock_reason": None,
        "reactions": {"url": f"{url}/reactions", "total_count": 0, **_NO_REACTIONS},
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
    }
    if pull:
        issue["draft"] = draft
        html_url = f"{WEB}/{full_name}/pull/{number}"
        issue["pull_request"] = {
            "url": f"{repo_url}/pulls/{number}",
            "html_url": html_url,
            "diff_url": f"{html_url}.diff",
            "patch_url": f"{html_url}.patch",
            "merged_at": created_at if merged else None,
        }
    return issue


def render_pull(issue: Record, repo: Record) -> Record:
    """The ``/pulls`` form of a pull request stored as an issue: a branch of the repository
    itself (``head`` and ``base`` both carry it), named after its author."""
    sha = _sha(issue["node_id"])
    branch = f"{issue['user']['login']}/change-{issue['number']}"
    url, issue_url = issue["pull_request"]["url"], issue["url"]
    merged_at = issue["pull_request"]["merged_at"]
    owner = repo["owner"]
    links = {
        "self": url,
        "html": issue["pull_request"]["html_url"],
        "issue": issue_url,
        "comments": f"{issue_url}/comments",
        "review_comments": f"{url}/comments",
        "review_comment": f"{repo['url']}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{repo['url']}/statuses/{sha}",
    }
    return {
        "url": url,
        "id": issue["id"],
        "node_id": issue["node_id"],
        "html_url": links["html"],
        "diff_url": issue["pull_request"]["diff_url"],
        "patch_url": issue["pull_request"]["patch_url"],
        "issue_url": issue_url,
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": links["comments"],
        "statuses_url": links["statuses"],
        "number": issue["number"],
        "state": issue["state"],
        "locked": issue["locked"],
        "title": issue["title"],
        "user": issue["user"],
        "body": issue["body"],
        "labels": issue["labels"],
        "milestone": issue["milestone"],
        "active_lock_reason": None,
        "created_at": issue["created_at"],
        "updated_at": issue["updated_at"],
        "closed_at": issue["closed_at"],
        "merged_at": merged_at,
        "merge_commit_sha": _sha(f"{issue['node_id']}:merge") if merged_at else None,
        "assignee": issue["assignee"],
        "assignees": issue["assignees"],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {
            "label": f"{owner['login']}:{branch}",
            "ref": branch,
            "sha": sha,
            "user": owner,
            "repo": repo,
        },
        "base": {
            "label": f"{owner['login']}:main",
            "ref": "main",
            "sha": sha[::-1],
            "user": owner,
            "repo": repo,
        },
        "_links": {name: {"href": href} for name, href in links.items()},
        "author_association": issue["author_association"],
        "auto_merge": None,
        "draft": issue.get("draft", False),
    }


def _sha(text: str) -> str:
    """A commit-like SHA-1 derived from ``text`` (the pull request's node id)."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
