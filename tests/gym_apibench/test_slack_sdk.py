"""The official ``slack_sdk`` against ``apibench serve``: its own cursor pagination reads
whole listings, and the records equal the seeded world's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from gym_apibench.episode import build
from mockapis.world import World
from tests.served import SEED, Served, serving

SCENARIO = "slack.recent-n-messages"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info_file = tmp_path_factory.mktemp("slack-serve") / "info.json"
    with serving(info_file, "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(scope="module")
def world() -> World:
    """The served world as it starts (same scenario, same seed)."""
    built = build(SCENARIO, SEED)
    found = World(SEED)
    found.restore(built.snapshot)
    return found


@pytest.fixture(scope="module")
def client(served: Served) -> WebClient:
    base = served.info["services"]["slack"]
    token = served.info["credentials"]["slack"]["token"]
    return WebClient(token=token, base_url=base + "/api/")


def top_level(world: World, channel_id: str) -> list[dict[str, Any]]:
    table = world.table("slack.messages")
    keys = sorted((k for k in table if k.startswith(channel_id + "/")), reverse=True)
    return [table[k] for k in keys if table[k].get("thread_ts", table[k]["ts"]) == table[k]["ts"]]


def test_auth_test(client: WebClient, world: World) -> None:
    reply = client.auth_test()
    assert reply["ok"] is True
    assert world.table("slack.users")[reply["user_id"]]["is_bot"] is True


def test_conversations_list_pages_through_the_sdk(client: WebClient, world: World) -> None:
    # The SDK's iterator refills one SlackResponse in place: read each page as it comes.
    got, pages = [], 0
    for page in client.conversations_list(types="public_channel,private_channel", limit=7):
        pages += 1
        got += [c["id"] for c in page["channels"]]
    assert pages > 1
    assert got == sorted(world.table("slack.channels"))


def test_whole_history_through_the_sdk_iterator(client: WebClient, world: World) -> None:
    channels = [world.table("slack.channels")[k] for k in sorted(world.table("slack.channels"))]
    busiest = max(channels, key=lambda c: len(top_level(world, c["id"])))
    want = [m["ts"] for m in top_level(world, busiest["id"])]
    assert len(want) > 1000
    got: list[str] = []
    pages = 0
    for page in client.conversations_history(channel=busiest["id"], limit=999):
        pages += 1
        got += [m["ts"] for m in page["messages"]]
    assert got == want
    assert pages == -(-len(want) // 999)


def test_users_list_pages_through_the_sdk(client: WebClient, world: World) -> None:
    got = [u["id"] for page in client.users_list(limit=9) for u in page["members"]]
    assert got == sorted(world.table("slack.users"))


def test_errors_raise_slack_api_error(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.conversations_history(channel="C0NOTHERE0")
    assert raised.value.response["error"] == "channel_not_found"


def test_post_message_by_name(client: WebClient, world: World) -> None:
    channel = next(
        world.table("slack.channels")[k]
        for k in sorted(world.table("slack.channels"))
        if not world.table("slack.channels")[k]["is_archived"]
    )
    reply = client.chat_postMessage(channel="#" + channel["name"], text="hello from slack_sdk")
    assert reply["ok"] is True and reply["channel"] == channel["id"]
    newest = client.conversations_history(channel=channel["id"], limit=1)["messages"][0]
    assert newest["ts"] == reply["ts"] and newest["text"] == "hello from slack_sdk"
