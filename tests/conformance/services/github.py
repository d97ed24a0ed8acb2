"""github in the conformance suite: extra cases, allow-list, whether it conforms."""

from __future__ import annotations

from typing import Any

from tests.conformance.cases import Case

PENDING = True
"""Not every response conforms yet (issue 18): the suite's test is a strict expected failure."""

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

ALLOWANCES: list[dict[str, Any]] = []
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
