"""github in the conformance suite: extra cases, allow-list, whether it conforms."""

from __future__ import annotations

from typing import Any

from tests.conformance.cases import Case

PENDING = False
"""Every response conforms, the allow-list aside (issue 18)."""

_UA = {"User-Agent": "apibench-conformance"}
"""GitHub refuses a request without a User-Agent (403, text): every client sends one."""


def _case(scenario: str, path: str, note: str, **more: Any) -> Case:
    headers = {**_UA, **more.pop("headers", {})}
    return Case(f"github.{scenario}", "GET", path, headers=headers, note=note, **more)


_BAD_TOKEN = {"Authorization": "Bearer ghp_nope"}


CASES: list[Case] = [
    # Operations no solution sends.
    _case("prs-by-author", "/users/{task.inputs.author}", "another user's profile"),
    _case("prs-by-author", "/users/{task.inputs.author}/repos", "another user's repositories"),
    _case("prs-by-author", "/users/{task.inputs.author}/repos?type=all&sort=updated", "sorted"),
    _case("open-issues", "/repos/{task.inputs.repo}", "a repository"),
    _case("open-issues", "/repos/{task.inputs.repo}/pulls?state=all&per_page=100", "all pulls"),
    _case("all-repos", "/user/repos?visibility=private&sort=pushed", "private repositories"),
    # 401: no token where one is required, a wrong token.
    _case("authenticated-user", "/user", "401 without a token", auth=False),
    _case("authenticated-user", "/user", "401 bad credentials", auth=False, headers=_BAD_TOKEN),
    _case("all-repos", "/user/repos", "401 without a token", auth=False),
    # 404: an unknown user or repository.
    _case("open-issues", "/users/no-such-user-here", "404 user"),
    _case("open-issues", "/repos/nope/nope", "404 repository"),
    _case("open-issues", "/repos/nope/nope/issues", "404 issues of no repository"),
    # 422: parameters outside their values, conflicting parameters, bad search queries.
    _case("all-repos", "/user/repos?type=owner&visibility=all", "422 type with visibility"),
    _case("all-repos", "/user/repos?sort=stars", "422 unknown sort"),
    _case("open-issues", "/repos/{task.inputs.repo}/issues?state=nope", "422 issue state"),
    _case("open-issues", "/repos/{task.inputs.repo}/pulls?sort=nope", "422 pull sort"),
    _case("prs-by-author", "/search/issues?q=label:bug", "422 unsupported qualifier"),
    _case("prs-by-author", "/search/issues", "422 no q"),
    _case("prs-by-author", "/search/issues?q=is:pr&page=11&per_page=100", "422 past the cap"),
]
"""Requests no scenario's solution sends: documented errors, operations no solution needs."""

_NULL_BODY = (
    "An issue or pull request opened without a description has body null on the live API "
    "(octokit/routes#603 shows GET /repos/{owner}/{repo}/issues answering it; GitHub fixed its "
    "description in github/rest-api-description#767, 2021-12: today's components/schemas/issue "
    "has body type [string, null]); the 2020-09 description here still says string"
)

ALLOWANCES: list[dict[str, Any]] = [
    {
        "operation": "GET /repos/{owner}/{repo}/issues",
        "match": r"^\d+/body: None is not of type 'string'$",
        "reason": _NULL_BODY,
    },
    {
        "operation": "GET /search/issues",
        "match": r"^items/\d+/body: None is not of type 'string'$",
        "reason": _NULL_BODY + "; search results are the same issue objects with a score (today's "
        "issue-search-result-item still says string, stricter than the live API)",
    },
]
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
