"""ClickUp and Clockify served by ``apibench serve``, driven by plain HTTP clients
(``requests`` for ClickUp, ``httpx`` for Clockify) over real sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from gym_apibench.episode import Episode
from tests.served import SEED, Served, serving

CLICKUP = "clickup.list-tasks-all-pages"
CLOCKIFY = "clockify.project-rates"


@pytest.fixture(scope="module")
def clickup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("clickup") / "info.json"
    with serving(Path(info), "--scenario", CLICKUP) as server:
        yield server


@pytest.fixture(scope="module")
def clockify(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("clockify") / "info.json"
    with serving(Path(info), "--scenario", CLOCKIFY) as server:
        yield server


def _clickup_session(served: Served) -> tuple[requests.Session, str]:
    session = requests.Session()
    session.headers["Authorization"] = served.info["credentials"]["clickup"]["token"]
    return session, served.info["services"]["clickup"] + "/api/v2"


def test_requests_walks_the_hierarchy_and_every_task_page(clickup: Served) -> None:
    session, base = _clickup_session(clickup)
    inputs = Episode(CLICKUP, SEED).built.inputs
    team = session.get(f"{base}/team", timeout=10).json()["teams"][0]
    lists = []
    for space in session.get(f"{base}/team/{team['id']}/space", timeout=10).json()["spaces"]:
        folders = session.get(f"{base}/space/{space['id']}/folder", timeout=10).json()["folders"]
        lists += [row for folder in folders for row in folder["lists"]]
        lists += session.get(f"{base}/space/{space['id']}/list", timeout=10).json()["lists"]
    home = next(
        row
        for row in lists
        if row["name"] == inputs["list"] and row["space"]["name"] == inputs["space"]
    )
    ids: list[str] = []
    page = 0
    while True:
        response = session.get(
            f"{base}/list/{home['id']}/task",
            params={"page": page, "include_closed": "true", "subtasks": "true"},
            timeout=10,
        )
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "100"
        body = response.json()
        ids += [t["id"] for t in body["tasks"]]
        if body["last_page"]:
            break
        page += 1
    assert page >= 2
    assert sorted(ids) == Episode(CLICKUP, SEED).built.expected["ids"]
    verdict = clickup.control("POST", "/submit", json={"answer": ids})
    assert verdict.status_code == 200, verdict.text
    score = clickup.control("GET", "/score").json()
    assert score["success"] is True, score


def test_requests_sees_clickup_errors(clickup: Served) -> None:
    session, base = _clickup_session(clickup)
    token = session.headers["Authorization"]
    bearer = requests.get(f"{base}/team", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert (bearer.status_code, bearer.json()["ECODE"]) == (401, "OAUTH_019")
    missing = requests.get(f"{base}/team", timeout=10)
    assert (missing.status_code, missing.json()["ECODE"]) == (400, "OAUTH_017")
    bad_page = session.get(f"{base}/list/1/task", params={"page": "-1"}, timeout=10)
    assert bad_page.status_code in (400, 401) and "ECODE" in bad_page.json()
    created = session.post(f"{base}/list/1/task", json={"name": "x"}, timeout=10)
    assert (created.status_code, created.json()["ECODE"]) == (401, "OAUTH_023")


def test_httpx_pages_projects_across_workspaces(clockify: Served) -> None:
    headers = {"X-Api-Key": clockify.info["credentials"]["clockify"]["key"]}
    base = clockify.info["services"]["clockify"] + "/api/v1"
    rates: dict[str, Any] = {}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        user = client.get("/user").json()
        assert user["activeWorkspace"] != user["defaultWorkspace"]
        for ws in client.get("/workspaces").json():
            page = 1
            while True:
                batch = client.get(
                    f"/workspaces/{ws['id']}/projects", params={"page": page, "page-size": 50}
                ).json()
                rates.update({p["id"]: p["hourlyRate"]["amount"] / 100 for p in batch})
                if len(batch) < 50:
                    break
                page += 1
        denied = client.get("/user", headers={"X-Api-Key": "nope"})
        assert denied.status_code == 401 and denied.json()["code"] == 1000
        too_big = client.get(f"/workspaces/{user['activeWorkspace']}/projects?page-size=5001")
        assert too_big.status_code == 400 and too_big.json()["code"] == 501
    assert rates == Episode(CLOCKIFY, SEED).built.expected["rates"]
    verdict = clockify.control("POST", "/submit", content=json.dumps({"answer": rates}))
    assert verdict.status_code == 200, verdict.text
    assert clockify.control("GET", "/score").json()["success"] is True
