"""Alarms (database ``Alarm``): AddAlarm, QueryAlarm, ModifyAlarm, DeleteAlarm.

Rows are ``{username, time}``; an alarm is the token's user's row at that exact time.
"""

from __future__ import annotations

from typing import Any

from mockapis.apibank.apis.common import parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register

__all__ = ["AddAlarm", "DeleteAlarm", "ModifyAlarm", "QueryAlarm"]


def _find(db: Db, username: str, time: Any) -> str | int | None:
    for key, row in db.table("Alarm").items():
        if row.get("username") == username and row.get("time") == time:
            return key
    return None


def _existing(db: Db, token: Any, time: Any) -> str | int:
    """The key of the token's user's alarm at ``time``, else not found."""
    key = _find(db, db.check_token(token), time)
    if key is None:
        raise ApiBankError(f"You have no alarm clock at time : {time}")
    return key


@register
class AddAlarm(Api):
    """Adds an alarm under the next id (``len + 1``)."""

    name = "AddAlarm"
    database = "Alarm"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["time"])
        alarms = db.table("Alarm")
        new_id = len(alarms) + 1
        username = db.check_token(args["token"])
        alarms.put(new_id, {"username": username, "time": args["time"]})
        return "success"


@register
class QueryAlarm(Api):
    """The user's alarm at that time."""

    name = "QueryAlarm"
    database = "Alarm"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["time"])
        return db.table("Alarm")[_existing(db, args["token"], args["time"])]


@register
class ModifyAlarm(Api):
    """Moves the user's alarm from ``from_time`` to ``to_time``."""

    name = "ModifyAlarm"
    database = "Alarm"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["from_time"])
        parse_time(args["to_time"])
        key = _existing(db, args["token"], args["from_time"])
        alarms = db.table("Alarm")
        alarms.put(key, {**alarms[key], "time": args["to_time"]})
        return "success"


@register
class DeleteAlarm(Api):
    """Deletes the user's alarm at that time."""

    name = "DeleteAlarm"
    database = "Alarm"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["time"])
        db.table("Alarm").delete(_existing(db, args["token"], args["time"]))
        return "success"
