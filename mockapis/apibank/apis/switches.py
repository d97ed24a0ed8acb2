"""Timed switches of smart devices (database ``TimeSwitch``: device name -> list of
``{time, on}``): TimedSwitch, CancelTimedSwitch. Device names are stripped and lower-cased.

Known data mismatch, kept: the gold dialogues call both APIs with ``device_id``, which the
catalogue does not declare, so those calls fail parameter checking here as they would upstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockapis.apibank.apis.common import DATETIME, normalise_date, same_datetime, valid
from mockapis.apibank.base import Api, ApiBankError, Db, register
from mockapis.apibank.checks import folded, same_call

__all__ = ["CancelTimedSwitch", "TimedSwitch"]


def _device(value: str) -> str:
    name = value.strip().lower()
    if name == "":
        raise ApiBankError("Name cannot be empty.")
    return name


def _time(value: str) -> str:
    return valid(normalise_date(value, DATETIME))


_COMPARED = {
    "name": folded,
    "time": same_datetime,
}


class _SwitchApi(Api):
    database = "TimeSwitch"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: names stripped and lower-cased, times normalised, other inputs equal;
        output and exception equal."""
        return same_call(response, gold, compare=_COMPARED, rest=True)


@register
class TimedSwitch(_SwitchApi):
    """Schedules a device to switch on or off at a time (replacing one at the same time)."""

    name = "TimedSwitch"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        name = _device(args["name"])
        time = _time(args["time"])
        switches = db.table("TimeSwitch")
        entries = [dict(e) for e in switches.get(name, [])]
        for entry in entries:
            if entry.get("time") == time:
                entry["on"] = args["on"]
                break
        else:
            entries.append({"time": time, "on": args["on"]})
        switches.put(name, entries)
        return "success"


@register
class CancelTimedSwitch(_SwitchApi):
    """Cancels a device's scheduled switch at a time."""

    name = "CancelTimedSwitch"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        name = _device(args["name"])
        time = _time(args["time"])
        switches = db.table("TimeSwitch")
        if name not in switches:
            raise ApiBankError("The device does not exist.")
        entries = list(switches[name])
        kept = [e for e in entries if e.get("time") != time]
        if len(kept) == len(entries):
            raise ApiBankError("The timed switch does not exist.")
        switches.put(name, kept)
        return "success"
