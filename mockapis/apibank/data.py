"""Seeding an API-Bank episode: the writable init databases become tables, the level is set.

Every init database an API writes is loaded into ``apibank.<Database>`` (rows
``{"key", "value"}`` keyed by :func:`~mockapis.apibank.base.row_key`), parsed once per process
with the rows shared between episodes (they are never mutated: APIs write new rows).
Read-only databases (Bank, History, ImageCaptioning, QuestionAnswering, SearchEngine,
SpeechRecognition, Stock, Symptom, Wiki) are read from the imported files directly.
OpenBankAccount's own database, ``BankAccounts``, starts as upstream's class literal.

Sizes: ``{"level": 1|2|3}`` selects the suite of APIs (default 1; 3 is ``lv3_apis``). When
nothing was imported the tables stay empty and every call answers that the data is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from mockapis.apibank import home
from mockapis.apibank.base import row_key, set_level
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["BANK_ACCOUNTS", "DEFAULT_SIZES", "WRITABLE", "seed"]

WRITABLE = (
    "Account",
    "Agenda",
    "Alarm",
    "Appointments",
    "HealthData",
    "Hotel",
    "Meeting",
    "Reminder",
    "Scenes",
    "TimeSwitch",
)
"""The init databases some API writes: loaded into tables per episode."""

BANK_ACCOUNTS: tuple[tuple[int, Record], ...] = (
    (0, {"account": "test", "password": "test", "name": "yifei"}),
)
"""OpenBankAccount's initial database (upstream's class literal, int key 0)."""

DEFAULT_SIZES: Mapping[str, int] = {"level": 1}


@functools.lru_cache(maxsize=32)
def _rows(data_home: Path, name: str) -> tuple[tuple[str, Record], ...]:
    del data_home  # the cache key: a new home re-reads
    data = home.init_database(name)
    if not isinstance(data, dict):
        return ()
    return tuple((row_key(k), {"key": k, "value": v}) for k, v in data.items())


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Load the writable databases and set the level; no credentials (API-Bank's APIs take
    their own ``token`` parameters, obtained with GetUserToken)."""
    level = int(sizes.get("level", DEFAULT_SIZES["level"]))
    if level not in (1, 2, 3):
        raise ValueError(f"apibank sizes: level must be 1, 2 or 3; got {level}")
    set_level(world, level)
    if home.is_imported():
        data_home = home.apibank_home()
        for name in WRITABLE:
            table = world.table(f"apibank.{name}")
            for key, row in _rows(data_home, name):
                table.put(key, row)
    accounts = world.table("apibank.BankAccounts")
    for number, value in BANK_ACCOUNTS:
        accounts.put(row_key(number), {"key": number, "value": value})
    return {"type": "none"}
