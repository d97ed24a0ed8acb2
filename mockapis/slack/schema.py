"""The workspace's fixed identity, table names, and helpers on Slack timestamps and keys."""

from __future__ import annotations

from mockapis.kit.errors import ApiError
from mockapis.slack.errors import slack_error

__all__ = [
    "APP_ID",
    "BOT_ID",
    "CHANNELS",
    "MESSAGES",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "TEAM_NAME",
    "USERS",
    "message_key",
    "parse_ts",
    "ts_of",
]

TEAM_ID = "T05APIBNCH"
TEAM_NAME = "APIBench"
TEAM_DOMAIN = "apibench"
BOT_ID = "B05APIBOT1"
APP_ID = "A05APIAPP1"

CHANNELS = "slack.channels"
USERS = "slack.users"
MESSAGES = "slack.messages"
"""``"<channel id>/<ts>"`` -> the message exactly as ``conversations.history`` returns it."""


def message_key(channel_id: str, ts: str) -> str:
    """The key of a message in :data:`MESSAGES`."""
    return f"{channel_id}/{ts}"


def ts_of(micros: int) -> str:
    """A Slack ``ts`` (``"seconds.micros"``) from microseconds since the Unix epoch."""
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def parse_ts(raw: str, error: str) -> int:
    """Microseconds of a timestamp argument (``"1700000000"``, ``"1700000000.000100"``);
    anything else is the Slack error ``error`` (``invalid_ts_oldest``, ...)."""
    seconds, _, fraction = raw.strip().partition(".")
    if not seconds.isdigit() or len(seconds) > 12 or not (fraction.isdigit() or fraction == ""):
        raise _bad(error)
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6] or 0)


def _bad(error: str) -> ApiError:
    return slack_error(error)
