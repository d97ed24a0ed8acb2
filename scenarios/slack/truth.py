"""Ground truth of the Slack scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
Inputs come from the indexes (:meth:`World.index`): channels with their message counts and
times (:meth:`~mockapis.slack.data.Channel.stamps`, one vectorised draw), and each channel's
thread layout, so that a reset builds no message. Expected message lists are deferred: read
from the channel's messages at grading (:data:`gym_apibench.episode.ExpectedFn`), when the
agent has usually built them.
tests/mockapis/slack/test_slack_data.py checks that the indexes agree with the messages.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from collections.abc import Mapping
from typing import Any, cast

import numpy as np

from mockapis.slack.data import Channel, Channels
from mockapis.slack.messages import Layout
from mockapis.slack.schema import message_key, ts_of
from mockapis.tables import Record
from mockapis.world import World

Truth = dict[str, Any]
DAY = 86_400
BUSY = 1200
"""A channel with at least this many top-level messages needs several history pages."""


def channels(world: World) -> list[Channel]:
    """Every channel's index entry, in id order (a stable order for choosing with the RNG)."""
    index: Mapping[str, Channel] = world.index("slack.channels")
    return [index[k] for k in sorted(index)]


def layouts(world: World) -> Mapping[str, Layout]:
    """Each channel's message layout, by channel id."""
    index: Mapping[str, Layout] = world.index("slack.messages")
    return index


def top_level(world: World, channel_id: str) -> list[Record]:
    """A channel's messages as ``conversations.history`` lists them: no replies, newest first."""
    table = world.table("slack.messages")
    keys = sorted(table.with_prefix(message_key(channel_id, "")), reverse=True)
    found = [table[k] for k in keys]
    return [m for m in found if m.get("thread_ts", m["ts"]) == m["ts"]]


def busy_channel(world: World, rng: random.Random) -> Channel:
    """A channel with thousands of top-level messages."""
    return rng.choice([c for c in channels(world) if c.top_level >= BUSY])


def _newest(world: World, channel_id: str, n: int, field: str, key: str) -> dict[str, Any]:
    """``{key: [field of each of the channel's n newest top-level messages]}``."""
    return {key: [m[field] for m in top_level(world, channel_id)[:n]]}


def recent_messages(world: World, rng: random.Random) -> Truth:
    """The N most recent messages of a busy channel, N past the largest page (999)."""
    channel = busy_channel(world, rng)
    n = rng.randint(1001, min(channel.top_level - 1, 3000))
    return {
        "inputs": {"channel": channel.name, "n": n},
        "expected": functools.partial(_newest, channel_id=channel.id, n=n, field="ts", key="ts"),
    }


def _since(world: World, channel_id: str, oldest: int) -> dict[str, Any]:
    messages = top_level(world, channel_id)
    return {"ts": sorted(m["ts"] for m in messages if float(m["ts"]) > oldest)}


def messages_since(world: World, rng: random.Random) -> Truth:
    """Messages of a busy channel in its last K days, more than one full page of them."""
    channel = busy_channel(world, rng)
    now = world.epoch_ns // 10**9
    stamps = channel.stamps()
    windows = np.arange(1, 800)
    # Messages strictly after each cut, as ``oldest`` (exclusive) selects them.
    counts = len(stamps) - np.searchsorted(stamps, (now - windows * DAY) * 1_000_000, "right")
    # Windows up to the first that holds every message (longer ones add nothing).
    whole = np.flatnonzero(counts == len(stamps))
    last = int(whole[0]) + 1 if len(whole) else len(windows)
    days: int = rng.choice(windows[:last][counts[:last] > 1000].tolist())
    oldest = now - days * DAY
    moment = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return {
        "inputs": {"channel": channel.name, "days": days, "now": moment, "oldest": oldest},
        "expected": functools.partial(_since, channel_id=channel.id, oldest=oldest),
    }


def last_twenty(world: World, rng: random.Random) -> Truth:
    """The texts of a channel's 20 most recent messages."""
    channel = rng.choice([c for c in channels(world) if c.top_level >= 25])
    return {
        "inputs": {"channel": channel.name},
        "expected": functools.partial(
            _newest, channel_id=channel.id, n=20, field="text", key="texts"
        ),
    }


def channels_without_prefix(world: World, rng: random.Random) -> Truth:
    """Public channels (archived too) whose names do not start with a prefix."""
    index = cast(Channels, world.index("slack.channels"))
    public = [name for name, private in zip(index.names, index.private, strict=True) if not private]
    # A name starts with "<p>-" exactly when its part before the first "-" is <p>.
    counted = Counter(name.split("-", 1)[0] + "-" for name in public if "-" in name)
    prefixes = sorted(counted)
    prefix = rng.choice([p for p in prefixes if counted[p] >= 5] or prefixes)
    names = sorted(name for name in public if not name.startswith(prefix))
    return {"inputs": {"prefix": prefix}, "expected": {"names": names}}


def post_message(world: World, rng: random.Random) -> Truth:
    """A message to post in an open channel (not #general)."""
    open_channels = [c for c in channels(world) if not c.is_archived and not c.is_general]
    channel = rng.choice(open_channels)
    hour = rng.randint(9, 17)
    code = f"CHG-{rng.randint(1000, 9999)}"
    text = f"Deploy window moves to {hour}:00 UTC today ({code}). Please hold merges until then."
    return {
        "inputs": {"channel": channel.name, "text": text},
        "expected": {"channel_id": channel.id, "text": text},
    }


def _replies(world: World, channel_id: str, ts: str) -> dict[str, Any]:
    table = world.table("slack.messages")
    thread = [table[k] for k in sorted(table.with_prefix(message_key(channel_id, "")))]
    return {"texts": [m["text"] for m in thread if m.get("thread_ts") == ts and m["ts"] != ts]}


def thread_replies(world: World, rng: random.Random) -> Truth:
    """The replies of a thread with several of them, oldest first."""
    found = layouts(world)
    # In key order ("<channel>/<ts>"): by channel id, then oldest first.
    parents = [
        (channel_id, position)
        for channel_id in sorted(found)
        for position, replies in found[channel_id].threads
        if replies >= 3
    ]
    channel_id, position = rng.choice(parents)
    ts = ts_of(int(found[channel_id].stamps()[position]))
    channel: Channel = world.index("slack.channels")[channel_id]
    return {
        "inputs": {"channel": channel.name, "ts": ts},
        "expected": functools.partial(_replies, channel_id=channel_id, ts=ts),
    }


def _every(world: World, channel_id: str) -> dict[str, Any]:
    ts = [m["ts"] for m in top_level(world, channel_id)]
    return {"ts": ts, "count": len(ts)}


def all_messages_budget(world: World, rng: random.Random) -> Truth:
    """Every top-level message of a busy channel holding 1,000 to 2,997 of them: three pages
    of the largest history page (999) at most, six or more of Slack's recommended 200.
    #general always fits in the scenario's world (it holds at least half of 2,997)."""
    channel = rng.choice([c for c in channels(world) if 1000 < c.top_level <= 2997])
    return {
        "inputs": {"channel": channel.name},
        "expected": functools.partial(_every, channel_id=channel.id),
    }
