"""Reminders (database ``Reminder``): AddReminder, QueryReminder, ModifyReminder,
DeleteReminder. Rows are ``{username, content, time}``; a reminder is the token's user's row
with the same content or the same time. New ids: ``max(int(key)) + 1`` as text (``"0"`` first).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar

from mockapis.apibank.apis.common import check_time_and_content
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import (
    Same,
    equal,
    jaccard_over_half,
    same_call,
    same_when_both_succeeded,
)

__all__ = ["AddReminder", "DeleteReminder", "ModifyReminder", "QueryReminder"]


def _find(db: Db, username: str, content: Any, time: Any) -> str | int | None:
    for key, row in db.table("Reminder").items():
        if row.get("username") == username and (
            row.get("content") == content or row.get("time") == time
        ):
            return key
    return None


def _existing(db: Db, args: Mapping[str, Any]) -> str | int:
    """Upstream's prelude (time, content, token) and the key of the token's user's reminder
    with that content or time, else not found."""
    check_time_and_content(args)
    username = db.check_token(args["token"])
    key = _find(db, username, args["content"], args["time"])
    if key is None:
        raise ApiBankError(
            f"You have no reminder about {args['content']} or at time : {args['time']}"
        )
    return key


_COMPARED: dict[str, Same] = {
    "content": functools.partial(jaccard_over_half, lower=True),
    "time": equal,
}


class _ReminderApi(Api):
    database = "Reminder"
    names_checked: ClassVar[bool] = False
    """Whether the check also asks the API names to agree (AddReminder's and
    ModifyReminder's do)."""

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: lower-cased contents overlap by more than half; time, output and
        exception equal."""
        name = self.name if self.names_checked else None
        return same_call(response, gold, compare=_COMPARED, name=name)


@register
class AddReminder(_ReminderApi):
    """Adds a reminder."""

    name = "AddReminder"
    names_checked = True

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        check_time_and_content(args)
        reminders = db.table("Reminder")
        keys = reminders.keys()
        new_id = max(int(k) for k in keys) + 1 if keys else 0
        username = db.check_token(args["token"])
        reminders.put(
            str(new_id), {"username": username, "content": args["content"], "time": args["time"]}
        )
        return "success"


@register
class QueryReminder(_ReminderApi):
    """The user's reminder with that content or time."""

    name = "QueryReminder"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return db.table("Reminder")[_existing(db, args)]


@register
class ModifyReminder(_ReminderApi):
    """Sets content and time of the user's reminder with that content or time."""

    name = "ModifyReminder"
    names_checked = True

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        key = _existing(db, args)
        reminders = db.table("Reminder")
        reminders.put(key, {**reminders[key], "content": args["content"], "time": args["time"]})
        return "success"


@register
class DeleteReminder(_ReminderApi):
    """Deletes the user's reminder with that content or time."""

    name = "DeleteReminder"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: when both succeeded, the times must agree; else output and exception."""
        return same_when_both_succeeded(response, gold, "time")

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        db.table("Reminder").delete(_existing(db, args))
        return "success"
