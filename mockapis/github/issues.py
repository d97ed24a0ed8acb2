"""A repository's issues and pull requests: ``/repos/{owner}/{repo}/issues`` and ``/pulls``."""

from __future__ import annotations

from mockapis.github.access import Call, Reply, choice, page_params, paged, route
from mockapis.github.render import render_pull
from mockapis.github.repos import find_repo
from mockapis.kit.pagination import paginate_pages
from mockapis.tables import Record

__all__ = ["ROUTES", "repo_issues"]

ISSUE_SORTS = {"created": "created_at", "updated": "updated_at", "comments": "comments"}
PULL_SORTS = {"created": "created_at", "updated": "updated_at", "popularity": "comments"}


def repo_issues(call: Call, full_name: str) -> list[Record]:
    """Every issue and pull request of the repository, by number."""
    prefix = f"{full_name}#"
    table = call.world.table("github.issues")
    # Keys first: a seeded row is rendered on its first read, so read only this repo's.
    rows = [table[key] for key in table if key.startswith(prefix)]
    return sorted(rows, key=lambda row: row["number"])


def _ordered(call: Call, rows: list[Record], sorts: dict[str, str]) -> list[Record]:
    state = choice(call, "state", ("open", "closed", "all"), "open", "Issue")
    sort = choice(call, "sort", tuple(sorts), "created", "Issue")
    direction = choice(call, "direction", ("asc", "desc"), "desc", "Issue")
    if state != "all":
        rows = [row for row in rows if row["state"] == state]
    field = sorts[sort]
    return sorted(rows, key=lambda row: (row[field], row["number"]), reverse=direction == "desc")


def list_issues(call: Call) -> Reply:
    """``GET /repos/{owner}/{repo}/issues``: issues and pull requests, as on GitHub
    (``state``, ``creator``, ``sort``, ``direction``, ``per_page``, ``page``)."""
    repo = find_repo(call)
    rows = repo_issues(call, repo["full_name"])
    creator = call.query.get("creator")
    if creator:
        rows = [row for row in rows if row["user"]["login"].lower() == creator.lower()]
    page, per_page = page_params(call)
    ordered = _ordered(call, rows, ISSUE_SORTS)
    return paged(call, paginate_pages(ordered, page=page, per_page=per_page))


def list_pulls(call: Call) -> Reply:
    """``GET /repos/{owner}/{repo}/pulls`` (``state``, ``sort``, ``direction``, pages)."""
    repo = find_repo(call)
    rows = [row for row in repo_issues(call, repo["full_name"]) if "pull_request" in row]
    page, per_page = page_params(call)
    listed = paginate_pages(_ordered(call, rows, PULL_SORTS), page=page, per_page=per_page)
    return paged(call, listed, [render_pull(row, repo) for row in listed.items])


ROUTES = [
    route("/repos/{owner}/{repo}/issues", list_issues),
    route("/repos/{owner}/{repo}/pulls", list_pulls),
]
"""The issue and pull request listings."""
