"""Pagination under a concurrent writer (``pagination_drift``), per style, as real APIs show it.

Keyset paging (Stripe, newest first, ``starting_after``) never repeats a record when rows are
inserted between pages: the new, newest rows land before the cursor and are simply not seen.
Offset paging (Attio, oldest first) skips records when rows before the offset are deleted
between pages: the gaps a client must expect from offsets. Page-number paging (GitHub's Link
pages, Open Brewery DB, PunkAPI, Shopify's storefront, OpenAlex's ``page``) is offset paging
too: rows inserted before the page repeat records (Open Brewery DB lists by name, so new rows
land anywhere), rows appended after it (ids that only grow) are met at the end, deletes skip.
Slack's ``conversations.history`` cursor is keyed on the last message's ``ts`` (its
``next_cursor`` decodes to ``next_ts:<ts>``): new messages land on top of the newest-first
history and never shift older pages, and deletes never make the walk skip a survivor.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.solving import auth_headers
from mockapis.world import World


def _env(scenario: str, faults: list[dict], sizes: dict | None = None) -> tuple[gym.Env, dict]:
    # Walks run past the scenario's step limit: no limit, or the env refuses the later steps.
    env = gym.make(
        gym_apibench.gym_id(scenario), faults=faults, sizes=sizes, max_episode_steps=-1
    ).unwrapped
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


# -- Slack: cursors keyed on ts ---------------------------------------------------------------

SLACK_SIZES = {"slack": {"channels": 3, "busy_channels": 1, "busy_messages": 2500,
                         "quiet_messages": 0}}  # fmt: skip
"""Every message in #general (500 to 2500 of them), so drift always hits the walked channel."""


def _slack_drift(**params: int) -> dict:
    return {
        "kind": "pagination_drift",
        "params": {"table": "slack.messages", **params},
        "where": {"path": "/api/conversations.history"},
        "when": {"after": 1},
    }


def _top_level(env: gym.Env) -> list[str]:
    """The ts of #general's top-level messages, newest first (as history lists them)."""
    world = env.episode.world
    general = next(c["id"] for c in world.table("slack.channels").values() if c["is_general"])
    rows = [m for k, m in world.table("slack.messages").items() if k.startswith(general + "/")]
    return sorted((m["ts"] for m in rows if m.get("thread_ts", m["ts"]) == m["ts"]), reverse=True)


def _history(env: gym.Env, task: dict, cursor: str = "", limit: int = 200) -> dict:
    world = env.episode.world
    general = next(c["id"] for c in world.table("slack.channels").values() if c["is_general"])
    query = urlencode(
        {"channel": general, "limit": limit, **({"cursor": cursor} if cursor else {})}
    )
    obs, *_ = env.step(
        {
            "method": "GET",
            "url": f"{task['services']['slack']}/api/conversations.history?{query}",
            "headers": auth_headers(task["credentials"]["slack"]),
        }
    )
    body = json.loads(obs["body"])
    assert body["ok"], body
    return body


def _walk_history(env: gym.Env, task: dict) -> tuple[list[str], int]:
    seen, cursor, pages = [], "", 0
    while True:
        body = _history(env, task, cursor)
        seen += [m["ts"] for m in body["messages"]]
        pages += 1
        cursor = (body.get("response_metadata") or {}).get("next_cursor", "")
        if not cursor:
            return seen, pages


def test_slack_cursor_neither_repeats_nor_skips_under_new_messages():
    env, task = _env("slack.recent-n-messages", [_slack_drift(inserts=4)], SLACK_SIZES)
    initial = _top_level(env)
    seen, pages = _walk_history(env, task)
    assert pages >= 3
    assert seen == initial, "every message that existed at the start, once, newest first"
    posted = set(_top_level(env)) - set(initial)
    assert len(posted) == 4 * (pages - 1) and not posted & set(seen)
    assert min(posted) > initial[0], "new messages are the newest: on top of the history"
    top = _history(env, task)["messages"]  # a fresh walk starts with them (and 4 more)
    posted = set(_top_level(env)) - set(initial)
    assert [m["ts"] for m in top[: len(posted)]] == sorted(posted, reverse=True)


def test_slack_cursor_never_skips_survivors_under_deletes():
    env, task = _env("slack.recent-n-messages", [_slack_drift(inserts=0, deletes=40)], SLACK_SIZES)
    initial = _top_level(env)
    seen, _ = _walk_history(env, task)
    survivors = set(_top_level(env))
    assert survivors < set(initial), "the drift deleted top-level messages"
    assert len(seen) == len(set(seen))
    assert survivors <= set(seen), "a ts cursor skips nothing that still exists"
    assert seen == sorted(seen, reverse=True)


def test_slack_cursor_survives_the_deletion_of_its_own_message():
    env, task = _env("slack.recent-n-messages", [], SLACK_SIZES)
    initial = _top_level(env)
    first = _history(env, task, limit=100)
    last = first["messages"][-1]["ts"]
    general = env.episode.world.table("slack.channels")
    channel = next(c["id"] for c in general.values() if c["is_general"])
    env.episode.world.table("slack.messages").delete(f"{channel}/{last}")
    second = _history(env, task, first["response_metadata"]["next_cursor"], limit=100)
    assert [m["ts"] for m in second["messages"]] == initial[100:200]


# -- page numbers: Open Brewery DB, PunkAPI, Shopify, OpenAlex ------------------------------

PAGED = {
    "brewery": ("brewery.all-in-state", "brewery.breweries", "/v1/breweries", "per_page", 200),
    "punk": ("punk.every-beer", "punk.beers", "/v2/beers", "per_page", 80),
    "shopify": ("shopify.type-totals", "shopify.products", "/products.json", "limit", 250),
    "openalex": ("openalex.year-total", "openalex.works", "/works", "per-page", 200),
}


def _page_items(service: str, body: object) -> list[str]:
    if service == "shopify":
        body = body["products"]  # type: ignore[index]
    elif service == "openalex":
        body = body["results"]  # type: ignore[index]
    return [str(row["id"]) for row in body]  # type: ignore[union-attr]


def _walk_numbered(service: str, params: dict) -> tuple[gym.Env, set[str], list[str]]:
    """Walk every page of the service's listing under a drift rule: (env, initial ids, seen)."""
    scenario, table, path, size_name, size = PAGED[service]
    drift = {
        "kind": "pagination_drift",
        "params": {"table": table, **params},
        "where": {"path": path},
        "when": {"after": 1},
    }
    env, task = _env(scenario, [drift])
    ids = {str(row["id"]) for row in env.episode.world.table(table).values()}
    seen: list[str] = []
    for page in range(1, 200):  # the listing may grow as it is walked: bound the walk
        query = urlencode({size_name: size, "page": page})
        obs, *_ = env.step({"method": "GET", "url": f"{task['services'][service]}{path}?{query}"})
        assert obs["status"] == 200, obs["body"][:300]
        items = _page_items(service, json.loads(obs["body"]))
        seen += items
        if len(items) < size:
            break
    return env, ids, seen


def _now_ids(env: gym.Env, service: str) -> set[str]:
    return {str(row["id"]) for row in env.episode.world.table(PAGED[service][1]).values()}


def test_page_numbers_repeat_records_when_rows_land_before_the_page():
    """Open Brewery DB lists by name: a new brewery sorts in anywhere, shifting later pages."""
    _, initial, seen = _walk_numbered("brewery", {"inserts": 10})
    assert len(seen) > len(set(seen)), "inserts before the current page must repeat records"
    assert initial <= set(seen), "a shift forward repeats records but skips none"


@pytest.mark.parametrize("service", ["punk", "shopify", "openalex"])
def test_page_numbers_meet_appended_rows_at_the_end(service):
    """Ids only grow and these list by id: new rows land after every page, none repeats."""
    env, initial, seen = _walk_numbered(service, {"inserts": 3})
    assert len(seen) == len(set(seen)), "rows appended after the page never repeat one"
    added = _now_ids(env, service) - initial
    assert added and set(seen) == initial | added, "the walk meets the new rows at its end"


@pytest.mark.parametrize("service", sorted(PAGED))
def test_page_numbers_skip_records_under_deletes(service):
    env, initial, seen = _walk_numbered(service, {"inserts": 0, "deletes": 3})
    survivors = _now_ids(env, service)
    assert survivors < initial
    assert len(seen) == len(set(seen)), "deletes alone never make page numbers repeat"
    assert survivors - set(seen), "deleting rows before the page must make the walk skip some"


# -- the clones themselves -------------------------------------------------------------------

CLONED = {
    "slack": "slack.messages",
    "github": "github.repos",
    "stripe": "stripe.customers",
    "brewery": "brewery.breweries",
    "punk": "punk.beers",
    "shopify": "shopify.products",
    "openalex": "openalex.works",
}


@pytest.mark.parametrize("service", sorted(CLONED))
def test_clones_are_new_rows_shaped_like_the_seeded_ones(service):
    from mockapis.registry import services

    svc = services()[service]
    world = World(seed=2, epoch_ns=1_705_309_200 * 10**9)
    svc.seed(world, {k: min(v, 60) for k, v in svc.default_sizes.items()})
    table = world.table(CLONED[service])
    rng = random.Random(5)
    assert svc.clone is not None and svc.clone(world, f"{service}._other", rng) is None
    for _ in range(3):
        before = dict(table.items())
        key, row = svc.clone(world, CLONED[service], rng)
        assert key not in before
        template = next(iter(before.values()))
        assert set(row) >= set(template) - {"thread_ts", "reply_count", "reply_users",
                                            "reply_users_count", "latest_reply", "is_locked",
                                            "subscribed", "parent_user_id"}  # fmt: skip
        if service in ("punk", "shopify", "openalex"):
            assert key > max(before), "ids only grow: the new row sorts after every other"
        table.put(key, row)
    assert svc.clone(world, CLONED[service], random.Random(5)) == svc.clone(
        world, CLONED[service], random.Random(5)
    ), "a function of the RNG"


def test_slack_clone_posts_the_newest_message_of_its_channel():
    from mockapis.slack import SERVICE

    world = World(seed=2, epoch_ns=1_705_309_200 * 10**9)
    SERVICE.seed(world, {"channels": 4, "busy_channels": 1, "busy_messages": 40})
    table = world.table("slack.messages")
    key, row = SERVICE.clone(world, "slack.messages", random.Random(1))
    channel = key.split("/", 1)[0]
    others = [m["ts"] for k, m in table.items() if k.startswith(channel + "/")]
    assert float(row["ts"]) > max(float(ts) for ts in others)
    assert "thread_ts" not in row and not world.table("slack.users")[row["user"]]["is_bot"]
