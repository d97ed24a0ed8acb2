"""Meetings of the level-1/2 suite (database ``Meeting``): AddMeeting, QueryMeeting,
ModifyMeeting, DeleteMeeting. Rows are ``{username, meeting_topic, start_time, end_time,
location, attendees}``; a meeting is the token's user's row with the same topic or the same
start time. New ids: ``max(int(key)) + 1`` as text.

Check deviation: upstream's DeleteMeeting check reads ``input['time']``, which DeleteMeeting
does not have, so a correct successful call crashed the check and was scored incorrect (3 gold
calls). Here two successful deletions compare ``start_time`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.apis.common import parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import jaccard_over_half, same_call, same_when_both_succeeded

__all__ = ["AddMeeting", "DeleteMeeting", "ModifyMeeting", "QueryMeeting"]


def _find(db: Db, username: str, topic: Any, start: Any) -> str | int | None:
    for key, row in db.table("Meeting").items():
        if row.get("username") == username and (
            row.get("meeting_topic") == topic or row.get("start_time") == start
        ):
            return key
    return None


def _existing(db: Db, args: Mapping[str, Any]) -> str | int:
    """Upstream's prelude (times, topic or start, token) and the key of the token's user's
    meeting with that topic or start time, else not found."""
    if args["start_time"]:
        parse_time(args["start_time"])
    if args["end_time"]:
        parse_time(args["end_time"])
    if args["meeting_topic"].strip() == "" and not args["start_time"]:
        raise ApiBankError("Meeting Topic and start_time should not be null both")
    username = db.check_token(args["token"])
    key = _find(db, username, args["meeting_topic"], args["start_time"])
    if key is not None:
        return key
    if args["meeting_topic"]:
        raise ApiBankError(f"You have no meeting about {args['meeting_topic']}")
    raise ApiBankError(f"You have no meeting at time : {args['start_time']}")


class _MeetingApi(Api):
    database = "Meeting"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: topics overlap by more than half; the other inputs, output and
        exception equal."""
        return same_call(response, gold, compare={"meeting_topic": jaccard_over_half}, rest=True)


@register
class AddMeeting(_MeetingApi):
    """Books a meeting."""

    name = "AddMeeting"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["start_time"])
        parse_time(args["end_time"])
        if args["meeting_topic"].strip() == "":
            raise ApiBankError("Meeting Topic should not be null")
        meetings = db.table("Meeting")
        keys = meetings.keys()
        new_id = max(int(k) for k in keys) + 1 if keys else 0
        username = db.check_token(args["token"])
        meetings.put(
            str(new_id),
            {
                "username": username,
                "meeting_topic": args["meeting_topic"],
                "start_time": args["start_time"],
                "end_time": args["end_time"],
                "location": args["location"],
                "attendees": args["attendees"],
            },
        )
        return "success"


@register
class QueryMeeting(_MeetingApi):
    """The user's meeting with that topic or start time."""

    name = "QueryMeeting"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return db.table("Meeting")[_existing(db, args)]


@register
class ModifyMeeting(_MeetingApi):
    """Sets the topic (when given) and start/end times (when a start is given)."""

    name = "ModifyMeeting"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        key = _existing(db, args)
        meetings = db.table("Meeting")
        row = dict(meetings[key])
        if args["meeting_topic"]:
            row["meeting_topic"] = args["meeting_topic"]
        if args["start_time"]:
            row["start_time"] = args["start_time"]
            row["end_time"] = args["end_time"]
        meetings.put(key, row)
        return "success"


@register
class DeleteMeeting(_MeetingApi):
    """Deletes the user's meeting with that topic or start time."""

    name = "DeleteMeeting"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Both succeeded: same start time (upstream read a missing ``time``: see the module
        docstring); else output and exception equal."""
        return same_when_both_succeeded(response, gold, "start_time")

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        db.table("Meeting").delete(_existing(db, args))
        return "success"
