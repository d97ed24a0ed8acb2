"""slack in the conformance suite: extra cases, allow-list, whether it conforms.

Slack answers every failure with HTTP 200 and ``{"ok": false, "error": ...}``; its description
documents those bodies as each method's ``default`` response, and the suite validates them
against it (``Vendor.errors_in_body``). The error code each error case answers is checked by
``tests/mockapis/slack/test_slack_conformance.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.conformance.cases import Case, Deferred, seeded_rows

PENDING = False
"""Every response conforms (issue 18), apart from the reasoned allow-list."""

SCENARIO = "slack.thread-replies"
"""The scenario the cases play in (seed 0): its channel and thread are inputs."""


def _channels() -> dict[str, Mapping[str, Any]]:
    """The channels of :data:`SCENARIO`'s world at the cases' seed, by name (their ids are
    drawn: read here, not written)."""
    return {row["name"]: row for row in seeded_rows(SCENARIO, "slack.channels").values()}


def _channel_id(name: str) -> str:
    return str(_channels()[name]["id"])


def _archived() -> str:
    return next(name for name, row in sorted(_channels().items()) if row["is_archived"])


def _case(method: str, path: str, note: str, body: Any = None, **options: Any) -> Case:
    # Slack answers every call with HTTP 200, its failures included (``ok: false``).
    return Case(SCENARIO, method, path, body, note=note, status=200, **options)


_CHANNEL = "#{task.inputs.channel}"
_HISTORY = "/api/conversations.history?channel="
_REPLIES = "/api/conversations.replies?channel="


def _cases() -> list[Case]:
    general = _channel_id("general")
    return [
        _case("GET", "/api/auth.test", "who the bot token is"),
        _case("GET", "/api/users.list", "every member"),
        _case("GET", "/api/users.list?limit=3", "a first page of 3"),
        _case(
            "POST",
            "/api/chat.postMessage",
            "a reply in a thread",
            {"channel": _CHANNEL, "text": "Thread reply", "thread_ts": "{task.inputs.ts}"},
        ),
        # Documented errors: the note starts with the ``error`` code the case answers.
        _case("GET", "/api/auth.test", "not_authed: no token", auth=False),
        _case(
            "GET",
            "/api/auth.test",
            "invalid_auth: an unknown token",
            headers={"Authorization": "Bearer xoxb-0-not-a-token"},
            auth=False,
        ),
        _case("GET", "/api/users.list?cursor=bm9wZQ", "invalid_cursor: not ours"),
        _case("GET", "/api/conversations.list?types=im", "missing_scope: the bot holds no im:read"),
        _case(
            "GET",
            "/api/conversations.list?cursor=bm9wZQ",
            "invalid_cursor: a cursor conversations.list never issued",
        ),
        _case("GET", _HISTORY + "C0NOTACHAN1", "channel_not_found: no such id"),
        _case(
            "GET",
            _HISTORY + general + "&oldest=yesterday",
            "invalid_ts_oldest: not a timestamp",
        ),
        _case(
            "GET",
            _HISTORY + general + "&latest=now",
            "invalid_ts_latest: not a timestamp",
        ),
        _case(
            "GET",
            _REPLIES + "C0NOTACHAN1&ts={task.inputs.ts}",
            "channel_not_found: a thread of no channel",
        ),
        _case(
            "GET",
            _REPLIES + general + "&ts=1000000000.000001",
            "thread_not_found: no message at that ts",
        ),
        _case(
            "POST",
            "/api/chat.postMessage",
            "no_text: neither text, blocks nor attachments",
            {"channel": _CHANNEL},
        ),
        _case(
            "POST",
            "/api/chat.postMessage",
            "channel_not_found: no channel of that name",
            {"channel": "#no-such-channel", "text": "hello"},
        ),
        _case(
            "POST",
            "/api/chat.postMessage",
            "is_archived: an archived channel",
            {"channel": _archived(), "text": "hello"},
        ),
        _case(
            "POST",
            "/api/chat.postMessage",
            "msg_too_long: over 40,000 characters",
            {"channel": _CHANNEL, "text": "x" * 40_001},
        ),
    ]


CASES = Deferred(_cases)
"""Requests no scenario's solution sends: documented errors (their ``ok: false`` bodies
validated against each method's ``default`` response), operations no solution needs."""


_SDK_TYPES = (
    "the types slackapi/node-slack-sdk generates from recorded live responses "
    "(packages/web-api/src/types/response/"
)

ALLOWANCES: list[dict[str, Any]] = [
    {
        "operation": "POST /chat.postMessage",
        "match": r"^message: Additional properties are not allowed \('app_id' was unexpected\)$",
        "reason": "Slack's 2021 description predates app_id on messages an app posts; the live "
        "API sends it, as " + _SDK_TYPES + "ChatPostMessageResponse.ts: message.app_id) show",
    },
    {
        "operation": "GET /conversations.history",
        "match": r"^<body>: Additional properties are not allowed \('response_metadata' was",
        "reason": "Slack's pagination docs (api.slack.com/apis/pagination) say paginated "
        "responses include a top-level response_metadata with next_cursor, and "
        + _SDK_TYPES
        + "ConversationsHistoryResponse.ts) have it; the 2021 description omits it",
    },
    {
        "operation": "GET /conversations.history",
        "match": r"^messages/\d+: Additional properties are not allowed \('is_locked' was",
        "reason": "live thread parents carry is_locked (whether replies are locked), as "
        + _SDK_TYPES
        + "ConversationsHistoryResponse.ts: MessageElement.is_locked) show; the 2021 "
        "description's message object predates it",
    },
    {
        "operation": "GET /conversations.replies",
        "match": r"^messages/\d+: Additional properties are not allowed \('is_locked' was",
        "reason": "as for conversations.history: live thread parents carry is_locked ("
        + _SDK_TYPES
        + "ConversationsRepliesResponse.ts: MessageElement.is_locked)",
    },
    {
        "operation": "GET /conversations.list",
        "match": r"^channels/\d+: Additional properties are not allowed \('context_team_id', "
        r"'updated' were unexpected\)$",
        "reason": "live conversation objects carry context_team_id and updated (ms), as "
        + _SDK_TYPES
        + "ConversationsListResponse.ts: Channel) show; the 2021 description predates both",
    },
    {
        "operation": "GET /conversations.list",
        "match": r"^error: 'invalid_cursor' fails enum: ",
        "reason": "a cursor the method did not issue is invalid_cursor on Slack's cursor-paginated "
        "methods (the same description lists it for users.list; Slack's docs show it as the "
        "typical error of conversations.members, api.slack.com/methods/conversations.members); "
        "the 2021 description leaves it out of conversations.list's error enum",
    },
]
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
