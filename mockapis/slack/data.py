"""The seeded workspace: users, channels (public, private, archived) and their messages.

A few "busy" channels hold thousands of messages (their count varies with the seed); the
others hold a handful. Some messages start threads. Texts are drawn from word lists with a
per-channel ``random.Random`` (cheap by the thousand); people's names come from Faker.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.slack import catalog
from mockapis.slack.access import TOKENS
from mockapis.slack.schema import (
    APP_ID,
    BOT_ID,
    CHANNELS,
    MESSAGES,
    TEAM_ID,
    USERS,
    message_key,
    ts_of,
)
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "message_text", "seed", "thread_parent"]

DEFAULT_SIZES: Mapping[str, int] = {
    "channels": 40,
    "users": 50,
    "busy_channels": 3,
    "busy_messages": 6000,
    "quiet_messages": 40,
}
"""``busy_messages`` is the most a busy channel holds (the least is a fifth of it);
``quiet_messages`` the most any other channel holds."""

DAY_US = 86_400 * 1_000_000
_ID_CHARS = string.ascii_uppercase + string.digits
THREAD_SHARE = 0.03
"""The share of messages in a channel that start a thread."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a workspace of the given sizes; the bot token as credentials."""
    counts = resolve_sizes("slack", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    bot_user = gen.users(counts["users"])
    token = gen.token(bot_user)
    gen.channels(counts)
    return {"type": "bearer", "token": token}


class _Generator:
    """One seeding run: the world, a reused Faker and the ids handed out so far."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch_us = world.epoch_ns // 1000
        self.humans: list[str] = []
        self._ids: set[str] = set()

    def rng(self, kind: str, i: int) -> random.Random:
        value = derive_seed(self.world.seed, "slack", kind, i)
        self.fake.seed_instance(value)
        return random.Random(value)

    def new_id(self, prefix: str, rng: random.Random) -> str:
        while True:
            found = prefix + "0" + "".join(rng.choices(_ID_CHARS, k=9))
            if found not in self._ids:
                self._ids.add(found)
                return found

    # -- users -------------------------------------------------------------------------------

    def users(self, count: int) -> str:
        """Human members (the first is the owner, a few deactivated) and the app's bot user."""
        table = self.world.table(USERS)
        for i in range(max(1, count)):
            rng = self.rng("user", i)
            first, last = self.fake.first_name(), self.fake.last_name()
            user_id = self.new_id("U", rng)
            handle = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            deleted = i > 0 and rng.random() < 0.05
            table.put(user_id, _user(user_id, handle, f"{first} {last}", i == 0, deleted, rng))
            if not deleted:
                self.humans.append(user_id)
        rng = self.rng("user", -1)
        bot_id = self.new_id("U", rng)
        bot = _user(bot_id, "apibench_bot", "APIBench Bot", False, False, rng)
        table.put(bot_id, {**bot, "is_bot": True, "profile": {**bot["profile"], "bot_id": BOT_ID}})
        return bot_id

    def token(self, bot_user: str) -> str:
        parts = [derive_seed(self.world.seed, "slack", "token", k) for k in (1, 2, 3)]
        secret = "".join(_ID_CHARS[(parts[2] >> (5 * k)) % 36] for k in range(12)).lower()
        token = f"xoxb-{parts[0] % 10**12:012d}-{parts[1] % 10**13:013d}-{secret}"
        self.world.table(TOKENS).put(
            token,
            {
                "token": token,
                "user_id": bot_user,
                "bot_id": BOT_ID,
                "app_id": APP_ID,
                "team_id": TEAM_ID,
                "scopes": "channels:read,channels:history,groups:read,groups:history,"
                "users:read,chat:write",
            },
        )
        return token

    # -- channels and messages ---------------------------------------------------------------

    def channels(self, counts: Mapping[str, int]) -> None:
        """Channels with their messages; channel 0 is ``#general``."""
        total = max(1, counts["channels"])
        picker = random.Random(derive_seed(self.world.seed, "slack", "busy"))
        busy_count = min(total, counts["busy_channels"])
        busy = {0, *picker.sample(range(1, total), max(0, busy_count - 1))}
        names: set[str] = set()
        for i in range(total):
            rng = self.rng("channel", i)
            name = self.channel_name(i, rng, names)
            quiet = i not in busy
            members = len(self.humans) if i == 0 else rng.randint(2, max(2, len(self.humans)))
            low = max(1, counts["busy_messages"] // 5)
            n = (
                rng.randint(0, counts["quiet_messages"])
                if quiet
                else rng.randint(low, max(low, counts["busy_messages"]))
            )
            span = rng.randint(30, 700) * DAY_US if quiet else rng.randint(120, 400) * DAY_US
            channel_id = self.new_id("C", rng)
            creator = rng.choice(self.humans)
            created_us = self.epoch_us - span - rng.randint(1, 30) * DAY_US
            self.world.table(CHANNELS).put(
                channel_id,
                _channel(
                    channel_id,
                    name,
                    creator,
                    created_us // 1_000_000,
                    is_general=i == 0,
                    private=quiet and i > 0 and rng.random() < 0.15,
                    archived=quiet and i > 0 and rng.random() < 0.10,
                    members=members,
                ),
            )
            self.messages(channel_id, n, span, rng)

    def channel_name(self, i: int, rng: random.Random, taken: set[str]) -> str:
        if i < len(catalog.BASE_CHANNELS):
            name = catalog.BASE_CHANNELS[i]
        else:
            name = rng.choice(catalog.PREFIXES) + rng.choice(catalog.TOPICS)
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        return name

    def messages(self, channel_id: str, n: int, span_us: int, rng: random.Random) -> None:
        """``n`` top-level messages over the ``span_us`` before the epoch, some with threads."""
        table = self.world.table(MESSAGES)
        end = self.epoch_us - 60_000_000
        used: set[int] = set()
        stamps = sorted(end - rng.randrange(span_us) for _ in range(n))
        for number, stamp in enumerate(stamps, start=1):
            at = _free(stamp, used)
            user = rng.choice(self.humans)
            message = _message(user, message_text(rng, number), ts_of(at))
            if rng.random() < THREAD_SHARE:
                replies = []
                for k in range(rng.randint(1, 25)):
                    gap = max(1, min(3 * DAY_US, end - at))
                    when = _free(at + 1 + rng.randrange(gap), used)
                    replier = rng.choice(self.humans)
                    reply = {
                        **_message(replier, message_text(rng, k + 1), ts_of(when)),
                        "thread_ts": message["ts"],
                        "parent_user_id": user,
                    }
                    replies.append(reply)
                    table.put(message_key(channel_id, reply["ts"]), reply)
                message = thread_parent(message, replies)
            table.put(message_key(channel_id, message["ts"]), message)


def thread_parent(parent: Record, replies: list[Record]) -> Record:
    """``parent`` with the thread fields Slack adds once it has ``replies`` (any order)."""
    if not replies:
        return parent
    users = list(dict.fromkeys(r["user"] for r in sorted(replies, key=lambda r: r["ts"])))
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


def _free(at: int, used: set[int]) -> int:
    while at in used:
        at += 1
    used.add(at)
    return at


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


def _user(
    user_id: str, handle: str, real_name: str, owner: bool, deleted: bool, rng: random.Random
) -> Record:
    zone = rng.choice(
        [("America/New_York", "Eastern Standard Time", -18000),
         ("America/Los_Angeles", "Pacific Standard Time", -28800),
         ("Europe/London", "Greenwich Mean Time", 0),
         ("Europe/Berlin", "Central European Time", 3600)]
    )  # fmt: skip
    display = real_name.split(" ")[0]
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": handle,
        "deleted": deleted,
        "color": f"{rng.randrange(0x1000000):06x}",
        "real_name": real_name,
        "tz": zone[0],
        "tz_label": zone[1],
        "tz_offset": zone[2],
        "profile": {
            "real_name": real_name,
            "display_name": display,
            "real_name_normalized": real_name,
            "display_name_normalized": display,
            "email": f"{handle}@apibench.io",
            "team": TEAM_ID,
        },
        "is_admin": owner,
        "is_owner": owner,
        "is_primary_owner": owner,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1_600_000_000 + rng.randrange(60_000_000),
    }


def _channel(
    channel_id: str,
    name: str,
    creator: str,
    created: int,
    *,
    is_general: bool,
    private: bool,
    archived: bool,
    members: int,
) -> dict[str, Any]:
    blank = {"value": "", "creator": "", "last_set": 0}
    return {
        "id": channel_id,
        "name": name,
        "is_channel": True,
        "is_group": False,
        "is_im": False,
        "is_mpim": False,
        "is_private": private,
        "created": created,
        "is_archived": archived,
        "is_general": is_general,
        "unlinked": 0,
        "name_normalized": name,
        "is_shared": False,
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": TEAM_ID,
        "updated": created * 1000,
        "parent_conversation": None,
        "creator": creator,
        "is_ext_shared": False,
        "shared_team_ids": [TEAM_ID],
        "pending_connected_team_ids": [],
        "is_member": True,
        "topic": blank,
        "purpose": {**blank, "value": f"Discussion of {name.replace('-', ' ')}"},
        "previous_names": [],
        "num_members": members,
    }
