"""The seeded workspace: its indexes agree with the rows, messages are built channel by
channel, and the guarantees the scenarios rely on hold for every seed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockapis.slack import SERVICE
from mockapis.slack.data import DEFAULT_SIZES
from mockapis.slack.messages import thread_parent
from mockapis.slack.schema import parse_ts
from mockapis.world import World
from tests.mockapis.slack.conftest import EPOCH_NS, SMALL

TOP_FIELDS = {"type", "user", "text", "ts", "team"}
THREAD_FIELDS = {
    "thread_ts", "reply_count", "reply_users_count", "latest_reply", "reply_users", "is_locked",
    "subscribed",
}  # fmt: skip


def seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    world = World(seed, epoch_ns=EPOCH_NS)
    SERVICE.seed(world, sizes or dict(DEFAULT_SIZES))
    return world


def by_channel(world: World) -> dict[str, list[dict[str, Any]]]:
    """Every channel's messages, oldest first (replies too)."""
    table = world.table("slack.messages")
    found: dict[str, list[dict[str, Any]]] = {c: [] for c in world.table("slack.channels")}
    for key in sorted(table):
        found[key.split("/", 1)[0]].append(table[key])
    return found


@pytest.mark.parametrize(("seed", "sizes"), [(0, None), (11, None), (5, SMALL)])
def test_indexes_agree_with_every_row(seed: int, sizes: dict[str, int] | None) -> None:
    world = seeded(seed, sizes)
    users, channels = world.table("slack.users"), world.table("slack.channels")
    for user_id, entry in world.index("slack.users").items():
        user = users[user_id]
        assert (entry.id, entry.deleted, entry.is_bot) == (
            user["id"],
            user["deleted"],
            user["is_bot"],
        )
    assert set(world.index("slack.users")) == set(users)
    active = {u["id"] for u in users.values() if not u["deleted"] and not u["is_bot"]}
    layouts = world.index("slack.messages")
    messages = by_channel(world)
    assert set(world.index("slack.channels")) == set(channels) == set(layouts)
    for channel_id, entry in world.index("slack.channels").items():
        channel = channels[channel_id]
        assert (entry.id, entry.name, entry.is_private, entry.is_archived, entry.is_general) == (
            channel["id"], channel["name"], channel["is_private"], channel["is_archived"],
            channel["is_general"],
        )  # fmt: skip
        rows = messages[channel_id]
        top = [m for m in rows if m.get("thread_ts", m["ts"]) == m["ts"]]
        layout = layouts[channel_id]
        assert entry.top_level == layout.top_level == len(top)
        stamps = [parse_ts(m["ts"], "x") for m in top]
        assert stamps == layout.stamps().tolist() == entry.stamps().tolist()
        assert all(layout.end_us - entry.span_us < parse_ts(m["ts"], "x") for m in top)
        assert channel["created"] * 1_000_000 < layout.end_us - entry.span_us
        threads = [(i, m["reply_count"]) for i, m in enumerate(top) if "reply_count" in m]
        assert threads == list(layout.threads)
        assert len(rows) == len(top) + layout.replies
        assert {m["user"] for m in rows} <= active
        for parent in top:
            assert set(parent) in (TOP_FIELDS, TOP_FIELDS | THREAD_FIELDS)
            if "reply_count" in parent:
                replies = [
                    m for m in rows if m.get("thread_ts") == parent["ts"] and m is not parent
                ]
                base = {k: parent[k] for k in TOP_FIELDS}
                assert thread_parent(base, replies) == parent  # as chat.postMessage makes it
                assert all(r["parent_user_id"] == parent["user"] for r in replies)
                assert all(set(r) == TOP_FIELDS | {"thread_ts", "parent_user_id"} for r in replies)


def test_a_channel_is_the_same_whichever_channels_were_read_before() -> None:
    first, second = seeded(3, SMALL), seeded(3, SMALL)
    ids = sorted(first.table("slack.channels"))
    a = {
        k: first.table("slack.messages")[k]
        for k in first.table("slack.messages").with_prefix(ids[-1] + "/")
    }
    for channel_id in ids:
        second.table("slack.messages").with_prefix(channel_id + "/")
    b = {
        k: second.table("slack.messages")[k]
        for k in second.table("slack.messages").with_prefix(ids[-1] + "/")
    }
    assert a == b
    assert first.state_hash() == second.state_hash()


def test_reading_one_channel_builds_no_other() -> None:
    world = seeded(4)
    channel_id = next(iter(world.index("slack.channels")))
    keys = world.table("slack.messages").with_prefix(channel_id + "/")
    assert len(world._rows_of("slack.messages")) == len(keys) > 0


@pytest.mark.parametrize("seed", [1, 3001, 2**31 - 1])
def test_guarantees_hold_whatever_the_seed(seed: int) -> None:
    sizes = {**DEFAULT_SIZES, "busy_channels": 4, "busy_messages": 2997}
    channels = seeded(seed, sizes).index("slack.channels").values()
    general = next(c for c in channels if c.is_general)
    assert 2997 // 2 <= general.top_level <= 2997
    assert any(c.is_private for c in channels) and any(c.is_archived for c in channels)
    assert not general.is_private and not general.is_archived


def test_ids_are_unique_and_slack_shaped() -> None:
    world = seeded(8, {**SMALL, "channels": 300, "users": 300})
    ids = [*world.table("slack.users"), *world.table("slack.channels")]
    assert len(ids) == len(set(ids)) == 301 + 300
    assert all(re.fullmatch(r"[UC]0[A-Z0-9]{9}", i) for i in ids)
