"""The 20 level-3-only API-Bank APIs (upstream ``lv3_apis/``), registered into
:data:`mockapis.apibank.base.LV3_APIS` on import.

Level 3 also uses Calculator and ToolSearcher, which the level-1/2 modules register in both
suites. AddMeeting and QueryMeeting exist in both suites with different inputs and behaviour:
the episode's level (``apibank._settings``) selects the registry, hence the variant.

Their lookup tables come from the imported level-3 gold calls (:mod:`.fixtures`); their
rules, exception texts and per-API checks follow upstream's classes, with each deliberate
difference documented on the class.
"""

from __future__ import annotations

from mockapis.apibank.lv3 import media, meetings, places, work
from mockapis.apibank.lv3.fixtures import Lv3Data, lv3_data

__all__ = ["LV3_ONLY", "Lv3Data", "lv3_data", "media", "meetings", "places", "work"]

LV3_ONLY: tuple[str, ...] = tuple(
    sorted(
        cls.name
        for module in (media, meetings, places, work)
        for cls in vars(module).values()
        if isinstance(cls, type) and cls.__module__ == module.__name__ and hasattr(cls, "name")
    )
)
"""The names of the level-3-only APIs defined here (20)."""
