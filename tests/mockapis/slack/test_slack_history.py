"""conversations.history and conversations.replies: limits, windows, cursor invariants."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mockapis.slack.conftest import SlackClient, assert_error


def walk(client: SlackClient, name: str, **args: Any) -> list[dict[str, Any]]:
    """Every message across the cursor pages, checking each page's own invariants."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.get(name, cursor=cursor, **args)
        assert page["ok"] is True, page
        found += page["messages"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        assert bool(cursor) == page["has_more"]
        if not cursor:
            return found
        assert len(page["messages"]) == min(int(args.get("limit", 100)), 999)


@pytest.mark.parametrize("limit", [1, 7, 100, 999, 5000])
def test_walking_history_yields_every_message_once_newest_first(
    shared: SlackClient, limit: int
) -> None:
    channel = shared.busiest()
    want = shared.top_level(channel["id"])
    if limit == 1:
        want = want[:0]  # walking one by one is only checked on a quiet channel below
        channel = min(
            (c for c in shared.channels() if shared.top_level(c["id"])),
            key=lambda c: len(shared.top_level(c["id"])),
        )
        want = shared.top_level(channel["id"])
    got = walk(shared, "conversations.history", channel=channel["id"], limit=limit)
    assert [m["ts"] for m in got] == [m["ts"] for m in want]
    assert all("parent_user_id" not in m for m in got)  # replies stay in their threads


def test_history_defaults_to_100_and_caps_at_999(shared: SlackClient) -> None:
    channel = shared.busiest()
    assert len(shared.top_level(channel["id"])) > 1000
    assert len(shared.get("conversations.history", channel=channel["id"])["messages"]) == 100
    page = shared.get("conversations.history", channel=channel["id"], limit=1000)
    assert len(page["messages"]) == 999 and page["has_more"] is True


def test_history_window_and_inclusive(shared: SlackClient) -> None:
    channel = shared.busiest()
    messages = shared.top_level(channel["id"])
    newer, older = messages[10]["ts"], messages[50]["ts"]
    page = shared.get("conversations.history", channel=channel["id"], oldest=older, latest=newer)
    assert [m["ts"] for m in page["messages"]] == [m["ts"] for m in messages[11:50]]
    page = shared.get("conversations.history", channel=channel["id"], oldest=older,
                      latest=newer, inclusive="true")  # fmt: skip
    assert [m["ts"] for m in page["messages"]] == [m["ts"] for m in messages[10:51]]
    since = walk(shared, "conversations.history", channel=channel["id"], oldest=older, limit=7)
    assert [m["ts"] for m in since] == [m["ts"] for m in messages[:50]]


def test_history_errors(shared: SlackClient) -> None:
    channel = shared.busiest()
    assert_error(shared.get("conversations.history", channel="C0NOTHERE0"), "channel_not_found")
    assert_error(shared.get("conversations.history", channel=channel["name"]), "channel_not_found")
    assert_error(shared.get("conversations.history"), "channel_not_found")
    bad = {"channel": channel["id"]}
    assert_error(
        shared.get("conversations.history", **bad, oldest="yesterday"), "invalid_ts_oldest"
    )
    assert_error(shared.get("conversations.history", **bad, latest="1.2.3"), "invalid_ts_latest")
    assert_error(shared.get("conversations.history", **bad, cursor="bm9wZQ"), "invalid_cursor")
    other = next(c for c in shared.channels() if c["id"] != channel["id"])
    cursor = shared.get("conversations.history", **bad, limit=2)["response_metadata"]["next_cursor"]
    assert_error(shared.get("conversations.history", channel=other["id"], cursor=cursor),
                 "invalid_cursor")  # fmt: skip


def test_replies_pages_hold_the_thread_oldest_first(shared: SlackClient) -> None:
    table = shared.world.table("slack.messages")
    key = next(k for k, m in table.items() if m.get("reply_count", 0) >= 3)
    channel_id, ts = key.split("/", 1)
    replies = sorted(
        (
            m
            for k, m in table.items()
            if k.startswith(channel_id + "/") and m.get("thread_ts") == ts
        ),
        key=lambda m: m["ts"],
    )
    everything = shared.get("conversations.replies", channel=channel_id, ts=ts)
    assert [m["ts"] for m in everything["messages"]] == [m["ts"] for m in replies]
    assert everything["messages"][0]["reply_count"] == len(replies) - 1
    paged = walk(shared, "conversations.replies", channel=channel_id, ts=ts, limit=2)
    assert paged == everything["messages"]
    from_reply = shared.get("conversations.replies", channel=channel_id, ts=replies[-1]["ts"])
    assert from_reply["messages"] == everything["messages"]
    assert_error(shared.get("conversations.replies", channel=channel_id, ts="1.000001"),
                 "thread_not_found")  # fmt: skip
    assert_error(shared.get("conversations.replies", channel=channel_id), "invalid_arguments")


def test_post_arguments_equal_get_arguments(shared: SlackClient) -> None:
    channel = shared.busiest()
    by_get = shared.get("conversations.history", channel=channel["id"], limit=5)
    by_form = shared.form("conversations.history", channel=channel["id"], limit=5)
    by_json = shared.post_json("conversations.history", {"channel": channel["id"], "limit": 5})
    assert by_get["messages"] == by_form["messages"] == by_json["messages"]


def test_seeded_counts_vary_with_the_seed() -> None:
    counts = {
        seed: len(SlackClient(seed).top_level(SlackClient(seed).busiest()["id"])) for seed in (3, 4)
    }
    assert counts[3] != counts[4]
    assert all(300 <= n <= 1500 for n in counts.values())
