"""Clockify API v1: the key, workspaces (active vs default), page/page-size, durations."""

from __future__ import annotations

import re

import pytest

from mockapis.clockify.durations import iso_duration
from tests.mockapis.clockify.conftest import ClockifyClient


@pytest.mark.parametrize("key", [None, "", "wrong"])
def test_missing_or_wrong_key_is_401_code_1000(client: ClockifyClient, key: str | None) -> None:
    reply = client.get("/user", key=key)
    assert reply.status == 401
    assert reply.json == {
        "message": "Full authentication is required to access this resource",
        "code": 1000,
    }


def test_user_has_an_active_workspace_other_than_the_default(client: ClockifyClient) -> None:
    user = client.get("/user").json
    assert user["activeWorkspace"] != user["defaultWorkspace"]
    ids = {w["id"] for w in client.get("/workspaces").json}
    assert {user["activeWorkspace"], user["defaultWorkspace"]} <= ids and len(ids) == 3


def test_foreign_workspace_is_403(client: ClockifyClient) -> None:
    reply = client.get("/workspaces/000000000000000000000000/projects")
    assert reply.status == 403 and set(reply.json) == {"message", "code"}


def test_project_pages_cover_every_project_once(client: ClockifyClient) -> None:
    ws = client.me["activeWorkspace"]
    seen: list[str] = []
    page = 1
    while True:
        batch = client.get(f"/workspaces/{ws}/projects", {"page": page}).json
        assert len(batch) <= 50
        seen += [p["id"] for p in batch]
        if len(batch) < 50:
            break
        page += 1
    stored = [
        p["id"] for p in client.world.table("clockify.projects").values() if p["workspaceId"] == ws
    ]
    assert page >= 2 and len(seen) == len(set(seen)) and set(seen) == set(stored)
    everything = client.get(f"/workspaces/{ws}/projects", {"page-size": 5000}).json
    assert [p["id"] for p in everything] == seen
    assert all(isinstance(p["hourlyRate"]["amount"], int) for p in everything)


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "x"}, {"page-size": 0}, {"page-size": 5001}, {"archived": "maybe"}],
)
def test_bad_project_parameters_are_400_code_501(client: ClockifyClient, params: dict) -> None:
    reply = client.get(f"/workspaces/{client.me['activeWorkspace']}/projects", params)
    assert reply.status == 400 and reply.json["code"] == 501


def test_time_entries_page_size_is_capped_at_1000(client: ClockifyClient) -> None:
    me = client.me
    path = f"/workspaces/{me['activeWorkspace']}/user/{me['id']}/time-entries"
    assert client.get(path, {"page-size": 1000}).status == 200
    assert client.get(path, {"page-size": 1001}).status == 400
    assert client.get(path, {"start": "yesterday"}).status == 400


def test_time_entries_newest_first_with_iso_durations(client: ClockifyClient) -> None:
    me = client.me
    path = f"/workspaces/{me['activeWorkspace']}/user/{me['id']}/time-entries"
    entries = client.get(path, {"page-size": 1000}).json
    starts = [e["timeInterval"]["start"] for e in entries]
    assert starts == sorted(starts, reverse=True) and len(entries) > 50
    running = [e for e in entries if e["timeInterval"]["end"] is None]
    assert len(running) == 1 and running[0]["timeInterval"]["duration"] is None
    pattern = re.compile(r"^PT(\d+H)?(\d+M)?(\d+S)?$")
    assert all(pattern.match(e["timeInterval"]["duration"]) for e in entries if e not in running)
    first_page = client.get(path).json
    assert [e["id"] for e in first_page] == [e["id"] for e in entries[:50]]


def test_time_entry_window_and_in_progress(client: ClockifyClient) -> None:
    me = client.me
    path = f"/workspaces/{me['activeWorkspace']}/user/{me['id']}/time-entries"
    window = {"start": "2023-12-01T00:00:00Z", "end": "2023-12-31T23:59:59Z", "page-size": 1000}
    found = client.get(path, window).json
    assert found and all(
        "2023-12-01" <= e["timeInterval"]["start"][:10] <= "2023-12-31" for e in found
    )
    running = client.get(path, {"in-progress": "true"}).json
    assert len(running) == 1 and running[0]["timeInterval"]["end"] is None


def test_other_users_entries_need_membership(client: ClockifyClient) -> None:
    ws = client.me["activeWorkspace"]
    assert client.get(f"/workspaces/{ws}/user/000000000000000000000000/time-entries").status == 404
    members = client.get(f"/workspaces/{ws}/users").json
    assert client.me["id"] in {u["id"] for u in members}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (45, "PT45S"), (5400, "PT1H30M"), (3601, "PT1H1S"), (7322, "PT2H2M2S")],
)
def test_iso_duration(seconds: int, text: str) -> None:
    assert iso_duration(seconds) == text
