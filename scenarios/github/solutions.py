"""Reference solutions of the GitHub scenarios: HTTP only, following ``Link`` headers.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
``first_page_only`` variants are the plausible-but-wrong clients that read one page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from gym_apibench.solving import (
    Exchange,
    Solution,
    SolutionError,
    auth_headers,
    expect_json,
    request,
    restarts,
    send,
    server_time,
)

USER_AGENT = "apibench-oracle"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class Api:
    """The GitHub base URL and headers of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["github"]
        self.headers = {
            **auth_headers(task["credentials"]["github"]),
            "User-Agent": USER_AGENT,
            "Accept": "application/vnd.github+json",
        }

    def get(self, url: str) -> Exchange:
        """GET ``url`` (a path under the base URL, or an absolute URL from a Link); over a
        rate limit (403 with no requests remaining), wait for its reset and ask again."""
        absolute = url if url.startswith("http") else self.base + url
        while True:
            obs = yield from send(request("GET", absolute, headers=self.headers))
            headers = obs["headers"]
            if obs["status"] != 403 or headers.get("x-ratelimit-remaining") != "0":
                return obs
            now = server_time(obs)
            if now is None:
                raise SolutionError("a rate-limited response without a Date header")
            yield {"wait": max(1.0, int(headers["x-ratelimit-reset"]) - now.timestamp())}

    @restarts
    def walk(
        self, path: str, *, key: str | None = None, pages: int | None = None, capped: bool = False
    ) -> Exchange:
        """Every item of a listing, following ``rel="next"`` (from the first page again if a
        page number expires); returns ``{"items": [...]}``. ``capped``: a search whose first
        page counts more than the 1,000 results a query can page through stops there, with
        ``{"items": None}``."""
        items: list[Any] = []
        url: str | None = path
        while url is not None and pages != 0:
            obs = yield from self.get(url)
            body = expect_json(obs)
            if capped and url == path and body["total_count"] > 1000:
                return {"items": None}
            items.extend(body[key] if key else body)
            found = _NEXT.search(obs["headers"].get("link", ""))
            url = found.group(1) if found else None
            pages = None if pages is None else pages - 1
        return {"items": items}


def _repos(task: dict[str, Any], per_page: int | None, pages: int | None) -> Exchange:
    query = f"?per_page={per_page}" if per_page else ""
    got = yield from Api(task).walk(f"/user/repos{query}", pages=pages)
    return got


def all_repos(task: dict[str, Any]) -> Any:
    """Every page of ``/user/repos`` at 100 a page."""
    got = yield from _repos(task, 100, None)
    yield {"submit": [repo["full_name"] for repo in got["items"]]}


def all_repos_default_pages(task: dict[str, Any]) -> Any:
    """Right, but at GitHub's default 30 a page: too many requests for a tight budget."""
    got = yield from _repos(task, None, None)
    yield {"submit": [repo["full_name"] for repo in got["items"]]}


def all_repos_first_page_only(task: dict[str, Any]) -> Any:
    """Reads the first page and stops."""
    got = yield from _repos(task, 100, 1)
    yield {"submit": [repo["full_name"] for repo in got["items"]]}


def _ref(issue: dict[str, Any]) -> str:
    return f"{issue['repository_url'].split('/repos/', 1)[1]}#{issue['number']}"


def _prs(task: dict[str, Any], pages: int | None) -> Exchange:
    q = quote(f"type:pr author:{task['inputs']['author']}")
    got = yield from Api(task).walk(f"/search/issues?q={q}&per_page=100", key="items", pages=pages)
    return got


def prs_by_author(task: dict[str, Any]) -> Any:
    """Issue search with ``type:pr author:LOGIN``, every page."""
    got = yield from _prs(task, None)
    yield {"submit": [_ref(issue) for issue in got["items"]]}


def prs_by_author_first_page_only(task: dict[str, Any]) -> Any:
    """One page of the search."""
    got = yield from _prs(task, 1)
    yield {"submit": [_ref(issue) for issue in got["items"]]}


def _issues(task: dict[str, Any], pages: int | None) -> Exchange:
    path = f"/repos/{task['inputs']['repo']}/issues?state=open"
    got = yield from Api(task).walk(path, pages=pages)
    return got


def open_issues(task: dict[str, Any]) -> Any:
    """The repository's open issues, pull requests left out, every page."""
    got = yield from _issues(task, None)
    yield {"submit": [i["number"] for i in got["items"] if "pull_request" not in i]}


def open_issues_first_page_only(task: dict[str, Any]) -> Any:
    """One page of the listing."""
    got = yield from _issues(task, 1)
    yield {"submit": [i["number"] for i in got["items"] if "pull_request" not in i]}


def _my_login(api: Api) -> Exchange:
    """``{"login", "today"}``: the user, and today's date from the response's ``Date``."""
    obs = yield from api.get("/user")
    now = server_time(obs)
    if now is None:
        raise SolutionError("GET /user answered without a Date header")
    return {"login": expect_json(obs)["login"], "today": now.date()}


def _search_range(api: Api, q: str, low: dt.date, high: dt.date) -> Exchange:
    """Every result of ``q`` created between ``low`` and ``high`` (days, inclusive): the
    range is halved while it holds more than the 1,000 results a query can page through."""
    path = f"/search/issues?q={quote(f'{q} created:{low}..{high}')}&per_page=100"
    got = yield from api.walk(path, key="items", capped=low < high)
    if got["items"] is None:
        middle = low + (high - low) // 2
        older = yield from _search_range(api, q, low, middle)
        newer = yield from _search_range(api, q, middle + dt.timedelta(days=1), high)
        return {"items": older["items"] + newer["items"]}
    return got


def all_my_pulls(task: dict[str, Any]) -> Any:
    """Issue search split into ``created:`` ranges of at most 1,000 results each."""
    api = Api(task)
    me = yield from _my_login(api)
    got = yield from _search_range(api, f"type:pr user:{me['login']}", dt.date(2008, 1, 1),
                                   me["today"])  # fmt: skip
    yield {"submit": sorted({_ref(issue) for issue in got["items"]})}


def all_my_pulls_one_query(task: dict[str, Any]) -> Any:
    """One search query, every page it offers: it stops at the 1,000-result cap."""
    api = Api(task)
    me = yield from _my_login(api)
    q = quote(f"type:pr user:{me['login']}")
    got = yield from api.walk(f"/search/issues?q={q}&per_page=100", key="items")
    yield {"submit": [_ref(issue) for issue in got["items"]]}


def _open_drafts(task: dict[str, Any], per_page: int | None, pages: int | None) -> Any:
    api = Api(task)
    repos = yield from api.walk("/user/repos?per_page=100")
    size = f"&per_page={per_page}" if per_page else ""
    refs = []
    for repo in repos["items"]:
        pulls = yield from api.walk(f"/repos/{repo['full_name']}/pulls?state=open{size}",
                                    pages=pages)  # fmt: skip
        refs += [f"{repo['full_name']}#{p['number']}" for p in pulls["items"] if p["draft"]]
    yield {"submit": refs}


def open_draft_pulls(task: dict[str, Any]) -> Any:
    """Each repository's open pull requests (``/repos/{owner}/{repo}/pulls``), every page."""
    yield from _open_drafts(task, 100, None)


def open_draft_pulls_first_pages(task: dict[str, Any]) -> Any:
    """The first page (GitHub's default 30) of each repository's pull requests only."""
    yield from _open_drafts(task, None, 1)


def authenticated_user(task: dict[str, Any]) -> Solution:
    """``GET /user``: the token's user; submit the asked fields."""
    api = Api(task)
    obs = yield from api.get("/user")
    user = expect_json(obs)
    fields = ("id", "login", "name", "avatar_url", "html_url", "created_at")
    yield {"submit": {field: user[field] for field in fields}}


def authenticated_user_by_search(task: dict[str, Any]) -> Solution:
    """Naive: guess the user from the first repository listing's owner, without ``/user``
    (the owner object is the short one: it has no name and no created_at)."""
    api = Api(task)
    obs = yield from api.get("/user/repos?per_page=1")
    owner = expect_json(obs)[0]["owner"]
    fields = ("id", "login", "name", "avatar_url", "html_url", "created_at")
    yield {"submit": {field: owner.get(field) for field in fields}}
