"""Reference (and naive) solutions of the Confluence scenarios: HTTP only.

Listings are followed through ``_links.next``, which is relative to ``_links.base``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import (
    Exchange,
    Solution,
    auth_headers,
    expect_json,
    request,
    restarts,
    send,
)

API = "/wiki/rest/api"


def _get(task: dict[str, Any], url: str) -> Exchange:
    absolute = url if url.startswith("http") else f"{task['services']['confluence']}{url}"
    headers = auth_headers(task["credentials"]["confluence"])
    obs = yield from send(request("GET", absolute, headers=headers))
    return {"body": expect_json(obs)}


@restarts
def _walk(
    task: dict[str, Any], path: str, params: dict[str, Any], *, pages: int | None = None
) -> Exchange:
    """Every result of a listing, following ``_links.base + _links.next`` (from the first
    page again if a ``start`` expires)."""
    results: list[dict[str, Any]] = []
    url: str | None = f"{API}{path}?{urlencode(params)}"
    while url is not None and pages != 0:
        got = yield from _get(task, url)
        body = got["body"]
        results.extend(body["results"])
        links = body.get("_links", {})
        url = links["base"] + links["next"] if "next" in links else None
        pages = None if pages is None else pages - 1
    return {"results": results}


def _flags(task: dict[str, Any], pages: int | None) -> Solution:
    got = yield from _walk(task, "/space", {"limit": 25}, pages=pages)
    yield {"submit": {s["key"]: s["status"] == "archived" for s in got["results"]}}


def archived_flags(task: dict[str, Any]) -> Solution:
    """Every page of ``/space`` (current and archived alike); ``status`` tells."""
    yield from _flags(task, None)


def archived_flags_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page (25 spaces) only."""
    yield from _flags(task, 1)


def space_pages_by_id(task: dict[str, Any]) -> Solution:
    """Find the space's key from its numeric id, then page through its pages (100 a time)."""
    spaces = yield from _walk(task, "/space", {"limit": 250})
    key = next(s["key"] for s in spaces["results"] if s["id"] == int(task["inputs"]["space_id"]))
    got = yield from _walk(task, "/content", {"spaceKey": key, "type": "page", "limit": 100})
    yield {"submit": [c["id"] for c in got["results"]]}


def space_pages_by_id_as_key(task: dict[str, Any]) -> Solution:
    """Naive: passes the numeric id as the space key (which selects nothing)."""
    got = yield from _walk(
        task, "/content", {"spaceKey": task["inputs"]["space_id"], "type": "page", "limit": 100}
    )
    yield {"submit": [c["id"] for c in got["results"]]}


def page_body(task: dict[str, Any]) -> Solution:
    """Find the space's key by name, then the page by title with ``expand=body.storage``."""
    spaces = yield from _walk(task, "/space", {"limit": 250})
    key = next(s["key"] for s in spaces["results"] if s["name"] == task["inputs"]["space"])
    params = {"spaceKey": key, "title": task["inputs"]["title"], "expand": "body.storage"}
    got = yield from _get(task, f"{API}/content?{urlencode(params)}")
    yield {"submit": got["body"]["results"][0]["body"]["storage"]["value"]}


def page_body_unexpanded(task: dict[str, Any]) -> Solution:
    """Naive: finds the page but does not expand its body (submits what it has: nothing)."""
    spaces = yield from _walk(task, "/space", {"limit": 250})
    key = next(s["key"] for s in spaces["results"] if s["name"] == task["inputs"]["space"])
    params = {"spaceKey": key, "title": task["inputs"]["title"]}
    got = yield from _get(task, f"{API}/content?{urlencode(params)}")
    yield {"submit": got["body"]["results"][0].get("body", {}).get("storage", {}).get("value", "")}
