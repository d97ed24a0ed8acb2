"""New messages as another member posting now would add them (for ``pagination_drift``).

A new message goes to the channel of a random existing message (so busy channels get most
of them, as in a real workspace), from a random active member, as a top-level message with
a ``ts`` of now: the newest of its channel, on top of ``conversations.history``.
"""

from __future__ import annotations

import random

from mockapis.slack.messages import message_text
from mockapis.slack.schema import MESSAGES, TEAM_ID, USERS, message_key, parse_ts, ts_of
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new top-level ``slack.messages`` row, posted now (else None for other tables)."""
    rows = world.table(table)
    users = world.table(USERS)
    members = sorted(k for k, u in users.items() if not u["deleted"] and not u["is_bot"])
    if table != MESSAGES or not rows or not members:
        return None
    channel_id = rng.choice(sorted(rows)).split("/", 1)[0]
    prefix = message_key(channel_id, "")
    stamps = [parse_ts(k[len(prefix) :], "invalid_ts") for k in rows.with_prefix(prefix)]
    # Slack's ts are unique per channel and grow with time: now, or just after the newest.
    at = max(world.clock.now_ns // 1000, max(stamps) + 1)
    message = {
        "type": "message",
        "user": rng.choice(members),
        "text": message_text(rng, len(stamps) + 1),
        "ts": ts_of(at),
        "team": TEAM_ID,
    }
    return message_key(channel_id, message["ts"]), message
