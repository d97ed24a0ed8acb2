"""The seeded messages of a channel: their layout, drawn for every channel at once, and their
rows, built when the channel is first read.

A channel's layout is what a truth needs without its rows: how many top-level messages it
holds, when (:meth:`Layout.stamps`, one vectorised draw) and which of them start threads of
how many replies. Its rows follow from the layout and the channel's own draws (authors, texts,
the replies' times), so that a channel is the same whichever channels were built before it.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.slack import catalog
from mockapis.slack.schema import TEAM_ID, message_key, ts_of
from mockapis.tables import Record

__all__ = [
    "DAY_US",
    "END_GAP_US",
    "THREAD_SHARE",
    "Layout",
    "build_channel",
    "layouts",
    "message_text",
    "thread_parent",
    "top_stamps",
]

DAY_US = 86_400 * 1_000_000
END_GAP_US = 60_000_000
"""The newest seeded message is this long before the epoch."""
THREAD_SHARE = 0.03
"""The share of top-level messages that start a thread."""
MAX_REPLIES = 25
REPLY_WINDOW_US = 3 * DAY_US
"""Replies come within three days of their thread's start (and before the epoch)."""
_LOG_NO_THREAD = math.log(1.0 - THREAD_SHARE)


class Layout(NamedTuple):
    """A channel's messages without their rows: the messages index entry of the channel."""

    channel_id: str
    seed: int
    top_level: int
    span_us: int
    end_us: int
    """The latest a top-level message is drawn at (one minute before the epoch)."""
    threads: tuple[tuple[int, int], ...]
    """``(position, replies)`` of each thread: the position of its parent among the
    channel's top-level messages, oldest first, and how many replies it has."""

    def stamps(self) -> npt.NDArray[np.int64]:
        """The top-level messages' times in microseconds, oldest first (all distinct)."""
        return top_stamps(self.seed, self.channel_id, self.top_level, self.span_us, self.end_us)

    @property
    def replies(self) -> int:
        """How many replies the channel holds."""
        return sum(count for _, count in self.threads)


def layouts(
    seed_value: int, epoch_us: int, channels: Iterable[tuple[str, int, int]]
) -> dict[str, Layout]:
    """The layout of each ``(channel id, top-level count, span)``, in one vectorised draw.

    Thread parents are the successes of a Bernoulli(:data:`THREAD_SHARE`) draw per top-level
    message, drawn as the geometric gaps between them (the same distribution, one draw per
    thread instead of one per message): the channels take gaps in turn from one column, each
    ending with the gap that overshoots its last message.
    """
    end = epoch_us - END_GAP_US
    channels = list(channels)
    # Enough gaps for every channel but with a vanishing chance; more blocks if ever short.
    size = sum(n for _, n, _ in channels) // 10 + 2 * len(channels) + 64
    cum, replies = _gaps(seed_value, size, 0, 0)
    found = {}
    cursor, base, block = 0, 0, 0
    for channel_id, n, span in channels:
        stop = bisect.bisect_right(cum, base + n)
        while stop >= len(cum):  # the channel ran past the gaps drawn: draw another block
            block += 1
            more, more_replies = _gaps(seed_value, size, block, cum[-1])
            cum, replies = cum + more, replies + more_replies
            stop = bisect.bisect_right(cum, base + n)
        positions = [c - base - 1 for c in cum[cursor:stop]]
        threads = tuple(zip(positions, replies[cursor:stop], strict=True))
        found[channel_id] = Layout(channel_id, seed_value, n, span, end, threads)
        base, cursor = cum[stop], stop + 1
    return found


def _gaps(seed_value: int, size: int, block: int, start: int) -> tuple[list[int], list[int]]:
    """``size`` geometric gaps between thread parents (1 or more) as running totals from
    ``start``, and a reply count each."""
    d = seeding.RowDraws(size, 2, seed_value, "slack", "threads", block)
    gaps = (np.log1p(-d.floats_array(0)) / _LOG_NO_THREAD).astype(np.int64) + 1
    return (start + np.cumsum(gaps)).tolist(), d.ints(1, 1, MAX_REPLIES)


def top_stamps(
    seed_value: int, channel_id: str, n: int, span_us: int, end_us: int
) -> npt.NDArray[np.int64]:
    """The times of a channel's ``n`` top-level messages in microseconds, oldest first: drawn
    evenly over the ``span_us`` up to ``end_us``, all distinct (one vectorised draw)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    d = seeding.RowDraws(n, 1, seed_value, "slack", "stamps", channel_id)
    back = (d.floats_array(0) * span_us).astype(np.int64)
    stamps = np.sort(end_us - back)
    # Distinct and increasing: a stamp equal to an earlier one moves up a microsecond (as a
    # Slack ts is unique in its channel).
    steps = np.arange(n, dtype=np.int64)
    return np.maximum.accumulate(stamps - steps) + steps


def build_channel(
    humans: Sequence[str], found: Mapping[str, Layout], channel_id: str
) -> dict[str, Record]:
    """The messages of ``channel_id`` as :data:`~mockapis.slack.schema.MESSAGES` holds them
    (replies too), oldest first: a partition of the messages table."""
    layout = found[channel_id]
    stamps: list[int] = layout.stamps().tolist()
    n = len(stamps)
    if n == 0:
        return {}
    d = seeding.RowDraws(n, 5, layout.seed, "slack", "messages", channel_id)
    authors = d.pick(4, humans)
    texts = _texts(d, range(1, n + 1))
    top = [_message(authors[i], texts[i], ts_of(stamps[i])) for i in range(n)]
    replies: list[Record] = []
    if layout.threads:
        r = seeding.RowDraws(layout.replies, 6, layout.seed, "slack", "replies", channel_id)
        numbers = [k for _, count in layout.threads for k in range(1, count + 1)]
        reply_texts = _texts(r, numbers)
        repliers, offsets = r.pick(4, humans), r.floats(5)
        used = set(stamps)
        j = 0
        for position, count in layout.threads:
            parent = top[position]
            at = stamps[position]
            gap = max(1, min(REPLY_WINDOW_US, layout.end_us - at))
            thread = []
            for _ in range(count):
                when = at + 1 + int(offsets[j] * gap)
                while when in used:
                    when += 1
                used.add(when)
                reply = _message(repliers[j], reply_texts[j], ts_of(when))
                reply["thread_ts"] = parent["ts"]
                reply["parent_user_id"] = parent["user"]
                thread.append(reply)
                j += 1
            top[position] = thread_parent(parent, thread)
            replies += thread
        top += replies
        top.sort(key=_ts)
    return {message_key(channel_id, m["ts"]): m for m in top}


def _ts(message: Record) -> str:
    return message["ts"]  # type: ignore[no-any-return]


def _texts(d: seeding.RowDraws, numbers: Iterable[int]) -> list[str]:
    """``OPENING SUBJECT VERB (#n)CLOSING`` per row, from columns 0-3 of ``d``."""
    return [
        f"{o} {s} {v} (#{n}){c}"
        for o, s, v, c, n in zip(
            d.pick(0, catalog.OPENINGS),
            d.pick(1, catalog.SUBJECTS),
            d.pick(2, catalog.VERBS),
            d.pick(3, catalog.CLOSINGS),
            numbers,
            strict=True,
        )
    ]


def message_text(rng: random.Random, number: int) -> str:
    """A message's text, drawn from the word lists; ``number`` counts the channel's messages."""
    opening, subject, verb = (
        rng.choice(catalog.OPENINGS),
        rng.choice(catalog.SUBJECTS),
        rng.choice(catalog.VERBS),
    )
    return f"{opening} {subject} {verb} (#{number}){rng.choice(catalog.CLOSINGS)}"


def _message(user: str, text: str, ts: str) -> Record:
    return {"type": "message", "user": user, "text": text, "ts": ts, "team": TEAM_ID}


def thread_parent(parent: Record, replies: list[Record]) -> Record:
    """``parent`` with the thread fields Slack adds once it has ``replies`` (any order)."""
    if not replies:
        return parent
    users = list(dict.fromkeys(r["user"] for r in sorted(replies, key=_ts)))
    return {
        **parent,
        "thread_ts": parent["ts"],
        "reply_count": len(replies),
        "reply_users_count": len(users),
        "latest_reply": max(r["ts"] for r in replies),
        "reply_users": users[:5],
        "is_locked": False,
        "subscribed": False,
    }
