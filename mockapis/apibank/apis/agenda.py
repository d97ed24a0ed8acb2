"""Agenda items (database ``Agenda``): AddAgenda, QueryAgenda, ModifyAgenda, DeleteAgenda.

Rows are ``{username, content, time, location}``; items are found by the token's user and the
same content or the same time, as upstream does. Kept quirk: ModifyAgenda with neither content
nor time matching and both empty returns upstream's ``Exception('Error')`` as its output (here
the text ``"Error"``), not an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.apis.common import jaccard_over_half, parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register

__all__ = ["AddAgenda", "DeleteAgenda", "ModifyAgenda", "QueryAgenda"]


def _find(db: Db, username: str, content: Any, time: Any) -> str | int | None:
    for key, row in db.table("Agenda").items():
        if row.get("username") == username and (
            row.get("content") == content or row.get("time") == time
        ):
            return key
    return None


def _not_found(content: Any, time: Any) -> ApiBankError:
    if content:
        return ApiBankError(f"You have no agenda about {content}")
    return ApiBankError(f"You have no agenda at time : {time}")


class _AgendaApi(Api):
    database = "Agenda"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: contents overlap by more than half; time, location, output and
        exception equal."""
        got, want = response["input"], gold["input"]
        return bool(
            jaccard_over_half(got["content"], want["content"])
            and got["time"] == want["time"]
            and got["location"] == want["location"]
            and response["output"] == gold["output"]
            and response["exception"] == gold["exception"]
        )


@register
class AddAgenda(_AgendaApi):
    """Adds an item under the next id (``len + 1``, an int key as upstream's)."""

    name = "AddAgenda"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """As the other agenda APIs, and the API names must agree."""
        if response.get("api_name") != gold.get("api_name", self.name):
            return False
        return super().check(response, gold)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        parse_time(args["time"])
        if args["content"].strip() == "":
            raise ApiBankError("Content should not be null")
        agenda = db.table("Agenda")
        new_id = len(agenda) + 1
        username = db.check_token(args["token"])
        agenda.put(
            new_id,
            {
                "username": username,
                "content": args["content"],
                "time": args["time"],
                "location": args["location"],
            },
        )
        return "success"


@register
class QueryAgenda(_AgendaApi):
    """The user's item with that content or time."""

    name = "QueryAgenda"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        if args["time"]:
            parse_time(args["time"])
        username = db.check_token(args["token"])
        key = _find(db, username, args["content"], args["time"])
        if key is None:
            raise _not_found(args["content"], args["time"])
        return db.table("Agenda")[key]


@register
class ModifyAgenda(_AgendaApi):
    """Replaces the user's item with that content or time."""

    name = "ModifyAgenda"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        content, time = args["content"], args["time"]
        if time:
            parse_time(time)
        username = db.check_token(args["token"])
        key = _find(db, username, content, time)
        if key is not None:
            db.table("Agenda").put(
                key,
                {
                    "username": username,
                    "content": content,
                    "time": time,
                    "location": args["location"],
                },
            )
            return "success"
        if content or time:
            raise _not_found(content, time)
        return "Error"


@register
class DeleteAgenda(_AgendaApi):
    """Deletes the user's item with that content or time."""

    name = "DeleteAgenda"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        content, time = args["content"], args["time"]
        if time:
            parse_time(time)
        username = db.check_token(args["token"])
        key = _find(db, username, content, time)
        if key is None:
            raise _not_found(content, time)
        db.table("Agenda").delete(key)
        return "success"
