"""Reference solutions of the ClickUp scenarios: HTTP only, the raw personal token.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
The naive variants are the plausible-but-wrong clients (one page, no folderless lists,
due dates in seconds).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Check, Exchange, auth_headers, expect_json, request, restarts, send

PRIORITY = {"urgent": 1, "high": 2, "normal": 3, "low": 4}


class Api:
    """The ClickUp base URL and headers of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["clickup"] + "/api/v2"
        self.headers = auth_headers(task["credentials"]["clickup"])

    def get(self, path: str, **params: Any) -> Exchange:
        """GET ``path`` (retrying 429 and 5xx); returns the JSON body."""
        query = "?" + urlencode(params, doseq=True) if params else ""
        obs = yield from send(request("GET", self.base + path + query, headers=self.headers))
        return dict(expect_json(obs))

    def post(self, path: str, body: dict[str, Any], *, check: Check | None = None) -> Exchange:
        """POST a JSON body (not resent blindly on a lost response: it may have been applied;
        ``check`` tells whether it was)."""
        action = request("POST", self.base + path, headers=self.headers, json_body=body)
        obs = yield from send(action, check=check)
        return dict(expect_json(obs))

    @restarts
    def task_named(self, list_id: str, name: str) -> Exchange:
        """After a lost task create: the list's task called ``name``, if it was created
        (from page 0 again if a page number expires)."""
        page = 0
        while True:
            body = yield from self.get(
                f"/list/{list_id}/task", page=page, include_closed="true", subtasks="true"
            )
            for item in body["tasks"]:
                if item["name"] == name:
                    return {"status": 200, "headers": {}, "body": json.dumps(item)}
            if body["last_page"]:
                return {}
            page += 1

    def lists(self, *, folderless: bool = True) -> Exchange:
        """Every list of every space of every workspace: ``{"lists": [...]}``."""
        found: list[dict[str, Any]] = []
        teams = yield from self.get("/team")
        for team in teams["teams"]:
            spaces = yield from self.get(f"/team/{team['id']}/space")
            for space in spaces["spaces"]:
                folders = yield from self.get(f"/space/{space['id']}/folder")
                for folder in folders["folders"]:
                    found.extend(folder["lists"])
                if folderless:
                    loose = yield from self.get(f"/space/{space['id']}/list")
                    found.extend(loose["lists"])
        return {"lists": found}

    def find_list(self, name: str, space: str) -> Exchange:
        """The id of the list ``name`` in the space ``space``."""
        got = yield from self.lists()
        ids = [
            row["id"]
            for row in got["lists"]
            if row["name"] == name and row["space"]["name"] == space
        ]
        return {"id": ids[0]}


def _tasks(task: dict[str, Any], pages: int | None) -> Any:
    api = Api(task)
    home = yield from api.find_list(task["inputs"]["list"], task["inputs"]["space"])
    ids = yield from _task_ids(api, home["id"], pages)
    yield {"submit": ids}


@restarts
def _task_ids(api: Api, list_id: str, pages: int | None) -> Any:
    """The ids of the list's tasks (closed ones and subtasks too), page by page up to
    ``pages`` pages (all when None), from page 0 again if a page number expires."""
    ids: list[str] = []
    page = 0
    while pages is None or page < pages:
        body = yield from api.get(
            f"/list/{list_id}/task", page=page, include_closed="true", subtasks="true"
        )
        ids.extend(t["id"] for t in body["tasks"])
        if body["last_page"]:
            break
        page += 1
    return ids


def list_tasks(task: dict[str, Any]) -> Any:
    """Every page of the list's tasks, closed tasks and subtasks included."""
    yield from _tasks(task, None)


def list_tasks_first_page(task: dict[str, Any]) -> Any:
    """Reads page 0 only."""
    yield from _tasks(task, 1)


def _due_dates(task: dict[str, Any], folderless: bool) -> Any:
    got = yield from Api(task).lists(folderless=folderless)
    dates = {}
    for row in got["lists"]:
        due = row["due_date"]
        day = dt.datetime.fromtimestamp(int(due) / 1000, tz=dt.UTC).date() if due else None
        dates[row["id"]] = day.isoformat() if day else None
    yield {"submit": dates}


def list_due_dates(task: dict[str, Any]) -> Any:
    """Lists in folders and folderless lists of every space, dates converted to UTC days."""
    yield from _due_dates(task, True)


def list_due_dates_folders_only(task: dict[str, Any]) -> Any:
    """Forgets the folderless lists."""
    yield from _due_dates(task, False)


def _comments(task: dict[str, Any], *, all_pages: bool, replies: bool) -> Any:
    api = Api(task)
    top = yield from _top_comments(api, task["inputs"]["task_id"], all_pages=all_pages)
    ids: list[str] = []
    for comment in top:
        ids.append(comment["id"])
        if replies and int(comment["reply_count"]):  # a string, as on ClickUp
            thread = yield from api.get(f"/comment/{comment['id']}/reply")
            ids.extend(r["id"] for r in thread["comments"])
    yield {"submit": ids}


@restarts
def _top_comments(api: Api, task_id: str, *, all_pages: bool) -> Any:
    """The task's comments, newest first, page by page through ``start``/``start_id`` (the
    first page only unless ``all_pages``), from the newest again if a page key expires."""
    top: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    while True:
        body = yield from api.get(f"/task/{task_id}/comment", **params)
        top.extend(body["comments"])
        if not body["comments"] or not all_pages:
            return top
        oldest = body["comments"][-1]
        params = {"start": oldest["date"], "start_id": oldest["id"]}


def task_comments(task: dict[str, Any]) -> Any:
    """Every page of comments (start/start_id), then each comment's replies."""
    yield from _comments(task, all_pages=True, replies=True)


def task_comments_first_page(task: dict[str, Any]) -> Any:
    """The 25 most recent comments, no replies."""
    yield from _comments(task, all_pages=False, replies=False)


def _create(task: dict[str, Any], scale: int) -> Any:
    api = Api(task)
    home = yield from api.find_list(task["inputs"]["list"], task["inputs"]["space"])
    for item in task["inputs"]["tasks"]:
        day = dt.datetime.fromisoformat(item["due"]).replace(tzinfo=dt.UTC)
        body = {
            "name": item["name"],
            "due_date": int(day.timestamp()) * scale,
            "priority": item["priority"],
        }
        check = functools.partial(api.task_named, home["id"], item["name"])
        yield from api.post(f"/list/{home['id']}/task", body, check=check)
    yield {"submit": None}


def create_tasks(task: dict[str, Any]) -> Any:
    """Find the list, then create each task with its due date in milliseconds."""
    yield from _create(task, 1000)


def create_tasks_seconds(task: dict[str, Any]) -> Any:
    """Sends due dates in seconds, as many other APIs take them."""
    yield from _create(task, 1)
