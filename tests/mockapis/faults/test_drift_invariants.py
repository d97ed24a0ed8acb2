"""Pagination under a concurrent writer (``pagination_drift``), per style, as real APIs show it.

Keyset paging (Stripe, newest first, ``starting_after``) never repeats a record when rows are
inserted between pages: the new, newest rows land before the cursor and are simply not seen.
Offset paging (Attio, oldest first) skips records when rows before the offset are deleted
between pages: the gaps a client must expect from offsets.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.solving import auth_headers


def _env(scenario: str, faults: list[dict]) -> tuple[gym.Env, dict]:
    env = gym.make(gym_apibench.env_id(scenario), faults=faults).unwrapped
    _, info = env.reset(seed=0)
    return env, info["task"]


@pytest.mark.parametrize("inserts", [1, 7])
def test_keyset_paging_never_repeats_under_inserts(inserts):
    drift = {
        "kind": "pagination_drift",
        "params": {"table": "stripe.customers", "inserts": inserts},
        "where": {"path": "/v1/customers"},
        "when": {"after": 1},
    }
    env, task = _env("stripe.all-customers", [drift])
    before = set(env.episode.world.table("stripe.customers"))
    headers = auth_headers(task["credentials"]["stripe"])
    seen, after, pages = [], "", 0
    while True:
        query = urlencode({"limit": 100, **({"starting_after": after} if after else {})})
        obs, *_ = env.step(
            {
                "method": "GET",
                "url": f"{task['services']['stripe']}/v1/customers?{query}",
                "headers": headers,
            }
        )
        page = json.loads(obs["body"])
        seen += [c["id"] for c in page["data"]]
        pages += 1
        if not page["has_more"]:
            break
        after = page["data"][-1]["id"]
    assert pages >= 3
    assert len(seen) == len(set(seen)), "keyset pages repeated a record"
    assert set(seen) == before, "every record that existed at the start was seen once"
    grown = set(env.episode.world.table("stripe.customers")) - before
    assert len(grown) == inserts * (pages - 1) and not grown & set(seen)


def test_offset_paging_skips_records_under_deletes():
    drift = {
        "kind": "pagination_drift",
        "params": {"table": "attio.companies", "deletes": 5},
        "where": {"path": "/v2/objects/companies/records/query"},
        "when": {"after": 1},
    }
    env, task = _env("attio.companies-founded-before", [drift])
    initial = set(env.episode.world.table("attio.companies"))
    headers = auth_headers(task["credentials"]["attio"])
    url = task["services"]["attio"] + "/v2/objects/companies/records/query"
    seen, offset = [], 0
    while True:
        obs, *_ = env.step(
            {
                "method": "POST",
                "url": url,
                "headers": headers,
                "json": {"limit": 100, "offset": offset},
            }
        )
        page = json.loads(obs["body"])["data"]
        seen += [c["id"]["record_id"] for c in page]
        if len(page) < 100:
            break
        offset += 100
    deleted = initial - set(env.episode.world.table("attio.companies"))
    survivors_missed = (initial - deleted) - set(seen)
    assert len(seen) == len(set(seen)), "deletes alone never make offset pages repeat"
    assert survivors_missed, "deleting rows before the offset must make the walk skip some"


def test_link_header_paging_repeats_records_under_inserts():
    """Page numbers over a name-sorted list: rows inserted before the page shift it forward."""
    drift = {
        "kind": "pagination_drift",
        "params": {"table": "github.repos", "inserts": 6},
        "where": {"path": "/user/repos"},
        "when": {"after": 1},
    }
    env, task = _env("github.all-repos", [drift])
    headers = {**auth_headers(task["credentials"]["github"]), "User-Agent": "apibench-test"}
    url = task["services"]["github"] + "/user/repos?per_page=30"
    seen: list[str] = []
    for _ in range(100):  # the list grows as it is walked: bound the walk
        if not url:
            break
        obs, *_ = env.step({"method": "GET", "url": url, "headers": headers})
        seen += [r["full_name"] for r in json.loads(obs["body"])]
        links = obs["headers"].get("link", "")
        url = next(
            (p.split(";")[0].strip(" <>") for p in links.split(",") if 'rel="next"' in p), ""
        )
    assert len(seen) > len(set(seen)), "inserts before the current page must repeat records"
