"""Reminders (database ``Reminder``): AddReminder, QueryReminder, ModifyReminder,
DeleteReminder. Rows are ``{username, content, time}``; a reminder is the token's user's row
with the same content or the same time. New ids: ``max(int(key)) + 1`` as text (``"0"`` first).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.apis.common import jaccard_over_half, parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register

__all__ = ["AddReminder", "DeleteReminder", "ModifyReminder", "QueryReminder"]


def _find(db: Db, username: str, content: Any, time: Any) -> str | int | None:
    for key, row in db.table("Reminder").items():
        if row.get("username") == username and (
            row.get("content") == content or row.get("time") == time
        ):
            return key
    return None


def _prelude(db: Db, args: Mapping[str, Any]) -> str:
    parse_time(args["time"])
    if args["content"].strip() == "":
        raise ApiBankError("Content should not be null")
    return db.check_token(args["token"])


def _not_found(args: Mapping[str, Any]) -> ApiBankError:
    return ApiBankError(f"You have no reminder about {args['content']} or at time : {args['time']}")


class _ReminderApi(Api):
    database = "Reminder"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: lower-cased contents overlap by more than half; time, output and
        exception equal."""
        got, want = response["input"], gold["input"]
        return bool(
            jaccard_over_half(got["content"], want["content"], lower=True)
            and got["time"] == want["time"]
            and response["output"] == gold["output"]
            and response["exception"] == gold["exception"]
        )


@register
class AddReminder(_ReminderApi):
    """Adds a reminder."""

    name = "AddReminder"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """As the other reminder APIs, and the API names must agree."""
        if response.get("api_name") != gold.get("api_name", self.name):
            return False
        return super().check(response, gold)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["time"])
        if args["content"].strip() == "":
            raise ApiBankError("Content should not be null")
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
        username = _prelude(db, args)
        key = _find(db, username, args["content"], args["time"])
        if key is None:
            raise _not_found(args)
        return db.table("Reminder")[key]


@register
class ModifyReminder(_ReminderApi):
    """Sets content and time of the user's reminder with that content or time."""

    name = "ModifyReminder"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """As the other reminder APIs, and the API names must agree."""
        if response.get("api_name") != gold.get("api_name", self.name):
            return False
        return super().check(response, gold)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        username = _prelude(db, args)
        key = _find(db, username, args["content"], args["time"])
        if key is None:
            raise _not_found(args)
        reminders = db.table("Reminder")
        reminders.put(key, {**reminders[key], "content": args["content"], "time": args["time"]})
        return "success"


@register
class DeleteReminder(_ReminderApi):
    """Deletes the user's reminder with that content or time."""

    name = "DeleteReminder"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: when both succeeded, the times must agree; else output and exception."""
        if gold["output"] == "success" and response["output"] == "success":
            return bool(response["input"]["time"] == gold["input"]["time"])
        return bool(
            response["output"] == gold["output"] and response["exception"] == gold["exception"]
        )

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        username = _prelude(db, args)
        key = _find(db, username, args["content"], args["time"])
        if key is None:
            raise _not_found(args)
        db.table("Reminder").delete(key)
        return "success"
