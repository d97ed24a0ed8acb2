"""Agenda items (database ``Agenda``): AddAgenda, QueryAgenda, ModifyAgenda, DeleteAgenda.

Rows are ``{username, content, time, location}``; items are found by the token's user and the
same content or the same time, as upstream does. Kept quirk: ModifyAgenda with neither content
nor time matching and both empty returns upstream's ``Exception('Error')`` as its output (here
the text ``"Error"``), not an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mockapis.apibank.apis.common import check_time_and_content, parse_time
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import Same, equal, jaccard_over_half, same_call

__all__ = ["AddAgenda", "DeleteAgenda", "ModifyAgenda", "QueryAgenda"]


def _find(db: Db, username: str, content: Any, time: Any) -> str | int | None:
    for key, row in db.table("Agenda").items():
        if row.get("username") == username and (
            row.get("content") == content or row.get("time") == time
        ):
            return key
    return None


def _lookup(db: Db, args: Mapping[str, Any]) -> tuple[str, str | int | None]:
    """The token's user and the key of their item with that content or time (None if none);
    a non-empty time must parse first."""
    if args["time"]:
        parse_time(args["time"])
    username = db.check_token(args["token"])
    return username, _find(db, username, args["content"], args["time"])


def _not_found(content: Any, time: Any) -> ApiBankError:
    if content:
        return ApiBankError(f"You have no agenda about {content}")
    return ApiBankError(f"You have no agenda at time : {time}")


def _existing(db: Db, args: Mapping[str, Any]) -> str | int:
    """The key of the token's user's item with that content or time, else not found."""
    _, key = _lookup(db, args)
    if key is None:
        raise _not_found(args["content"], args["time"])
    return key


_COMPARED: dict[str, Same] = {"content": jaccard_over_half, "time": equal, "location": equal}


class _AgendaApi(Api):
    database = "Agenda"
    names_checked: ClassVar[bool] = False
    """Whether the check also asks the API names to agree (AddAgenda's does)."""

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: contents overlap by more than half; time, location, output and
        exception equal."""
        name = self.name if self.names_checked else None
        return same_call(response, gold, compare=_COMPARED, name=name)


@register
class AddAgenda(_AgendaApi):
    """Adds an item under the next id (``len + 1``, an int key as upstream's)."""

    name = "AddAgenda"
    names_checked = True

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        check_time_and_content(args)
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
        return db.table("Agenda")[_existing(db, args)]


@register
class ModifyAgenda(_AgendaApi):
    """Replaces the user's item with that content or time."""

    name = "ModifyAgenda"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        content, time = args["content"], args["time"]
        username, key = _lookup(db, args)
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
        db.table("Agenda").delete(_existing(db, args))
        return "success"
