"""Level-3 meetings: QueryMeeting (a user's calendar), AddMeeting and EmailReminder.

These two names also exist at levels 1/2 (``mockapis.apibank.apis.meeting``) with other
inputs (a ``token``) and the ``Meeting`` init database; the suites are told apart by the
episode's level (:func:`mockapis.apibank.base.level_of`), which picks the registry.

Upstream keeps each level-3 API's data in its own instance, so a meeting added here is not in
QueryMeeting's calendar (QueryMeeting's is fixed); AddMeeting's meetings are the episode
table ``apibank.Lv3Meeting`` (keys ``"0"``, ``"1"``... as the level-1/2 AddMeeting numbers
them), so that checks can see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import ApiBankError, Db, register
from mockapis.apibank.checks import jaccard_over_half, same_call
from mockapis.apibank.lv3.support import LookupApi, Lv3Api, parse_time, text_of

__all__ = ["MEETINGS_DATABASE", "AddMeeting", "EmailReminder", "QueryMeeting"]

MEETINGS_DATABASE = "Lv3Meeting"
"""Where level-3 AddMeeting stores meetings (table ``apibank.Lv3Meeting``)."""

TIME_PATTERN = "%Y-%m-%d %H:%M:%S"


@register
class QueryMeeting(LookupApi):
    """The meetings in a user's calendar (a fixed calendar; unknown users: ``KeyError``)."""

    name = "QueryMeeting"
    key = ("user_name",)


@register
class AddMeeting(Lv3Api):
    """Book a meeting (no token at level 3): both times must match ``%Y-%m-%d %H:%M:%S`` and
    the topic must not be blank."""

    name = "AddMeeting"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """Store the meeting; ``"success"``."""
        parse_time(args["start_time"], TIME_PATTERN)
        parse_time(args["end_time"], TIME_PATTERN)
        if text_of(args["meeting_topic"], "strip").strip() == "":
            raise ApiBankError("Meeting Topic should not be null")
        table = db.table(MEETINGS_DATABASE)
        ids = [int(k) for k in table if str(k).isdigit()]
        table.put(str(max(ids) + 1 if ids else 0), dict(args))
        return "success"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's AddMeeting check: the topics share more than half their words (Jaccard
        over space-split words), every other input is equal, and so are output and exception.

        The level-3 class's code is not in the released data; its spec is the level-1/2
        AddMeeting's without the token, and this is that class's check.
        """
        compare = {"meeting_topic": _similar_topics}
        return same_call(response, gold, compare=compare, rest=True, name=self.name, lenient=True)


def _similar_topics(topic: Any, wanted: Any) -> bool:
    """Both topics are text and share more than half their words."""
    return isinstance(topic, str) and isinstance(wanted, str) and jaccard_over_half(topic, wanted)


@register
class EmailReminder(Lv3Api):
    """Send a meeting reminder: ``time`` must match ``%Y-%m-%d %H:%M:%S`` and the content
    must not be blank; nothing is stored (upstream sends nothing either)."""

    name = "EmailReminder"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``"success"``."""
        parse_time(args["time"], TIME_PATTERN)
        if text_of(args["content"], "strip").strip() == "":
            raise ApiBankError("Content should not be empty")
        return "success"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's: everything but the content (free text) must be equal."""
        return same_call(
            response, gold, rest=True, ignore=("content",), name=self.name, lenient=True
        )
