"""Pagination walks for ``make bench``: every record of a 1,000+ record list, one style each.

A walk is a generator like a reference solution: it yields request actions, receives the
observations, and returns how many records it collected. It runs through ``env.step``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from gym_apibench.solving import auth_headers

Walk = Generator[dict[str, Any], dict[str, Any], int]


@dataclass(frozen=True)
class WalkSpec:
    """A pagination style, the scenario whose world it walks, and the walk."""

    style: str
    scenario: str
    walk: Callable[[dict[str, Any]], Walk]


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


WALKS = [
    WalkSpec("offset (Attio records query)", "attio.companies-founded-before", attio_offset),
]
"""One walk per pagination style; styles whose service is not registered are skipped."""
