"""A listing starts again from its first page when its cursor expires (the
``cursor_expiry`` fault kind): the shared :func:`gym_apibench.solving.restarts`, and the
reference solutions that use it, plain (``oracle``) and behind the recovery layer
(``robust``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gym_apibench.harness import run_episode
from gym_apibench.solving import (
    RESTARTS,
    CursorExpired,
    Recovery,
    Solution,
    expect_json,
    recovering,
    request,
    restarts,
)
from tests.gym_apibench.layer_play import play

EXPIRED = {"status": 400, "headers": {}, "body": '{"ok": false, "error": "invalid_cursor"}'}


def page(items: list[int], cursor: str | None) -> dict[str, Any]:
    return {"status": 200, "headers": {}, "body": json.dumps({"items": items, "next": cursor})}


@restarts
def listing() -> Any:
    found: list[int] = []
    cursor = None
    while True:
        url = "https://api.example/items" + (f"?cursor={cursor}" if cursor else "")
        body = expect_json((yield request("GET", url)))
        found.extend(body["items"])
        cursor = body["next"]
        if not cursor:
            return found


def collect() -> Solution:
    found = yield from listing()
    yield {"submit": found}


def test_an_expired_cursor_starts_the_listing_again_with_fresh_state() -> None:
    replies = [page([1, 2], "c2"), EXPIRED, page([1, 2], "c2b"), page([3], None)]
    actions = play(collect(), replies)
    urls = [a.get("url") for a in actions[:-1]]
    assert urls == [
        "https://api.example/items",
        "https://api.example/items?cursor=c2",
        "https://api.example/items",  # from the first page again
        "https://api.example/items?cursor=c2b",
    ]
    assert actions[-1] == {"submit": [1, 2, 3]}  # nothing gathered twice


def test_restarts_end_after_their_count() -> None:
    solution = collect()
    next(solution)
    with pytest.raises(CursorExpired):
        for _ in range(RESTARTS):
            solution.send(page([1], "c"))
            solution.send(EXPIRED)


def test_under_the_layer_a_restart_counts_as_a_fault_forced_step() -> None:
    recovery = Recovery(max_steps=4)
    actions = play(recovering(collect(), recovery), [page([1], "c"), EXPIRED, page([1], "c")])
    # Two pages and the restart's first page leave only the submit's step: impossible.
    assert actions[-1] == {"submit": None}
    assert recovery.retries == 1 and str(recovery.impossible).startswith("budget:")


# (scenario, the pagination parameter its listing sends): one scenario per listing of the
# reference solutions (the function in the comment), where seeds 0-4 meet an expiry.
CASES = [
    ("attio.merge-duplicate-companies", "offset"),  # attio: query_all
    ("attio.retry-503s", "offset"),  # query_all, under the scenario's own 503s
    ("clickup.list-tasks-all-pages", "page"),  # clickup: _task_ids
    ("clickup.task-comments-with-replies", "start"),  # clickup: _top_comments
    ("clockify.project-rates", "page"),  # clockify: Api.all_pages
    ("confluence.space-pages-by-id", "start"),  # confluence: _walk
    ("erp.approve-supplier-orders", "page"),  # erp: _pending_orders
    ("brewery.all-in-state", "page"),  # brewery: _pages
    ("github.open-issues", "page"),  # github: Api.walk
    ("hubspot.sync-from-attio", "offset"),  # hubspot: attio_query
    ("ledgerly.partner-contacts", "page"),  # ledgerly: Ledgerly.pages
    ("linear.sync-from-clickup", "page"),  # linear: _list_tasks
    ("openalex.year-works", "cursor"),  # openalex: _year_works
    ("punk.catalogue-count", "page"),  # punk: _beers
    ("s3.upload-report", "continuation-token"),  # s3: _keys (XML errors)
    ("shopify.type-totals", "page"),  # shopify: _of_type
    ("slack.messages-last-days", "cursor"),  # slack: Api.pages
    ("slack.recent-n-messages", "cursor"),  # slack: _newest
    ("stripe.all-customers", "starting_after"),  # stripe: list_all
    ("stripe.customers-in-segment", "page"),  # stripe: search_all
    ("tradepost.cancel-far-orders", "cursor"),  # tradepost: _open_orders (signed)
    ("typeform.all-responses", "before"),  # typeform: _responses
]


@pytest.mark.parametrize(("scenario_id", "param"), CASES)
def test_a_reference_listing_restarts_when_its_cursor_expires(scenario_id: str, param: str):
    rules = [
        {
            "name": "expire",
            "kind": "cursor_expiry",
            "params": {"param": param},
            "when": {"probability": 0.3},
        }
    ]
    recovered = 0
    for seed in range(5):
        result = run_episode("robust", scenario_id, seed, rules)
        expired = any(f["kind"] == "cursor_expiry" for f in result.faults)
        impossible = (result.agent_stats or {}).get("impossible")
        assert result.success or impossible, (seed, result.failure)
        if expired and result.success:
            recovered += 1
            assert run_episode("oracle", scenario_id, seed, rules).success, seed
    assert recovered, "no seed had a cursor expire and the listing recover"
