"""The level-1/2 API-Bank APIs, one module per init database (or kind), plus the level-3
suite (``mockapis.apibank.lv3``, when present). Importing this package registers them all."""

from __future__ import annotations

import importlib

from mockapis.apibank.apis import (
    account,
    agenda,
    alarm,
    appointments,
    health,
    hotel,
    knowledge,
    meeting,
    misc,
    reminder,
    scenes,
    switches,
)

__all__ = [
    "account",
    "agenda",
    "alarm",
    "appointments",
    "health",
    "hotel",
    "knowledge",
    "meeting",
    "misc",
    "reminder",
    "scenes",
    "switches",
]

for _optional in ("mockapis.apibank.lv3",):
    try:
        importlib.import_module(_optional)
    except ModuleNotFoundError as exc:  # the level-3 suite is optional until it lands
        if exc.name != _optional:
            raise
