"""Ground truth of the Slack scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]
DAY = 86_400
BUSY = 1200
"""A channel with at least this many top-level messages needs several history pages."""


def channels(world: World) -> list[Record]:
    """Every channel, in id order (a stable order for choosing with the RNG)."""
    table = world.table("slack.channels")
    return [table[k] for k in sorted(table)]


def top_level(world: World, channel_id: str) -> list[Record]:
    """A channel's messages as ``conversations.history`` lists them: no replies, newest first."""
    table = world.table("slack.messages")
    keys = sorted((k for k in table if k.startswith(channel_id + "/")), reverse=True)
    found = [table[k] for k in keys]
    return [m for m in found if m.get("thread_ts", m["ts"]) == m["ts"]]


def busy_channel(world: World, rng: random.Random) -> tuple[Record, list[Record]]:
    """A channel with thousands of messages and those messages (newest first)."""
    busy = [(c, top_level(world, c["id"])) for c in channels(world)]
    return rng.choice([(c, msgs) for c, msgs in busy if len(msgs) >= BUSY])


def _seconds(ts: str) -> float:
    return float(ts)


def recent_messages(world: World, rng: random.Random) -> Truth:
    """The N most recent messages of a busy channel, N past the largest page (999)."""
    channel, messages = busy_channel(world, rng)
    n = rng.randint(1001, min(len(messages) - 1, 3000))
    return {
        "inputs": {"channel": channel["name"], "n": n},
        "expected": {"ts": [m["ts"] for m in messages[:n]]},
    }


def messages_since(world: World, rng: random.Random) -> Truth:
    """Messages of a busy channel in its last K days, more than one full page of them."""
    channel, messages = busy_channel(world, rng)
    now = world.epoch_ns // 10**9
    stamps = sorted(_seconds(m["ts"]) for m in messages)
    candidates = []
    for days in range(1, 800):
        count = len(stamps) - bisect.bisect_right(stamps, now - days * DAY)
        if count > 1000:
            candidates.append(days)
        if count == len(stamps):
            break
    days = rng.choice(candidates)
    oldest = now - days * DAY
    moment = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return {
        "inputs": {"channel": channel["name"], "days": days, "now": moment, "oldest": oldest},
        "expected": {"ts": sorted(m["ts"] for m in messages if _seconds(m["ts"]) > oldest)},
    }


def last_twenty(world: World, rng: random.Random) -> Truth:
    """The texts of a channel's 20 most recent messages."""
    usable = [c for c in channels(world) if len(top_level(world, c["id"])) >= 25]
    channel = rng.choice(usable)
    messages = top_level(world, channel["id"])[:20]
    return {
        "inputs": {"channel": channel["name"]},
        "expected": {"texts": [m["text"] for m in messages]},
    }


def channels_without_prefix(world: World, rng: random.Random) -> Truth:
    """Public channels (archived too) whose names do not start with a prefix."""
    public = [c for c in channels(world) if not c["is_private"]]
    prefixes = sorted({c["name"].split("-", 1)[0] + "-" for c in public if "-" in c["name"]})
    counted = [(p, sum(c["name"].startswith(p) for c in public)) for p in prefixes]
    prefix = rng.choice([p for p, count in counted if count >= 5] or prefixes)
    names = sorted(c["name"] for c in public if not c["name"].startswith(prefix))
    return {"inputs": {"prefix": prefix}, "expected": {"names": names}}


def post_message(world: World, rng: random.Random) -> Truth:
    """A message to post in an open channel (not #general)."""
    open_channels = [c for c in channels(world) if not c["is_archived"] and not c["is_general"]]
    channel = rng.choice(open_channels)
    hour = rng.randint(9, 17)
    code = f"CHG-{rng.randint(1000, 9999)}"
    text = f"Deploy window moves to {hour}:00 UTC today ({code}). Please hold merges until then."
    return {
        "inputs": {"channel": channel["name"], "text": text},
        "expected": {"channel_id": channel["id"], "text": text},
    }


def thread_replies(world: World, rng: random.Random) -> Truth:
    """The replies of a thread with several of them, oldest first."""
    table = world.table("slack.messages")
    parents = sorted((k for k, m in table.items() if m.get("reply_count", 0) >= 3), key=lambda k: k)
    key = rng.choice(parents)
    channel_id, ts = key.split("/", 1)
    replies = sorted(
        (m for k, m in table.items() if k.startswith(channel_id + "/")
         and m.get("thread_ts") == ts and m["ts"] != ts),
        key=lambda m: m["ts"],
    )  # fmt: skip
    channel = world.table("slack.channels")[channel_id]
    return {
        "inputs": {"channel": channel["name"], "ts": ts},
        "expected": {"texts": [m["text"] for m in replies]},
    }


def all_messages_budget(world: World, rng: random.Random) -> Truth:
    """Every top-level message of a busy channel holding 1,000 to 2,997 of them: three pages
    of the largest history page (999) at most, six or more of Slack's recommended 200."""
    fitting = [
        (c, msgs) for c in channels(world) if 1000 < len(msgs := top_level(world, c["id"])) <= 2997
    ]
    channel, messages = rng.choice(fitting)
    return {
        "inputs": {"channel": channel["name"]},
        "expected": {"ts": [m["ts"] for m in messages], "count": len(messages)},
    }
