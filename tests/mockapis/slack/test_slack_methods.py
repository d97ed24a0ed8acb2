"""auth.test, users.list, conversations.list, chat.postMessage; Slack's errors with HTTP 200."""

from __future__ import annotations

from tests.mockapis.slack.conftest import SlackClient, assert_error


def test_auth_test_names_the_bot(shared: SlackClient) -> None:
    body = shared.get("auth.test")
    assert body["ok"] is True
    user = shared.world.table("slack.users")[body["user_id"]]
    assert user["is_bot"] and body["user"] == user["name"] == "apibench_bot"
    assert body["team_id"].startswith("T") and body["bot_id"].startswith("B")


def test_missing_and_unknown_tokens_fail_with_http_200(shared: SlackClient) -> None:
    assert_error(shared.get("auth.test", auth=None), "not_authed")
    assert_error(shared.get("auth.test", auth="xoxb-0-0-nope"), "invalid_auth")


def test_token_may_come_as_a_post_argument_but_not_in_the_query_string(
    shared: SlackClient,
) -> None:
    assert shared.form("auth.test", auth=None, token=shared.token)["ok"] is True
    # An app created after 24 Feb 2021 may not send its token in the query string.
    assert_error(shared.get("auth.test", auth=None, token=shared.token), "invalid_auth")
    reply = shared.request("POST", f"/api/auth.test?token={shared.token}", token=None)
    assert reply.json == {"ok": False, "error": "invalid_auth"}
    # With the header, a token also in the query string is not read.
    assert shared.get("auth.test", token="xoxb-0-0-nope")["ok"] is True


def test_unknown_method_is_404_unknown_method(shared: SlackClient) -> None:
    reply = shared.request("GET", "/api/conversations.nope")
    assert reply.status == 404
    assert reply.json == {"ok": False, "error": "unknown_method"}


def test_users_list_all_at_once_or_paged(shared: SlackClient) -> None:
    everyone = shared.get("users.list")
    ids = [u["id"] for u in everyone["members"]]
    assert len(ids) == len(shared.world.table("slack.users")) and ids == sorted(ids)
    assert everyone["response_metadata"]["next_cursor"] == ""
    walked, cursor = [], None
    while True:
        page = shared.get("users.list", limit=3, cursor=cursor)
        assert len(page["members"]) <= 3
        walked += [u["id"] for u in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert walked == ids


def test_conversations_list_types_archived_and_pages(shared: SlackClient) -> None:
    public = [c["id"] for c in shared.channels() if not c["is_private"]]
    assert [c["id"] for c in shared.get("conversations.list")["channels"]] == public
    both = shared.get("conversations.list", types="public_channel,private_channel", limit=5)
    assert len(both["channels"]) == 5 and both["response_metadata"]["next_cursor"]
    walked, cursor = [], None
    while True:
        page = shared.get("conversations.list", types="private_channel,public_channel",
                          exclude_archived="true", limit=4, cursor=cursor)  # fmt: skip
        walked += page["channels"]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert [c["id"] for c in walked] == [c["id"] for c in shared.channels() if not c["is_archived"]]


def test_conversations_list_bad_arguments(shared: SlackClient) -> None:
    assert_error(shared.get("conversations.list", types="channels"), "invalid_types")
    assert_error(shared.get("conversations.list", cursor="%%%"), "invalid_cursor")
    assert_error(shared.get("conversations.list", limit="ten"), "invalid_arguments")
    assert_error(shared.get("conversations.list", limit=-1), "invalid_limit")
    users_cursor = shared.get("users.list", limit=2)["response_metadata"]["next_cursor"]
    assert_error(shared.get("conversations.list", cursor=users_cursor), "invalid_cursor")


def test_conversations_list_caps_the_limit_at_1000() -> None:
    big = SlackClient(2, {"channels": 1100, "users": 3, "busy_channels": 0, "quiet_messages": 0})
    page = big.get("conversations.list", types="public_channel,private_channel", limit=5000)
    assert len(page["channels"]) == 1000 and page["response_metadata"]["next_cursor"]


def test_post_message_by_name_id_or_hash_name(client: SlackClient) -> None:
    channel = next(c for c in client.channels() if not c["is_archived"])
    for target in (channel["id"], channel["name"], "#" + channel["name"]):
        body = client.form("chat.postMessage", channel=target, text=f"hello {target}")
        assert body["ok"] is True and body["channel"] == channel["id"]
        assert body["message"]["text"] == f"hello {target}"
        stored = client.world.table("slack.messages")[f"{channel['id']}/{body['ts']}"]
        assert stored == body["message"]
        assert client.get("conversations.history", channel=channel["id"], limit=1)["messages"] == [
            body["message"]
        ]


def test_post_message_with_a_json_body(client: SlackClient) -> None:
    channel = next(c for c in client.channels() if not c["is_archived"])
    body = client.post_json("chat.postMessage", {"channel": channel["id"], "text": "json"})
    assert body["ok"] is True and body["message"]["text"] == "json"


def test_post_message_errors_change_nothing(client: SlackClient) -> None:
    archived = next((c for c in client.channels() if c["is_archived"]), None)
    open_channel = next(c for c in client.channels() if not c["is_archived"])
    before = client.world.snapshot()
    cases = [
        ({"channel": "no-such-channel", "text": "x"}, "channel_not_found"),
        ({"channel": open_channel["id"]}, "no_text"),
        ({"channel": open_channel["id"], "text": "x" * 40_001}, "msg_too_long"),
        ({"channel": open_channel["id"], "text": "x", "thread_ts": "1.000000"}, "thread_not_found"),
        ({"channel": open_channel["id"], "blocks": "not json"}, "invalid_blocks"),
    ]
    if archived is not None:
        cases.append(({"channel": archived["id"], "text": "x"}, "is_archived"))
    for args, error in cases:
        assert_error(client.form("chat.postMessage", **args), error)
    assert client.world.diff(before) == {}


def test_reply_in_a_thread_updates_its_parent(client: SlackClient) -> None:
    channel = next(
        c for c in client.channels() if not c["is_archived"] and client.top_level(c["id"])
    )
    parent = client.top_level(channel["id"])[-1]
    body = client.form("chat.postMessage", channel=channel["id"], text="+1", thread_ts=parent["ts"])
    assert body["message"]["thread_ts"] == parent["ts"]
    updated = client.world.table("slack.messages")[f"{channel['id']}/{parent['ts']}"]
    assert updated["reply_count"] == parent.get("reply_count", 0) + 1
    assert updated["latest_reply"] == body["ts"]
    thread = client.get("conversations.replies", channel=channel["id"], ts=parent["ts"])
    assert thread["messages"][0]["ts"] == parent["ts"] and thread["messages"][-1] == body["message"]


def _narrow_token(client: SlackClient, scopes: str) -> None:
    tokens = client.world.table("slack._tokens")
    tokens.put(client.token, {**tokens[client.token], "scopes": scopes})


def test_missing_scope_names_what_is_needed_and_what_the_token_has(client: SlackClient) -> None:
    _narrow_token(client, "channels:read,channels:history")
    public = next(c for c in client.channels() if not c["is_private"])
    private = next(c for c in client.channels() if c["is_private"])
    assert client.get("conversations.list")["ok"] is True  # public channels: channels:read
    assert client.get("conversations.history", channel=public["id"])["ok"] is True
    cases = [
        (client.get("conversations.list", types="public_channel,private_channel"), "groups:read"),
        (client.get("conversations.history", channel=private["id"]), "groups:history"),
        (client.get("users.list"), "users:read"),
        (client.form("chat.postMessage", channel=public["id"], text="hi"), "chat:write"),
        (client.get("conversations.list", types="im"), "im:read"),
    ]
    for body, needed in cases:
        assert_error(body, "missing_scope")
        assert body["needed"] == needed and body["provided"] == "channels:read,channels:history"
    assert client.get("auth.test")["ok"] is True  # auth.test needs no scope


def test_the_seeded_bot_token_cannot_read_direct_messages(shared: SlackClient) -> None:
    body = shared.get("conversations.list", types="public_channel,im")
    assert_error(body, "missing_scope")
    assert body["needed"] == "im:read"
