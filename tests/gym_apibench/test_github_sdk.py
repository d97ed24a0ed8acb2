"""PyGithub against the served GitHub service: its own Link pagination and issue search."""

from __future__ import annotations

from pathlib import Path

import httpx
from github import Auth, Github

from gym_apibench.episode import Episode
from tests.served import SEED, serving

SCENARIO = "github.all-repos"


def test_pygithub_lists_every_repo_and_searches(tmp_path: Path) -> None:
    truth = Episode(SCENARIO, SEED).built.expected
    with serving(tmp_path / "info.json", "--scenario", SCENARIO) as served:
        base = served.info["services"]["github"]
        token = served.info["credentials"]["github"]["token"]
        gh = Github(auth=Auth.Token(token), base_url=base, per_page=100)
        user = gh.get_user()
        names = [repo.full_name for repo in user.get_repos()]
        assert names == truth["names"]
        login = user.login
        found = gh.search_issues("", type="pr", author=login)
        assert found.totalCount == len(list(found))
        assert all(issue.user.login == login for issue in found)


def test_served_responses_carry_one_date_the_episode_clocks(tmp_path: Path) -> None:
    """GitHub dates its responses itself; the server must not add a second ``Date``."""
    with serving(tmp_path / "info.json", "--scenario", SCENARIO) as served:
        base = served.info["services"]["github"]
        token = served.info["credentials"]["github"]["token"]
        reply = httpx.get(
            f"{base}/user", headers={"Authorization": f"Bearer {token}", "User-Agent": "t"}
        )
        assert reply.status_code == 200
        assert len(reply.headers.get_list("date")) == 1
