"""Reference (and naive) solutions of the Typeform scenarios: HTTP only.

Responses are paged with ``before``: the token of the last (oldest) item of a page.
"""

from __future__ import annotations

from collections import Counter
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


def _get(task: dict[str, Any], path: str, **params: Any) -> Exchange:
    query = f"?{urlencode(params)}" if params else ""
    headers = auth_headers(task["credentials"]["typeform"])
    obs = yield from send(
        request("GET", f"{task['services']['typeform']}{path}{query}", headers=headers)
    )
    return {"body": expect_json(obs)}


def _form(task: dict[str, Any], title: str) -> Exchange:
    """The definition of the form titled ``title`` (searched, then matched exactly)."""
    found = yield from _form_id(task, title)
    got = yield from _get(task, f"/forms/{found['id']}")
    return {"form": got["body"]}


@restarts
def _form_id(task: dict[str, Any], title: str) -> Exchange:
    """``{"id": ...}`` of the form titled ``title``, search page by page (from page 1 again
    if a page number expires)."""
    page = 1
    while True:
        got = yield from _get(task, "/forms", search=title, page_size=200, page=page)
        for item in got["body"]["items"]:
            if item["title"] == title:
                return {"id": item["id"]}
        if page >= got["body"]["page_count"]:
            raise LookupError(f"no form titled {title!r}")
        page += 1


@restarts
def _responses(
    task: dict[str, Any], form_id: str, *, page_size: int = 1000, pages: int | None = None
) -> Exchange:
    """Every response of a form, newest first, following ``before`` tokens (from the
    newest again if a token expires)."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"page_size": page_size}
    while pages is None or pages > 0:
        got = yield from _get(task, f"/forms/{form_id}/responses", **params)
        batch = got["body"]["items"]
        items.extend(batch)
        # With ``before``, ``total_items`` counts what remains: a page holding it all is the last.
        if not batch or len(batch) >= got["body"]["total_items"]:
            break
        params["before"] = batch[-1]["token"]
        pages = None if pages is None else pages - 1
    return {"items": items}


def _choice_counts(task: dict[str, Any], page_size: int, pages: int | None) -> Solution:
    found = yield from _form(task, task["inputs"]["form"])
    form = found["form"]
    field = next(f for f in form["fields"] if f["title"] == task["inputs"]["question"])
    got = yield from _responses(task, form["id"], page_size=page_size, pages=pages)
    counts = Counter(
        a["choice"]["label"]
        for item in got["items"]
        for a in item["answers"]
        if a["field"]["id"] == field["id"]
    )
    yield {"submit": {c["label"]: counts[c["label"]] for c in field["properties"]["choices"]}}


def choice_counts(task: dict[str, Any]) -> Solution:
    """Join the answers to the question by field id, over every response."""
    yield from _choice_counts(task, 1000, None)


def choice_counts_first_page(task: dict[str, Any]) -> Solution:
    """Naive: counts the default first page (25 responses) only."""
    yield from _choice_counts(task, 25, 1)


def _workspaces(task: dict[str, Any], page_size: int, pages: int | None) -> Solution:
    counts = yield from _form_counts(task, page_size, pages)
    yield {"submit": counts}


@restarts
def _form_counts(task: dict[str, Any], page_size: int, pages: int | None) -> Exchange:
    """Workspace name -> its ``forms.count``, page by page (from page 1 again if a page
    number expires)."""
    counts: dict[str, int] = {}
    page = 1
    while pages is None or page <= pages:
        got = yield from _get(task, "/workspaces", page=page, page_size=page_size)
        counts.update({w["name"]: w["forms"]["count"] for w in got["body"]["items"]})
        if page >= got["body"]["page_count"]:
            break
        page += 1
    return counts


def workspace_form_counts(task: dict[str, Any]) -> Solution:
    """Every page of ``/workspaces``; each carries ``forms.count``."""
    yield from _workspaces(task, 200, None)


def workspace_form_counts_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the default first page (10 workspaces) only."""
    yield from _workspaces(task, 10, 1)


def all_response_ids(task: dict[str, Any]) -> Solution:
    """Every response of the busiest form, 1000 at a time with ``before`` tokens."""
    found = yield from _form(task, task["inputs"]["form"])
    got = yield from _responses(task, found["form"]["id"])
    yield {"submit": [item["response_id"] for item in got["items"]]}


def all_response_ids_one_page(task: dict[str, Any]) -> Solution:
    """Naive: one request at the largest page size (1000)."""
    found = yield from _form(task, task["inputs"]["form"])
    got = yield from _responses(task, found["form"]["id"], pages=1)
    yield {"submit": [item["response_id"] for item in got["items"]]}
