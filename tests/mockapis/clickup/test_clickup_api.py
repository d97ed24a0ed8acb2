"""ClickUp API v2: auth and rate limit, hierarchy, task pages, comments and replies, writes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mockapis.clickup.access import RATE_LIMIT
from tests.mockapis.clickup.conftest import ClickUpClient


def _busy_list(client: ClickUpClient) -> str:
    counts = Counter(t["list"]["id"] for t in client.world.table("clickup.tasks").values())
    return counts.most_common(1)[0][0]


def _busy_task(client: ClickUpClient) -> str:
    parents = Counter(
        c["_parent"]["id"]
        for c in client.world.table("clickup.comments").values()
        if c["_parent"]["type"] == "task"
    )
    return parents.most_common(1)[0][0]


# -- auth and rate limit ---------------------------------------------------------------------


def test_raw_token_is_accepted_with_rate_limit_headers(client: ClickUpClient) -> None:
    reply = client.get("/user")
    assert reply.status == 200
    assert reply.json["user"]["id"] == int(client.token.split("_")[1])
    assert reply.headers["x-ratelimit-limit"] == "100"
    assert int(reply.headers["x-ratelimit-remaining"]) < 100
    assert int(reply.headers["x-ratelimit-reset"]) > client.world.clock.now_ns // 10**9


@pytest.mark.parametrize(
    ("auth", "status", "ecode"),
    [
        (None, 400, "OAUTH_017"),
        ("Bearer {token}", 401, "OAUTH_019"),
        ("pk_0_WRONG", 401, "OAUTH_025"),
        ("{token}x", 401, "OAUTH_025"),
    ],
)
def test_bad_credentials(client: ClickUpClient, auth: str | None, status: int, ecode: str) -> None:
    header = None if auth is None else auth.format(token=client.token)
    reply = client.get("/team", auth=header)
    assert (reply.status, reply.json["ECODE"]) == (status, ecode)
    assert set(reply.json) == {"err", "ECODE"}


def test_rate_limit_is_100_a_minute_then_429(fresh: ClickUpClient) -> None:
    fresh.tick_ns = 1_000_000  # 1 ms a request: all in one minute
    fresh.world.clock.now_ns = (fresh.world.clock.now_ns // 60_000_000_000 + 1) * 60_000_000_000
    statuses = []
    for _ in range(RATE_LIMIT + 1):
        reply = fresh.get("/user")
        statuses.append(reply.status)
    assert statuses[:RATE_LIMIT] == [200] * RATE_LIMIT
    assert statuses[-1] == 429
    assert reply.json == {"err": "Rate limit reached", "ECODE": "APP_002"}
    assert reply.headers["x-ratelimit-remaining"] == "0"
    fresh.world.clock.now_ns = int(reply.headers["x-ratelimit-reset"]) * 10**9 - fresh.tick_ns
    assert fresh.get("/user").status == 200


# -- hierarchy -------------------------------------------------------------------------------


def test_hierarchy_reaches_every_list_once(client: ClickUpClient) -> None:
    teams = client.get("/team").json["teams"]
    assert len(teams) == 1
    seen: list[str] = []
    folderless = 0
    for space in client.get(f"/team/{teams[0]['id']}/space").json["spaces"]:
        for folder in client.get(f"/space/{space['id']}/folder").json["folders"]:
            inner = client.get(f"/folder/{folder['id']}/list").json["lists"]
            assert [row["id"] for row in folder["lists"]] == [row["id"] for row in inner]
            assert folder["task_count"] == str(sum(int(row["task_count"]) for row in inner))
            seen += [row["id"] for row in inner]
        loose = client.get(f"/space/{space['id']}/list").json["lists"]
        assert all(row["folder"]["hidden"] and row["folder"]["name"] == "hidden" for row in loose)
        folderless += len(loose)
        seen += [row["id"] for row in loose]
    stored = [r["id"] for r in client.world.table("clickup.lists").values() if not r["archived"]]
    assert sorted(seen) == sorted(stored) and len(set(seen)) == len(seen)
    assert folderless > 0


def test_archived_lists_only_with_archived_true(client: ClickUpClient) -> None:
    archived = [r for r in client.world.table("clickup.lists").values() if r["archived"]]
    assert archived, "the seed has archived lists"
    row = archived[0]
    path = (
        f"/space/{row['space']['id']}/list"
        if row["folder"]["hidden"]
        else f"/folder/{row['folder']['id']}/list"
    )
    assert row["id"] not in [r["id"] for r in client.get(path).json["lists"]]
    shown = client.get(path, {"archived": "true"}).json["lists"]
    assert row["id"] in [r["id"] for r in shown] and all(r["archived"] for r in shown)


def test_dates_are_epoch_millisecond_strings(client: ClickUpClient) -> None:
    task = client.get(f"/list/{_busy_list(client)}/task").json["tasks"][0]
    assert task["date_created"].isdigit() and len(task["date_created"]) == 13


@pytest.mark.parametrize(
    ("path", "ecode"),
    [
        ("/team/123/space", "OAUTH_027"),
        ("/space/123/folder", "OAUTH_023"),
        ("/space/abc/list", "OAUTH_023"),
        ("/folder/1/list", "OAUTH_023"),
        ("/list/1", "OAUTH_023"),
        ("/list/xyz/task", "OAUTH_023"),
        ("/task/nope", "ITEM_013"),
        ("/task/nope/comment", "ITEM_013"),
        ("/comment/1/reply", "OAUTH_023"),
    ],
)
def test_unknown_ids_are_refused_the_clickup_way(
    client: ClickUpClient, path: str, ecode: str
) -> None:
    reply = client.get(path)
    assert (reply.status, reply.json["ECODE"]) == (401, ecode)


def test_unknown_route_is_a_clickup_error(client: ClickUpClient) -> None:
    reply = client.get("/lists")
    assert reply.status == 404 and reply.json["ECODE"] == "APP_001"


# -- task pages ------------------------------------------------------------------------------


def _all_pages(client: ClickUpClient, list_id: str, **params: Any) -> list[list[str]]:
    pages, page = [], 0
    while True:
        body = client.get(f"/list/{list_id}/task", {**params, "page": page}).json
        pages.append([t["id"] for t in body["tasks"]])
        if body["last_page"]:
            return pages
        page += 1


def test_pages_of_100_cover_the_filtered_tasks_exactly_once(client: ClickUpClient) -> None:
    list_id = _busy_list(client)
    pages = _all_pages(client, list_id, include_closed="true", subtasks="true")
    assert len(pages) >= 2 and all(len(p) == 100 for p in pages[:-1]) and len(pages[-1]) <= 100
    ids = [i for page in pages for i in page]
    tasks = client.world.table("clickup.tasks")
    expected = {k for k, t in tasks.items() if t["list"]["id"] == list_id and not t["archived"]}
    assert len(ids) == len(set(ids)) and set(ids) == expected
    past = client.get(f"/list/{list_id}/task", {"page": len(pages) + 3}).json
    assert past == {"tasks": [], "last_page": True}


def test_default_filters_leave_out_closed_subtasks_and_archived(client: ClickUpClient) -> None:
    list_id = _busy_list(client)
    tasks = client.world.table("clickup.tasks")
    ids = {i for page in _all_pages(client, list_id) for i in page}
    kinds = {"closed": 0, "sub": 0}
    for key, task in tasks.items():
        if task["list"]["id"] != list_id:
            continue
        hidden = task["archived"] or task["parent"] or task["status"]["type"] == "closed"
        assert (key in ids) != bool(hidden)
        kinds["closed"] += task["status"]["type"] == "closed"
        kinds["sub"] += task["parent"] is not None
    assert kinds["closed"] and kinds["sub"]
    archived = client.get(f"/list/{list_id}/task", {"archived": "true", "include_closed": "true"})
    assert archived.json["tasks"] and all(t["archived"] for t in archived.json["tasks"])


def test_order_newest_first_and_reverse(client: ClickUpClient) -> None:
    list_id = _busy_list(client)
    newest = client.get(f"/list/{list_id}/task").json["tasks"]
    stamps = [int(t["date_created"]) for t in newest]
    assert stamps == sorted(stamps, reverse=True)
    oldest = client.get(f"/list/{list_id}/task", {"reverse": "true"}).json["tasks"]
    assert [int(t["date_created"]) for t in oldest] == sorted(
        int(t["date_created"]) for t in oldest
    )


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "x"},
        {"page": "1.5"},
        {"page": "9" * 30},
        {"include_closed": "maybe"},
        {"order_by": "name"},
        {"due_date_gt": "soon"},
    ],
)
def test_bad_task_parameters_are_400(client: ClickUpClient, params: dict[str, str]) -> None:
    reply = client.get(f"/list/{_busy_list(client)}/task", params)
    assert reply.status == 400 and reply.json["ECODE"] == "INPUT_005"


# -- comments --------------------------------------------------------------------------------


def test_comment_pages_and_replies_cover_the_thread(client: ClickUpClient) -> None:
    task_id = _busy_task(client)
    seen: list[str] = []
    params: dict[str, str] = {}
    pages = 0
    while True:
        comments = client.get(f"/task/{task_id}/comment", params).json["comments"]
        if not comments:
            break
        pages += 1
        assert len(comments) <= 25
        dates = [int(c["date"]) for c in comments]
        assert dates == sorted(dates, reverse=True)
        seen += [c["id"] for c in comments]
        for comment in comments:
            replies = client.get(f"/comment/{comment['id']}/reply").json["comments"]
            assert str(len(replies)) == comment["reply_count"]
            assert all(r["reply_count"] == "0" for r in replies)
        params = {"start": comments[-1]["date"], "start_id": comments[-1]["id"]}
    stored = [
        k
        for k, c in client.world.table("clickup.comments").items()
        if c["_parent"] == {"type": "task", "id": task_id}
    ]
    assert pages >= 3 and len(seen) == len(set(seen)) and set(seen) == set(stored)


def test_start_id_without_start_is_400(client: ClickUpClient) -> None:
    reply = client.get(f"/task/{_busy_task(client)}/comment", {"start_id": "1"})
    assert reply.status == 400 and reply.json["ECODE"] == "INPUT_005"


# -- writes ----------------------------------------------------------------------------------


def test_create_task_stores_it_with_millisecond_dates(fresh: ClickUpClient) -> None:
    list_id = _busy_list(fresh)
    reply = fresh.post(
        f"/list/{list_id}/task",
        {"name": "Ship it", "due_date": 1_709_251_200_000, "priority": 2, "status": "Review"},
    )
    assert reply.status == 200
    task = reply.json
    assert task["due_date"] == "1709251200000" and task["priority"]["priority"] == "high"
    assert task["status"]["status"] == "review" and task["list"]["id"] == list_id
    assert fresh.world.table("clickup.tasks")[task["id"]] == task
    assert fresh.get(f"/task/{task['id']}").json == task


def test_create_task_reads_markdown_content_and_serializes_as_clickup_documents(
    fresh: ClickUpClient,
) -> None:
    body = {"name": "Write notes", "markdown_content": "# Notes", "time_estimate": 3_600_000}
    task = fresh.post(f"/list/{_busy_list(fresh)}/task", body).json
    assert task["description"] == "# Notes" and task["time_estimate"] == "3600000"
    # No time tracked and no sprint points: ClickUp leaves both fields out.
    assert "time_spent" not in task and "points" not in task
    assert task["creator"]["profilePicture"].startswith("https://")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": 5},
        {"name": "x", "due_date": "2024-03-01"},
        {"name": "x", "due_date": True},
        {"name": "x", "priority": 7},
        {"name": "x", "status": "nonexistent"},
        {"name": "x", "assignees": [1]},
        {"name": "x", "parent": "nope"},
        ["name"],
    ],
)
def test_invalid_task_bodies_are_400_and_write_nothing(fresh: ClickUpClient, body: Any) -> None:
    before = len(fresh.world.table("clickup.tasks"))
    reply = fresh.post(f"/list/{_busy_list(fresh)}/task", body)
    assert reply.status == 400 and set(reply.json) == {"err", "ECODE"}
    assert len(fresh.world.table("clickup.tasks")) == before


def test_malformed_json_and_wrong_content_type(fresh: ClickUpClient) -> None:
    path = f"/list/{_busy_list(fresh)}/task"
    assert fresh.request("POST", path, raw=b"{nope").json["ECODE"] == "INPUT_001"
    reply = fresh.request("POST", path, raw=b'{"name": "x"}', content_type="text/plain")
    assert reply.status == 415 and reply.json["ECODE"] == "INPUT_001"


def test_comment_and_reply_are_threaded(fresh: ClickUpClient) -> None:
    task_id = _busy_task(fresh)
    created = fresh.post(f"/task/{task_id}/comment", {"comment_text": "Looks good"})
    assert created.status == 200 and isinstance(created.json["id"], str)
    newest = fresh.get(f"/task/{task_id}/comment").json["comments"][0]
    assert newest["id"] == created.json["id"] and newest["comment_text"] == "Looks good"
    reply = fresh.post(f"/comment/{newest['id']}/reply", {"comment_text": "Thanks"})
    assert reply.status == 200
    thread = fresh.get(f"/comment/{newest['id']}/reply").json["comments"]
    assert [c["comment_text"] for c in thread] == ["Thanks"]
    assert fresh.get(f"/task/{task_id}/comment").json["comments"][0]["reply_count"] == "1"
    assert fresh.post(f"/task/{task_id}/comment", {"comment_text": " "}).status == 400
