"""Pagination walks for ``make bench``: every record of a 1,000+ record list, one style each.

A walk is a generator like a reference solution: it yields request actions, receives the
observations, and returns how many records it collected. It runs through ``env.step``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import auth_headers

Walk = Generator[dict[str, Any], dict[str, Any], int]


@dataclass(frozen=True)
class WalkSpec:
    """A pagination style, the scenario whose world it walks, and the walk.

    ``sizes`` grows the scenario's world where its own is smaller than 1,000 records.
    """

    style: str
    scenario: str
    walk: Callable[[dict[str, Any]], Walk]
    sizes: dict[str, dict[str, int]] = field(default_factory=dict)


def _get(task: dict[str, Any], service: str, url: str, **body: Any) -> dict[str, Any]:
    action: dict[str, Any] = {
        "method": "POST" if body else "GET",
        "url": url if "://" in url else task["services"][service] + url,
        "headers": auth_headers(task["credentials"][service]),
    }
    if body:
        action["json"] = body
    return action


def attio_offset(task: dict[str, Any]) -> Walk:
    """Attio: limit and offset in a JSON body, until a short page."""
    seen, offset = 0, 0
    while True:
        obs = yield _get(
            task, "attio", "/v2/objects/companies/records/query", limit=100, offset=offset
        )
        page = json.loads(obs["body"])["data"]
        seen += len(page)
        if len(page) < 100:
            return seen
        offset += 100


def stripe_keyset(task: dict[str, Any]) -> Walk:
    """Stripe: ``limit=100`` and ``starting_after`` the last id, while ``has_more``."""
    seen, after = 0, ""
    while True:
        query = urlencode({"limit": 100, **({"starting_after": after} if after else {})})
        page = json.loads((yield _get(task, "stripe", f"/v1/customers?{query}"))["body"])
        seen += len(page["data"])
        if not page["has_more"]:
            return seen
        after = page["data"][-1]["id"]


def slack_cursor(task: dict[str, Any]) -> Walk:
    """Slack: ``conversations.history`` with ``limit=999`` and ``next_cursor``."""
    listing = json.loads((yield _get(task, "slack", "/api/conversations.list?limit=1000"))["body"])
    channel = next(c["id"] for c in listing["channels"] if c["name"] == "general")
    seen, cursor = 0, ""
    while True:
        query = urlencode(
            {"channel": channel, "limit": 999, **({"cursor": cursor} if cursor else {})}
        )
        page = json.loads(
            (yield _get(task, "slack", f"/api/conversations.history?{query}"))["body"]
        )
        seen += len(page["messages"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor", "")
        if not cursor:
            return seen


def github_link(task: dict[str, Any]) -> Walk:
    """GitHub: ``per_page=100`` and the ``Link`` header's ``rel="next"``."""
    seen, url = 0, task["services"]["github"] + "/user/repos?per_page=100"
    while url:
        action = _get(task, "github", url)
        action["headers"]["User-Agent"] = "apibench-bench"
        obs = yield action
        seen += len(json.loads(obs["body"]))
        links = obs["headers"].get("link", "")
        url = next(
            (p.split(";")[0].strip(" <>") for p in links.split(",") if 'rel="next"' in p), ""
        )
    return seen


def brewery_pages(task: dict[str, Any]) -> Walk:
    """Open Brewery DB: ``page`` and ``per_page=200`` until a short page."""
    seen, page_number = 0, 1
    while True:
        url = f"/v1/breweries?per_page=200&page={page_number}"
        page = json.loads((yield _get(task, "brewery", url))["body"])
        seen += len(page)
        if len(page) < 200:
            return seen
        page_number += 1


WALKS = [
    WalkSpec("offset (Attio records query)", "attio.companies-founded-before", attio_offset),
    WalkSpec(
        "keyset (Stripe starting_after)",
        "stripe.all-customers",
        stripe_keyset,
        {"stripe": {"customers": 1000, "jitter_pct": 0}},
    ),
    WalkSpec("cursor (Slack next_cursor)", "slack.recent-n-messages", slack_cursor),
    WalkSpec(
        "Link header (GitHub)",
        "github.all-repos",
        github_link,
        {"github": {"repos": 2600}},
    ),
    WalkSpec("page number (Open Brewery DB)", "brewery.all-in-state", brewery_pages),
]
"""One walk per pagination style; styles whose service is not registered are skipped."""
