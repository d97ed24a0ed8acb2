"""Health: RecordHealthData and QueryHealthData (database ``HealthData``: user id -> list of
records ``{time, <measure>: value, ...}``), EmergencyKnowledge and SymptomSearch (``Symptom``,
read-only).

Kept quirk: EmergencyKnowledge's empty-symptom check builds an exception and then lower-cases
it, so an empty symptom fails with ``'Exception' object has no attribute 'lower'``, as upstream.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar

from mockapis.apibank import home
from mockapis.apibank.apis.common import DATETIME, normalise_date, parse_time, same_datetime, valid
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import Same, by, same_call

__all__ = ["EmergencyKnowledge", "QueryHealthData", "RecordHealthData", "SymptomSearch"]


def _measures(items: Any) -> list[dict[str, str]]:
    listed = [{"name": str(i["name"]), "value": str(i["value"])} for i in items]
    return sorted(listed, key=str)


_RECORD_COMPARED: dict[str, Same] = {
    "user_id": by(lambda user_id: user_id.upper().strip()),
    "time": same_datetime,
    "health_data": by(_measures),
}


@register
class RecordHealthData(Api):
    """Records measures for a user at a time (merged into an existing record at that time)."""

    name = "RecordHealthData"
    database = "HealthData"
    defaults: ClassVar[Mapping[str, Any]] = {"health_data": None}

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        user_id = args["user_id"].upper().strip()
        if user_id == "":
            raise ApiBankError("The user id cannot be empty.")
        time = valid(normalise_date(args["time"], DATETIME))
        data = args["health_data"]
        if not data:
            raise ApiBankError("The health data cannot be empty.")
        names: set[Any] = set()
        for item in data:
            if "name" not in item:
                raise ApiBankError("The health data has invalid format.")
            if item["name"] in names:
                raise ApiBankError("The health data cannot contain duplicate items.")
            names.add(item["name"])
        table = db.table("HealthData")
        records = [dict(r) for r in table.get(user_id, [])]
        target = None
        for record in records:
            if record.get("time") == time:
                target = record
        if target is None:
            target = {"time": time}
            records.append(target)
        for item in data:
            target[item["name"]] = item["value"]
        table.put(user_id, records)
        return "success"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: ids upper-cased, times normalised, measures compared as text, in any
        order; output and exception equal."""
        return same_call(response, gold, compare=_RECORD_COMPARED)


@register
class QueryHealthData(Api):
    """A user's records between two times (inclusive)."""

    name = "QueryHealthData"
    database = "HealthData"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        user_id = args["user_id"].upper().strip()
        start = parse_time(args["start_time"])
        end = parse_time(args["end_time"])
        records = db.table("HealthData").get(user_id)
        if records is None:
            raise ApiBankError("The user id does not exist.")
        found = []
        for record in records:
            try:
                at = datetime.datetime.strptime(record["time"], DATETIME)
            except (KeyError, ValueError):
                continue
            if start <= at <= end:
                found.append(record)
        return found


def _symptom(value: str) -> str:
    value = value.strip()
    if value == "":
        raise ApiBankError("'Exception' object has no attribute 'lower'")
    return value.lower()


def _symptom_compared(value: str) -> str:
    value = value.strip()
    return value.lower() if value else "<empty>"


class _SymptomApi(Api):
    database = "Symptom"
    fields: ClassVar[tuple[str, str]] = ("name", "aid")

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        symptom = _symptom(args["symptom"])
        entries = home.init_database("Symptom")
        if symptom not in entries:
            raise ApiBankError("The symptom does not exist.")
        return [{f: item[f] for f in self.fields} for item in entries[symptom]]

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: symptoms compared stripped and lower-cased; output and exception."""
        return same_call(response, gold, compare={"symptom": by(_symptom_compared)})


@register
class EmergencyKnowledge(_SymptomApi):
    """Possible diseases for a symptom with their first aid: ``[{name, aid}]``."""

    name = "EmergencyKnowledge"
    fields = ("name", "aid")


@register
class SymptomSearch(_SymptomApi):
    """Possible diseases for a symptom with their description: ``[{name, description}]``."""

    name = "SymptomSearch"
    fields = ("name", "description")
