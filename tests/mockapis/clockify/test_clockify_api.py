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


def test_time_entries_page_size_is_capped_at_5000_like_every_listing(
    client: ClockifyClient,
) -> None:
    me = client.me
    path = f"/workspaces/{me['activeWorkspace']}/user/{me['id']}/time-entries"
    assert client.get(path, {"page-size": 1001}).status == 200
    assert client.get(path, {"page-size": 5001}).status == 400
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


def test_user_memberships_only_when_asked(client: ClockifyClient) -> None:
    assert client.get("/user").json["memberships"] == []
    asked = client.get("/user", {"include-memberships": "true"}).json["memberships"]
    ids = {w["id"] for w in client.get("/workspaces").json}
    assert {m["targetId"] for m in asked} == ids
    assert all(m["membershipType"] == "WORKSPACE" for m in asked)


def test_workspace_users_by_email_with_sort_and_memberships(client: ClockifyClient) -> None:
    ws = client.me["activeWorkspace"]
    users = client.get(f"/workspaces/{ws}/users").json
    emails = [u["email"] for u in users]
    assert len(users) >= 3 and emails == sorted(emails)  # default sort-column EMAIL, ASCENDING
    assert all(u["memberships"] == [] for u in users)  # memberships default NONE
    by_name = client.get(
        f"/workspaces/{ws}/users", {"sort-column": "NAME", "sort-order": "DESCENDING"}
    )
    names = [u["name"] for u in by_name.json]
    assert names == sorted(names, reverse=True)
    with_ws = client.get(f"/workspaces/{ws}/users", {"memberships": "WORKSPACE"}).json
    assert all([m["targetId"] for m in u["memberships"]] == [ws] for u in with_ws)
    for bad in ({"sort-column": "AGE"}, {"sort-order": "UP"}, {"memberships": "SOME"}):
        reply = client.get(f"/workspaces/{ws}/users", bad)
        assert reply.status == 400 and reply.json["code"] == 501


def test_project_sort_and_strict_name_search(client: ClockifyClient) -> None:
    ws = client.me["activeWorkspace"]
    path = f"/workspaces/{ws}/projects"
    by_id = client.get(path, {"sort-column": "ID", "sort-order": "DESCENDING", "page-size": 5000})
    ids = [p["id"] for p in by_id.json]
    assert ids == sorted(ids, reverse=True) and len(ids) > 50
    name = by_id.json[0]["name"]
    partial = client.get(path, {"name": name[:-1], "page-size": 5000}).json
    exact = client.get(path, {"name": name[:-1], "strict-name-search": "true"}).json
    assert name in {p["name"] for p in partial}
    assert name not in {p["name"] for p in exact}
    assert client.get(path, {"is-template": "true"}).json == []
    client_id = by_id.json[0]["clientId"]
    only = client.get(path, {"clients": client_id, "page-size": 5000}).json
    others = client.get(path, {"clients": client_id, "contains-client": "false", "page-size": 5000})
    assert {p["clientId"] for p in only} == {client_id}
    assert len(only) + len(others.json) == len(ids)


def test_time_entry_vendor_filters(client: ClockifyClient) -> None:
    me = client.me
    path = f"/workspaces/{me['activeWorkspace']}/user/{me['id']}/time-entries"
    everything = client.get(path, {"page-size": 5000}).json
    with_project = client.get(path, {"project-required": "true", "page-size": 5000}).json
    assert 0 < len(with_project) < len(everything)
    assert all(e["projectId"] for e in with_project)
    assert client.get(path, {"task-required": "true"}).json == []  # no seeded entry has a task
    assert client.get(path, {"tags": "5e4117fe8c625f38930d57b7"}).json == []
    newest = max(e["timeInterval"]["start"] for e in everything if e["timeInterval"]["end"])
    week = client.get(path, {"get-week-before": newest, "page-size": 5000}).json
    assert week and all(
        e["timeInterval"]["start"] < newest and e["projectId"] is not None for e in week
    )


def test_bodies_carry_the_documented_fields(client: ClockifyClient) -> None:
    user = client.get("/user").json
    assert user["customFields"] == [] and {"dateFormat", "timeFormat", "timeZone"} <= set(
        user["settings"]
    )  # UserSettingsDtoV1's required fields
    ws = user["activeWorkspace"]
    project = client.get(f"/workspaces/{ws}/projects").json[0]
    assert set(project["timeEstimate"]) == {
        "estimate",
        "type",
        "resetOption",
        "active",
        "includeNonBillable",
    }
    assert "estimateReset" in project and project["hourlyRate"]["currency"]
