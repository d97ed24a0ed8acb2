"""The GitHub service: endpoints, limits, errors, User-Agent, ETag/304 and Link pagination."""

from __future__ import annotations

import email.utils
import re
from typing import Any
from urllib.parse import quote

import pytest

from mockapis.github.access import USER_AGENT_REQUIRED

GitHubClient = Any

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(reply) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(reply.headers.get("link", ""))}


def my_repos(client: GitHubClient) -> list[str]:
    rows = [r for r in client.world.table("github.repos").values()]
    mine = [r for r in rows if r["owner"]["login"] == client.login]
    return [r["full_name"] for r in sorted(mine, key=lambda r: r["full_name"].lower())]


def test_user_and_rate_limit_headers(client: GitHubClient) -> None:
    reply = client.get("/user")
    assert reply.status == 200
    assert reply.json["login"] == client.login
    assert reply.headers["x-ratelimit-limit"] == "5000"
    assert reply.headers["x-ratelimit-used"] == "1"
    assert client.get("/user").headers["x-ratelimit-remaining"] == "4998"


def test_walking_link_next_yields_every_repo_once_in_order(seeded: GitHubClient) -> None:
    expected = my_repos(seeded)
    assert 100 <= len(expected) <= 250
    for per_page in (30, 100, 7):
        names: list[str] = []
        url: str | None = f"/user/repos?per_page={per_page}"
        while url:
            reply = seeded.get(url)
            assert reply.status == 200
            names += [r["full_name"] for r in reply.json]
            url = links(reply).get("next")
        assert names == expected


def test_link_header_has_githubs_relations(client: GitHubClient) -> None:
    total = len(my_repos(client))
    last = -(-total // 30)
    first = links(client.get("/user/repos"))
    assert list(first) == ["next", "last"]
    assert first["last"].endswith(f"page={last}")
    middle = client.get("/user/repos?page=2&sort=full_name")
    assert list(links(middle)) == ["prev", "next", "last", "first"]
    assert "sort=full_name" in links(middle)["next"]
    end = client.get(f"/user/repos?page={last}")
    assert list(links(end)) == ["prev", "first"]
    assert client.get(f"/user/repos?page={last + 5}").json == []


def test_object_urls_point_at_the_api_root_the_request_used(client: GitHubClient) -> None:
    """Clients follow the URLs in objects (PyGithub refuses another host than its base URL's):
    served under another root, the API's URLs are at that root; github.com's are left."""
    real = client.get("/user/repos?per_page=1").json[0]
    assert real["url"] == f"https://api.github.com/repos/{real['full_name']}"
    root = "http://127.0.0.1:8000/github"
    served = client.get(root + "/user/repos?per_page=1").json[0]
    assert served["url"] == f"{root}/repos/{real['full_name']}"
    assert served["owner"]["repos_url"].startswith(root + "/users/")
    assert served["html_url"] == real["html_url"] == f"https://github.com/{real['full_name']}"


def test_per_page_is_capped_at_100(client: GitHubClient) -> None:
    assert len(client.get("/user/repos?per_page=500").json) == 100
    assert len(client.get("/user/repos?per_page=abc").json) == 30


def test_sort_and_type(client: GitHubClient) -> None:
    created = [r["created_at"] for r in client.get("/user/repos?sort=created&per_page=100").json]
    assert created == sorted(created, reverse=True)
    private = client.get("/user/repos?type=private&per_page=100").json
    assert private and all(r["private"] for r in private)
    bad = client.get("/user/repos?sort=stars")
    assert bad.status == 422 and bad.json["status"] == "422"


def test_bad_credentials_and_missing_auth(client: GitHubClient) -> None:
    bad = client.get("/user", token="nope")
    assert bad.status == 401
    assert bad.json == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }
    assert "x-ratelimit-limit" in bad.headers
    anonymous = client.get("/user", token=None)
    assert anonymous.status == 401 and anonymous.json["message"] == "Requires authentication"
    public = client.get(f"/users/{client.login}/repos", token=None)
    assert public.status == 200 and not any(r["private"] for r in public.json)
    assert public.headers["x-ratelimit-limit"] == "60"


def test_token_scheme_also_works(client: GitHubClient) -> None:
    reply = client.get("/user", token=None, headers=(("authorization", f"token {client.token}"),))
    assert reply.status == 200


def test_user_agent_is_required(client: GitHubClient) -> None:
    reply = client.get("/user", agent=None)
    assert reply.status == 403
    assert reply.raw.decode() == USER_AGENT_REQUIRED
    assert reply.headers["content-type"].startswith("text/html")


def test_the_api_version_header_selects_the_shape(client: GitHubClient) -> None:
    """No X-GitHub-Api-Version is 2022-11-28; 2026-03-10 drops the fields it removed and keeps
    every other; an unknown version is GitHub's 400 listing the supported ones."""
    busy = max(my_repos(client), key=lambda name: len(client.get(f"/repos/{name}/pulls").json))
    url = f"/repos/{busy}/pulls?state=all&per_page=100"
    old = client.get(url)
    new = client.get(url, headers=(("x-github-api-version", "2026-03-10"),))
    assert old.headers["x-github-api-version-selected"] == "2022-11-28"
    assert new.headers["x-github-api-version-selected"] == "2026-03-10"
    assert old.json and len(new.json) == len(old.json)
    for before, after in zip(old.json, new.json, strict=True):
        assert set(before) - set(after) == {"assignee", "merge_commit_sha"}
        assert set(before["head"]["repo"]) - set(after["head"]["repo"]) == {"has_downloads"}
        assert all(after[key] == before[key] for key in after if key not in ("head", "base"))
    bad = client.get(url, headers=(("x-github-api-version", "v3"),))
    assert bad.status == 400 and '"v3", is not a supported version' in bad.json["message"]
    assert '"2026-03-10" (most recent), "2022-11-28"' in bad.json["message"]


def test_etag_and_304(client: GitHubClient) -> None:
    first = client.get("/user/repos")
    etag = first.headers["etag"]
    again = client.get("/user/repos", headers=(("if-none-match", etag),))
    assert again.status == 304 and again.raw == b""
    assert again.headers["etag"] == etag
    assert client.get("/user").headers["x-ratelimit-used"] == "2"  # the 304 was not counted
    other = client.get("/user/repos?page=2", headers=(("if-none-match", etag),))
    assert other.status == 200


def test_repo_issues_and_pulls(client: GitHubClient) -> None:
    name = my_repos(client)[0]
    assert client.get(f"/repos/{name}").json["full_name"] == name
    assert client.get("/repos/nobody/nothing").status == 404
    assert client.get("/repos/nobody/nothing").json["message"] == "Not Found"
    counts = {}
    for key in client.world.table("github.issues"):
        counts[key.split("#")[0]] = counts.get(key.split("#")[0], 0) + 1
    busy = max(counts, key=counts.__getitem__)
    issues = client.get(f"/repos/{busy}/issues?state=all&per_page=100").json
    assert all(i["state"] in ("open", "closed") for i in issues)
    pulls = client.get(f"/repos/{busy}/pulls?state=closed&per_page=100").json
    assert pulls and all(p["state"] == "closed" and "head" in p for p in pulls)
    opened = client.get(f"/repos/{busy}/issues").json
    assert all(i["state"] == "open" for i in opened)


def test_objects_carry_githubs_links_and_profile_fields(client: GitHubClient) -> None:
    """The fields GitHub's description requires, derived from each row: link templates under
    the object's own URL, the owner's private profile on /user only, a pull request's head
    and base on its own repository."""
    me = client.get("/user").json
    mine = [
        r for r in client.world.table("github.repos").values() if r["owner"]["login"] == me["login"]
    ]
    assert me["disk_usage"] == sum(r["size"] for r in mine) > 0
    assert me["two_factor_authentication"] is True and me["plan"]["name"] == "free"
    assert me["followers_url"] == me["url"] + "/followers"
    other = next(login for login in client.world.table("github.users") if login != me["login"])
    public = client.get(f"/users/{other}").json
    assert public["login"] == other and "disk_usage" not in public and "plan" not in public
    counts: dict[str, int] = {}
    for key in client.world.table("github.issues"):
        counts[key.split("#")[0]] = counts.get(key.split("#")[0], 0) + 1
    busy = max(counts, key=counts.__getitem__)
    repo = client.get(f"/repos/{busy}").json
    under = {k for k, v in repo.items() if k.endswith("_url") and f"{v}".startswith(repo["url"])}
    assert len(under) == 36 and repo["issues_url"] == repo["url"] + "/issues{/number}"
    assert repo["ssh_url"] == f"git@github.com:{busy}.git" and repo["license"] is None
    assert repo["network_count"] == repo["forks_count"] and repo["subscribers_count"] >= 1
    own = repo["owner"]["login"] == me["login"]
    assert repo["permissions"] == {
        **dict.fromkeys(("admin", "maintain", "push", "triage"), own),
        "pull": True,
    }
    assert all(r["permissions"]["admin"] for r in client.get("/user/repos").json)
    theirs = client.get(f"/users/{other}/repos").json
    assert theirs and not any(r["permissions"]["push"] for r in theirs)
    assert "permissions" not in client.get(f"/repos/{busy}", token=None).json
    issues = client.get(f"/repos/{busy}/issues?state=all&per_page=100").json
    assert all(i["comments_url"] == i["url"] + "/comments" for i in issues)
    assert all(i["reactions"]["url"] == i["url"] + "/reactions" for i in issues)
    pulls = [i["pull_request"] for i in issues if "pull_request" in i]
    assert pulls and all(p["diff_url"] == p["html_url"] + ".diff" for p in pulls)
    for pull in client.get(f"/repos/{busy}/pulls?state=all&per_page=100").json:
        assert pull["head"]["repo"]["full_name"] == pull["base"]["repo"]["full_name"] == busy
        assert pull["head"]["user"]["login"] == repo["owner"]["login"]
        assert pull["head"]["label"] == f"{repo['owner']['login']}:{pull['head']['ref']}"
        assert pull["_links"]["self"]["href"] == pull["url"]
        assert pull["statuses_url"].endswith("/statuses/" + pull["head"]["sha"])
        assert (pull["merge_commit_sha"] is None) == (pull["merged_at"] is None)


def test_search_qualifiers_and_totals(client: GitHubClient) -> None:
    author = client.world.table("github.users")[client.login]["login"]
    reply = client.get(f"/search/issues?q=type:pr+author:{author}&per_page=100")
    body = reply.json
    assert reply.status == 200 and body["incomplete_results"] is False
    assert body["search_type"] == "lexical"  # required by today's description
    assert all("pull_request" in i and i["user"]["login"] == author for i in body["items"])
    assert body["total_count"] == len(body["items"]) or "next" in links(reply)
    issues = client.get("/search/issues?q=is:issue+is:open&per_page=5").json
    assert all("pull_request" not in i and i["state"] == "open" for i in issues["items"])


def test_search_errors(client: GitHubClient) -> None:
    unknown = client.get("/search/issues?q=label:bug")
    assert unknown.status == 422
    assert unknown.json["message"] == "Validation Failed"
    assert unknown.json["errors"][0]["field"] == "q"
    missing = client.get("/search/issues")
    assert missing.status == 422 and missing.json["errors"][0]["code"] == "missing"
    capped = client.get("/search/issues?q=is:issue&per_page=100&page=11")
    assert capped.status == 422
    assert capped.json["message"] == "Only the first 1000 search results are available"


def _created(row: dict) -> str:
    return str(row["created_at"])


def _search_all(client: GitHubClient, q: str) -> list[dict]:
    items: list[dict] = []
    for page in range(1, 11):
        reply = client.get(f"/search/issues?q={quote(q)}&per_page=100&page={page}")
        assert reply.status == 200, reply.raw
        items += reply.json["items"]
        if "next" not in links(reply):
            return items
    return items


def test_search_created_ranges_follow_githubs_date_syntax(client: GitHubClient) -> None:
    visible = {
        r["url"]
        for r in client.world.table("github.repos").values()
        if not r["private"] or r["owner"]["login"] == client.login
    }
    rows = [
        r
        for r in client.world.table("github.issues").values()
        if "pull_request" in r and r["repository_url"] in visible
    ]
    stamps = sorted(_created(r) for r in rows)
    middle = stamps[len(stamps) // 2][:10]  # a day
    before = {r["id"] for r in rows if _created(r) < middle}
    on_or_after = {r["id"] for r in rows if _created(r) >= middle}
    assert before and on_or_after
    assert {i["id"] for i in _search_all(client, f"type:pr created:<{middle}")} == before
    assert {i["id"] for i in _search_all(client, f"type:pr created:>={middle}")} == on_or_after
    same_day = {r["id"] for r in rows if _created(r)[:10] == middle}
    assert {i["id"] for i in _search_all(client, f"type:pr created:{middle}")} == same_day
    after_day = {r["id"] for r in rows if _created(r)[:10] > middle}
    assert {i["id"] for i in _search_all(client, f"type:pr created:>{middle}")} == after_day
    low, high = stamps[len(stamps) // 4][:10], stamps[3 * len(stamps) // 4][:10]
    ranged = {r["id"] for r in rows if low <= _created(r)[:10] <= high}
    assert {i["id"] for i in _search_all(client, f"type:pr created:{low}..{high}")} == ranged
    assert {i["id"] for i in _search_all(client, f"type:pr created:*..{high}")} == {
        r["id"] for r in rows if _created(r)[:10] <= high
    }
    exact = _created(rows[0])
    found = _search_all(client, f"type:pr created:{exact}")
    assert [i["id"] for i in found] == [r["id"] for r in rows if _created(r) == exact]
    merged = {r["id"] for r in rows if r["pull_request"]["merged_at"]}
    assert {i["id"] for i in _search_all(client, "type:pr merged:>=2000-01-01")} == merged


@pytest.mark.parametrize(
    "value", ["2023-13-01", "yesterday", ">=", "2023-01-01..", "9999-12-31", "2023-01-01T25:00"]
)
def test_search_bad_dates_are_422(client: GitHubClient, value: str) -> None:
    reply = client.get(f"/search/issues?q={quote('created:' + value)}")
    assert reply.status == 422, reply.raw
    assert "created qualifier" in reply.json["errors"][0]["message"]


def test_search_has_its_own_rate_limit_bucket(client: GitHubClient) -> None:
    core = client.get("/user")
    assert core.headers["x-ratelimit-resource"] == "core"
    first = client.get("/search/issues?q=is:pr")
    assert first.headers["x-ratelimit-resource"] == "search"
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-used"]) == ("30", "1")
    now = email.utils.parsedate_to_datetime(first.headers["date"]).timestamp()
    reset = int(first.headers["x-ratelimit-reset"])
    assert now < reset <= now + 60
    for _ in range(29):
        assert client.get("/search/issues?q=is:pr").status == 200
    over = client.get("/search/issues?q=is:pr")
    assert over.status == 403 and over.headers["x-ratelimit-remaining"] == "0"
    user_id = client.world.table("github.users")[client.login]["id"]
    assert over.json["message"] == f"API rate limit exceeded for user ID {user_id}."
    assert over.json["documentation_url"].endswith("#rate-limiting")
    assert client.get("/user").headers["x-ratelimit-used"] == "2", "core is counted apart"
    client.world.clock.advance(reset - now)
    again = client.get("/search/issues?q=is:pr")
    assert again.status == 200 and again.headers["x-ratelimit-used"] == "1"


def test_anonymous_search_gets_ten_a_minute(client: GitHubClient) -> None:
    replies = [client.get("/search/issues?q=is:pr", token=None) for _ in range(11)]
    assert replies[0].headers["x-ratelimit-limit"] == "10"
    assert [r.status for r in replies] == [200] * 10 + [403]
    message = replies[-1].json["message"]
    assert message.startswith("API rate limit exceeded for ") and "ID" not in message
    assert "Authenticated requests get a higher rate limit" in message


def test_search_draft_qualifier(client: GitHubClient) -> None:
    drafts = _search_all(client, f"is:pr is:open draft:true user:{client.login}")
    ready = _search_all(client, f"is:pr is:open draft:false user:{client.login}")
    assert drafts and all(i["draft"] is True for i in drafts)
    assert ready and all(i["draft"] is False for i in ready)
    mine = [
        r
        for k, r in client.world.table("github.issues").items()
        if k.startswith(client.login + "/") and "pull_request" in r and r["state"] == "open"
    ]
    assert len(drafts) + len(ready) == len(mine)
    assert client.get("/search/issues?q=draft:maybe").status == 422
