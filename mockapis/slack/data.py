"""The seeded workspace: users, channels (public, private, archived) and their messages.

A few "busy" channels hold thousands of messages (their count varies with the seed; #general
always holds at least half of ``busy_messages``); the others hold a handful. Some messages
start threads; some quiet channels are private or archived (at least one of each).
Tables are lazy sources (:meth:`World.lazy`) drawn with
:class:`~mockapis.seeding.RowDraws`: users and channels are rendered when read, and messages
are built channel by channel (:class:`~mockapis.tables.Partitions`), when a channel is first
read. A channel's message count and time span are drawn with the channel into a columnar
index (:class:`Channels`), its thread layout with the messages index
(:mod:`mockapis.slack.messages`), so that a truth picks a channel, a window or a thread
without building thousands of messages. The members (ids and who is active) are drawn by
:func:`people`, which the users', the channels' and the messages' sources share: a truth
reading channels or layouts builds no user.
"""

from __future__ import annotations

import functools
import hashlib
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.slack import catalog
from mockapis.slack.access import TOKENS
from mockapis.slack.messages import DAY_US, END_GAP_US, Layout, build_channel, layouts, top_stamps
from mockapis.slack.schema import APP_ID, BOT_ID, CHANNELS, MESSAGES, TEAM_ID, USERS
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "Channel", "Channels", "People", "User", "people", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {
    "channels": 40,
    "users": 50,
    "busy_channels": 3,
    "busy_messages": 6000,
    "quiet_messages": 40,
}
"""``busy_messages`` is the most a busy channel holds (the least is a fifth of it, and
#general holds at least half of it); ``quiet_messages`` the most any other channel holds."""

_ID_CHARS = string.ascii_uppercase + string.digits
_ID_SPACE = len(_ID_CHARS) ** 9
_ALPHABET = np.array(list(_ID_CHARS), dtype="U1")
_POWERS = 36 ** np.arange(9, dtype=np.int64)
_ZONES = (
    ("America/New_York", "Eastern Standard Time", -18000),
    ("America/Los_Angeles", "Pacific Standard Time", -28800),
    ("Europe/London", "Greenwich Mean Time", 0),
    ("Europe/Berlin", "Central European Time", 3600),
)


class User(NamedTuple):
    """A member's index entry."""

    id: str
    deleted: bool
    is_bot: bool


class Channel(NamedTuple):
    """A channel's index entry: what truths and the messages need, without rendering it."""

    id: str
    name: str
    is_private: bool
    is_archived: bool
    is_general: bool
    top_level: int
    """How many top-level messages it holds (replies aside)."""
    span_us: int
    """How far back before ``end_us`` its messages go."""
    end_us: int
    """The latest its top-level messages are drawn at (a minute before the epoch)."""
    seed: int

    def stamps(self) -> npt.NDArray[np.int64]:
        """Its top-level messages' times in microseconds, oldest first (as in its layout)."""
        return top_stamps(self.seed, self.id, self.top_level, self.span_us, self.end_us)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a workspace of the given sizes; the bot token as credentials."""
    counts = resolve_sizes("slack", sizes, DEFAULT_SIZES)
    epoch_us = world.epoch_ns // 1000
    members = max(1, counts["users"])
    world.lazy(USERS, _users, world.seed, members)
    channels = world.lazy(
        CHANNELS,
        _channels,
        world.seed,
        epoch_us,
        max(1, counts["channels"]),
        counts["busy_channels"],
        counts["busy_messages"],
        counts["quiet_messages"],
        members,
    )
    world.lazy(MESSAGES, _messages, world.seed, epoch_us, deps=(channels,))
    return {"type": "bearer", "token": _token(world, _bot_id(world.seed))}


def _ids(prefix: str, d: seeding.RowDraws, col: int, seed_value: int, taken: set[str]) -> list[str]:
    """Slack-style ids (``prefix`` + ``0`` + 9 of A-Z0-9) from columns ``col`` and ``col + 1``
    of ``d``, unique in ``taken`` (a clash is drawn again from a stream)."""
    # 36**9 ids as 36**4 * 36**5: two columns, each within below()'s 32-bit range.
    numbers = np.array(d.below(col, 36**4), dtype=np.int64) * 36**5 + d.below(col + 1, 36**5)
    digits = numbers[:, None] // _POWERS % 36
    found = [prefix + "0" + chars for chars in _ALPHABET[digits].view("U9")[:, 0].tolist()]
    drawn = set(found)
    if len(drawn) == len(found) and taken.isdisjoint(drawn):
        taken |= drawn  # no clash (all but always): no walk through the ids
        return found
    retry = None
    for i, ident in enumerate(found):
        while ident in taken:
            retry = retry or seeding.stream(seed_value, "slack", prefix, "retry")
            ident = _id_of(prefix, retry.getrandbits(64))
        taken.add(ident)
        found[i] = ident
    return found


def _id_of(prefix: str, word: int) -> str:
    """The id of a 64-bit ``word``."""
    number = word * _ID_SPACE >> 64
    chars = []
    for _ in range(9):
        number, digit = divmod(number, 36)
        chars.append(_ID_CHARS[digit])
    return prefix + "0" + "".join(chars)


def _bot_id(seed_value: int) -> str:
    """The app's bot user (drawn apart from the humans: the token needs it before any table)."""
    return _id_of("U", derive_seed(seed_value, "slack", "bot-user"))


# -- users -----------------------------------------------------------------------------------


class People(NamedTuple):
    """The human members as drawn: what the users' rows render from, and who is active."""

    draws: seeding.RowDraws
    ids: list[str]
    deleted: list[bool]
    """Whether each was deactivated (never the first, the owner)."""

    @property
    def active(self) -> tuple[str, ...]:
        """The active members' ids, in seeded order (channel creators, message authors)."""
        return tuple(u for u, gone in zip(self.ids, self.deleted, strict=True) if not gone)


def people(seed_value: int, count: int) -> People:
    """The ``count`` human members of the workspace of ``seed_value`` (the bot apart)."""
    d = seeding.RowDraws(count, 8, seed_value, "slack", "users")
    ids = _ids("U", d, 0, seed_value, {_bot_id(seed_value)})
    deleted = [i > 0 and gone for i, gone in enumerate(d.chance(4, 0.05))]
    return People(d, ids, deleted)


def _users(seed_value: int, count: int) -> BuiltTables:
    """Human members (the first is the owner, a few deactivated) and the app's bot user."""
    d, ids, deleted = people(seed_value, count)
    bot = _bot_id(seed_value)
    firsts, lasts = d.pick(2, pool("first_name")), d.pick(3, pool("last_name"))
    zones, colors, updated = d.below(5, 4), d.below(6, 0x1000000), d.below(7, 60_000_000)
    rows: dict[str, Any] = {}
    index: dict[str, User] = {}
    for i, user_id in enumerate(ids):
        gone = deleted[i]
        name = f"{firsts[i]} {lasts[i]}"
        handle = f"{firsts[i]}.{lasts[i]}".lower().replace("'", "").replace(" ", "")
        rows[user_id] = LazyRow(
            _user, user_id, handle, name, i == 0, gone, zones[i], colors[i], updated[i]
        )
        index[user_id] = User(user_id, gone, False)
    draw = derive_seed(seed_value, "slack", "bot-profile")
    rows[bot] = LazyRow(_bot, bot, draw % 4, draw >> 8 & 0xFFFFFF, (draw >> 40) % 60_000_000)
    index[bot] = User(bot, False, True)
    return {USERS: rows, index_key(USERS): index}


def _user(
    user_id: str,
    handle: str,
    real_name: str,
    owner: bool,
    deleted: bool,
    zone: int,
    color: int,
    updated: int,
) -> Record:
    tz, label, offset = _ZONES[zone]
    display = real_name.split(" ")[0]
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": handle,
        "deleted": deleted,
        "color": f"{color:06x}",
        "real_name": real_name,
        "tz": tz,
        "tz_label": label,
        "tz_offset": offset,
        "profile": {
            "real_name": real_name,
            "display_name": display,
            "real_name_normalized": real_name,
            "display_name_normalized": display,
            "email": f"{handle}@apibench.io",
            "team": TEAM_ID,
            # Required in Slack's user profile object; empty as for a member who set none.
            "title": "",
            "phone": "",
            "skype": "",
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
            "fields": {},
            "avatar_hash": _avatar_hash(user_id),
        },
        "is_admin": owner,
        "is_owner": owner,
        "is_primary_owner": owner,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1_600_000_000 + updated,
    }


def _avatar_hash(user_id: str) -> str:
    """Slack's ``avatar_hash`` of a member without an uploaded picture (``g`` and 11 hex
    digits), derived from the id: no draw, so seeded worlds stay as they were."""
    return "g" + hashlib.sha1(user_id.encode()).hexdigest()[:11]


def _bot(user_id: str, zone: int, color: int, updated: int) -> Record:
    bot = _user(user_id, "apibench_bot", "APIBench Bot", False, False, zone, color, updated)
    return {**bot, "is_bot": True, "profile": {**bot["profile"], "bot_id": BOT_ID}}


def _token(world: World, bot_user: str) -> str:
    parts = [derive_seed(world.seed, "slack", "token", k) for k in (1, 2, 3)]
    secret = "".join(_ID_CHARS[(parts[2] >> (5 * k)) % 36] for k in range(12)).lower()
    token = f"xoxb-{parts[0] % 10**12:012d}-{parts[1] % 10**13:013d}-{secret}"
    world.table(TOKENS).put(
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


# -- channels --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Channels(Mapping[str, Channel]):
    """The channels' index: one column per fact, channel by channel in seeded order (channel 0
    is ``#general``), for truths to filter; as a mapping, each channel's :class:`Channel` by
    id (made on first use)."""

    ids: list[str]
    names: list[str]
    private: list[bool]
    archived: list[bool]
    top_level: list[int]
    spans: list[int]
    end_us: int
    seed: int
    users: int
    """How many human members the workspace has (see :func:`people`)."""

    @functools.cached_property
    def members(self) -> tuple[str, ...]:
        """The active members, whom creators and message authors are drawn from (drawn when
        a channel or a message is first rendered: the index does not need them)."""
        return people(self.seed, self.users).active

    @functools.cached_property
    def entries(self) -> dict[str, Channel]:
        """Every channel's :class:`Channel`, by id, in seeded order."""
        general = [i == 0 for i in range(len(self.ids))]
        facts = zip(
            self.ids, self.names, self.private, self.archived, general, self.top_level,
            self.spans, [self.end_us] * len(self.ids), [self.seed] * len(self.ids), strict=True,
        )  # fmt: skip
        return {entry.id: entry for entry in map(Channel._make, facts)}

    def __getitem__(self, channel_id: str) -> Channel:
        return self.entries[channel_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _channels(
    seed_value: int,
    epoch_us: int,
    total: int,
    busy_channels: int,
    busy_messages: int,
    quiet_messages: int,
    users: int,
) -> BuiltTables:
    """Channels, channel 0 being ``#general``; busy ones hold ``busy_messages // 5`` to
    ``busy_messages`` top-level messages (#general at least half of it), others up to
    ``quiet_messages``."""
    picker = seeding.stream(seed_value, "slack", "busy")
    busy_count = min(total, busy_channels)
    # #general is busy whatever busy_channels says (as Slack's default channel tends to be).
    busy = {0, *picker.sample(range(1, total), max(0, busy_count - 1))}
    d = seeding.RowDraws(total, 14, seed_value, "slack", "channels")
    ids = _ids("C", d, 0, seed_value, set())
    prefixes, topics = d.pick(2, catalog.PREFIXES), d.pick(3, catalog.TOPICS)
    low = max(1, busy_messages // 5)
    quiet_n = d.ints(5, 0, quiet_messages)
    busy_n = d.ints(6, low, max(low, busy_messages))
    # #general always fits a task needing a channel of more than half the busy maximum.
    general_n = d.ints(7, max(low, busy_messages // 2), max(low, busy_messages))
    quiet_days, busy_days = d.ints(8, 30, 700), d.ints(9, 120, 400)
    private, archived = d.chance(12, 0.15), d.chance(13, 0.10)
    counts = [quiet_n[i] if i not in busy else busy_n[i] for i in range(total)]
    counts[0] = general_n[0]
    spans = [(busy_days if i in busy else quiet_days)[i] * DAY_US for i in range(total)]
    private = [p and i not in busy for i, p in enumerate(private)]
    archived = [a and i not in busy for i, a in enumerate(archived)]
    # Every workspace with a quiet channel besides #general has a private and an archived one
    # (readers must handle both), even when the draws gave none.
    others = [i for i in range(1, total) if i not in busy]
    if others and not any(private[1:]):
        private[others[-1]] = True
    if others and not any(archived[1:]):
        archived[others[0]] = True
    private[0] = archived[0] = False
    names = _channel_names(prefixes, topics)
    end = epoch_us - END_GAP_US
    index = Channels(ids, names, private, archived, counts, spans, end, seed_value, users)
    # The rows only when the table is read: truths read the index.
    return {
        CHANNELS: Partitions.whole(_channel_rows, d, index, epoch_us),
        index_key(CHANNELS): index,
    }


def _channel_rows(
    d: seeding.RowDraws, index: Channels, epoch_us: int, _part: str
) -> dict[str, LazyRow]:
    """Each channel's row, from the columns only rendering needs (creator, age, members)."""
    members = index.members
    sizes = d.ints(4, 2, max(2, len(members)))
    sizes[0] = len(members)  # everyone is in #general
    columns = zip(
        index.entries.values(), d.pick(10, members), d.ints(11, 1, 30), sizes, strict=True
    )
    return {
        entry.id: LazyRow(_channel, entry, creator, epoch_us, lead_days, size)
        for entry, creator, lead_days, size in columns
    }


def _channel_names(prefixes: list[str], topics: list[str]) -> list[str]:
    """Channel names, distinct: the base channels', then a prefix and a topic each (a name
    taken already gets a number, ``-2`` on)."""
    base = list(catalog.BASE_CHANNELS[: len(prefixes)])
    drawn = [p + t for p, t in zip(prefixes[len(base) :], topics[len(base) :], strict=True)]
    taken: set[str] = set()
    names = []
    for raw in base + drawn:
        name, n = raw, 1
        while name in taken:
            n += 1
            name = f"{raw}-{n}"
        taken.add(name)
        names.append(name)
    return names


def _channel(entry: Channel, creator: str, epoch_us: int, lead_days: int, members: int) -> Record:
    created = (epoch_us - entry.span_us - lead_days * DAY_US) // 1_000_000
    blank = {"value": "", "creator": "", "last_set": 0}
    name = entry.name
    return {
        "id": entry.id,
        "name": name,
        "is_channel": True,
        "is_group": False,
        "is_im": False,
        "is_mpim": False,
        "is_private": entry.is_private,
        "created": created,
        "is_archived": entry.is_archived,
        "is_general": entry.is_general,
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


# -- messages --------------------------------------------------------------------------------


def _messages(seed_value: int, epoch_us: int, channels: BuiltTables) -> BuiltTables:
    """Every channel's layout (the index) and its messages, built channel by channel."""
    index = cast(Channels, channels[index_key(CHANNELS)])
    found: dict[str, Layout] = layouts(
        seed_value, epoch_us, zip(index.ids, index.top_level, index.spans, strict=True)
    )
    parts = Partitions(tuple(index.ids), _channel_messages, index, found)
    return {MESSAGES: parts, index_key(MESSAGES): found}


def _channel_messages(
    index: Channels, found: Mapping[str, Layout], channel_id: str
) -> dict[str, Record]:
    """The messages of ``channel_id`` (a partition), by the active members."""
    return build_channel(index.members, found, channel_id)
