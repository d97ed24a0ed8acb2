"""Custom checks of the Slack scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def message_posted(ctx: CheckContext) -> Result:
    """Exactly one new message, in the expected channel, by the bot, with the exact text."""
    diff = ctx.diff.get("slack.messages")
    added = dict(diff.added) if diff else {}
    if len(added) != 1:
        return False, f"{len(added)} messages were posted, expected 1"
    key, message = next(iter(added.items()))
    channel_id = key.split("/", 1)[0]
    if channel_id != ctx.expected["channel_id"]:
        return False, f"posted in channel {channel_id}, expected {ctx.expected['channel_id']}"
    if message.get("text") != ctx.expected["text"]:
        return False, f"text {message.get('text')!r} differs from the requested one"
    if "thread_ts" in message:
        return False, "posted as a thread reply, expected a top-level message"
    return True, "posted"
