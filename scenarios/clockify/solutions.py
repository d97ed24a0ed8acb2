"""Reference solutions of the Clockify scenarios: HTTP only, with ``X-Api-Key``.

The naive variants read the default workspace instead of the active one, stop at page 1,
or ignore the date window.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import Exchange, auth_headers, expect_json, request, restarts, send

_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def seconds(duration: str) -> int:
    """An ISO 8601 duration (``PT1H30M5S``) in seconds."""
    found = _DURATION.match(duration)
    if found is None:
        raise ValueError(f"not a duration: {duration!r}")
    hours, minutes, secs = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + secs


class Api:
    """The Clockify base URL and headers of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["clockify"] + "/api/v1"
        self.headers = auth_headers(task["credentials"]["clockify"])

    def get(self, path: str, **params: Any) -> Exchange:
        """GET ``path``; returns ``{"body": <JSON>}``."""
        query = "?" + urlencode(params) if params else ""
        obs = yield from send(request("GET", self.base + path + query, headers=self.headers))
        return {"body": expect_json(obs)}

    @restarts
    def all_pages(
        self, path: str, *, size: int, pages: int | None = None, **params: Any
    ) -> Exchange:
        """Every item of a listing, ``page-size`` ``size``, until a short page (from page 1
        again if a page number expires)."""
        items: list[Any] = []
        page = 1
        while pages is None or page <= pages:
            got = yield from self.get(path, page=page, **{"page-size": size}, **params)
            items.extend(got["body"])
            if len(got["body"]) < size:
                break
            page += 1
        return {"items": items}


def _entries(task: dict[str, Any], which: str, **params: Any) -> Exchange:
    api = Api(task)
    user = (yield from api.get("/user"))["body"]
    path = f"/workspaces/{user[which]}/user/{user['id']}/time-entries"
    got = yield from api.all_pages(path, size=1000, **params)
    return got


def _durations(task: dict[str, Any], which: str) -> Any:
    got = yield from _entries(task, which)
    yield {
        "submit": {
            e["id"]: seconds(e["timeInterval"]["duration"]) * 1000
            for e in got["items"]
            if e["timeInterval"]["duration"]
        }
    }


def active_entries(task: dict[str, Any]) -> Any:
    """``activeWorkspace`` from ``/user``, every page of its entries, durations in ms."""
    yield from _durations(task, "activeWorkspace")


def active_entries_default_workspace(task: dict[str, Any]) -> Any:
    """Reads the default workspace instead of the active one."""
    yield from _durations(task, "defaultWorkspace")


def _rates(task: dict[str, Any], pages: int | None) -> Any:
    api = Api(task)
    workspaces = (yield from api.get("/workspaces"))["body"]
    rates: dict[str, float] = {}
    for ws in workspaces:
        size = 50 if pages else 5000
        got = yield from api.all_pages(f"/workspaces/{ws['id']}/projects", size=size, pages=pages)
        for project in got["items"]:
            rate = project["hourlyRate"]
            rates[project["id"]] = rate["amount"] / 100 if rate else 0.0
    yield {"submit": rates}


def project_rates(task: dict[str, Any]) -> Any:
    """Every workspace, every page of projects, rates from minor units."""
    yield from _rates(task, None)


def project_rates_first_page(task: dict[str, Any]) -> Any:
    """Page 1 (50 projects) of each workspace only."""
    yield from _rates(task, 1)


def _totals(task: dict[str, Any], window: bool) -> Any:
    inputs = task["inputs"]
    params = (
        {"start": f"{inputs['first']}T00:00:00Z", "end": f"{inputs['last']}T23:59:59Z"}
        if window
        else {}
    )
    got = yield from _entries(task, "activeWorkspace", **params)
    totals: dict[str, int] = defaultdict(int)
    for entry in got["items"]:
        if entry["timeInterval"]["duration"] and entry["projectId"]:
            totals[entry["projectId"]] += seconds(entry["timeInterval"]["duration"])
    yield {"submit": dict(totals)}


def project_seconds(task: dict[str, Any]) -> Any:
    """The active workspace's entries between the two days, summed by project."""
    yield from _totals(task, True)


def project_seconds_all_time(task: dict[str, Any]) -> Any:
    """Ignores the date window."""
    yield from _totals(task, False)
