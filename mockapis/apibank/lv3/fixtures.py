"""The level-3 APIs' lookup tables, rebuilt from the imported level-3 gold calls.

Upstream's ``lv3_apis/`` classes hold their data as literals in their code (who travels, the
weather at five coordinates, posts and likes...). The project ships no API-Bank data, and the
released data folder has no code: what each of those tables maps is exactly what the gold
calls observe (every successful level-3 gold call is one ``input -> output`` pair of one
table), so the tables are rebuilt from ``gold_calls.jsonl`` of the data home, once per
process. Only the decision rules (tax brackets, clothing thresholds, which flight or hotel
matches a query) are code, in the API modules.

What the gold calls cannot show is left out: upstream's HotelAvailability knows five hotels and
the gold calls only show three of them (the other two, San Francisco 2022-01-04/05 and
2022-01-05/06, answer no gold call); a query only they would match answers ``[]`` here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.apibank import home

__all__ = ["LOOKUP_KEYS", "Lv3Data", "build", "lv3_data", "lv3_gold"]

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class Lv3Data:
    """The tables, by API: ``lookups[api][key] -> output`` (key: the input values the API looks
    up by, in declared order) plus the lists the rule-based APIs search."""

    lookups: Mapping[str, Mapping[Key, Any]]
    genres: Mapping[str, tuple[str, ...]]
    """MovieRecommendations: genre -> its movies."""
    flights: tuple[Mapping[str, str], ...]
    hotels: tuple[Mapping[str, str], ...]
    restaurants: tuple[Mapping[str, Any], ...]
    accounts: frozenset[tuple[str, str]]
    """``(username, password)`` pairs PersonalInfoUpdate accepts."""

    def lookup(self, api: str, *key: Hashable) -> Any:
        """The output of ``api`` for ``key``; ``KeyError`` when the table has none."""
        return self.lookups.get(api, {})[tuple(key)]


# The pure lookup APIs: name -> the input parameters forming the key, in order.
LOOKUP_KEYS: Mapping[str, tuple[str, ...]] = {
    "AccountInfo": ("username", "password"),
    "Geocoding": ("address",),
    "GetOccupationSalary": ("occupation",),
    "GetWeatherForCoordinates": ("latitude", "longitude"),
    "LikeCount": ("post_id",),
    "OrganizationMembers": ("organization",),
    "QueryMeeting": ("user_name",),
    "TravelStatus": ("member_name",),
    "UserMoviePreferences": ("user_name",),
    "UserPosts": ("user_id",),
    "UserWatchedMovies": ("user_name",),
}


def _is_level3(call: Mapping[str, Any]) -> bool:
    return str(call.get("level", "")).removeprefix("level-") == "3"


def lv3_gold(calls: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The successful level-3 gold results (``{api_name?, input, output, exception}``), in
    order, each with ``api_name`` set."""
    found: list[Mapping[str, Any]] = []
    for call in calls:
        result = call.get("gold_result")
        if not _is_level3(call) or not isinstance(result, Mapping):
            continue
        if result.get("exception") is not None or not isinstance(result.get("input"), Mapping):
            continue
        found.append({**result, "api_name": result.get("api_name") or call.get("api_name")})
    return found


def _freeze(value: Any) -> Hashable:
    """A hashable stand-in for a JSON value (to find duplicates)."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value  # type: ignore[no-any-return]


def _agree(where: str, old: Any, new: Any) -> None:
    if old != new:
        raise ValueError(f"the level-3 gold calls disagree on {where}: {old!r} then {new!r}")


def _union(items: Iterable[Any], into: dict[Hashable, Mapping[str, Any]]) -> None:
    for item in items:
        if isinstance(item, Mapping):
            into.setdefault(_freeze(item), dict(item))


def build(calls: Iterable[Mapping[str, Any]]) -> Lv3Data:
    """The tables observed in ``calls`` (gold-call lines); ``ValueError`` when two gold calls
    give one key two different outputs."""
    lookups: dict[str, dict[Key, Any]] = {name: {} for name in LOOKUP_KEYS}
    genres: dict[str, tuple[str, ...]] = {}
    flights: dict[Hashable, Mapping[str, Any]] = {}
    hotels: dict[Hashable, Mapping[str, Any]] = {}
    restaurants: list[Any] | None = None
    accounts: set[tuple[str, str]] = set()
    handlers: dict[str, Callable[[Mapping[str, Any], Any], None]] = {}

    def movies(args: Mapping[str, Any], output: Any) -> None:
        prefs, found = args.get("preferences"), output.get("recommended_movies")
        if not (isinstance(prefs, list) and prefs and isinstance(found, list)):
            return
        # Upstream concatenates the genres' lists in the order asked; all are the same length.
        size, rest = divmod(len(found), len(prefs))
        if rest:
            raise ValueError(f"cannot split the recommendations {found!r} by genre {prefs!r}")
        for i, genre in enumerate(prefs):
            chunk = tuple(found[i * size : (i + 1) * size])
            _agree(f"MovieRecommendations[{genre!r}]", genres.setdefault(genre, chunk), chunk)

    def nearby(args: Mapping[str, Any], output: Any) -> None:
        nonlocal restaurants
        found = output.get("restaurants")
        if restaurants is None:
            restaurants = found
        _agree("NearbyRestaurants (answers every query alike)", restaurants, found)

    def update(args: Mapping[str, Any], output: Any) -> None:
        accounts.add((str(args.get("username")), str(args.get("password"))))

    handlers["MovieRecommendations"] = movies
    handlers["NearbyRestaurants"] = nearby
    handlers["PersonalInfoUpdate"] = update
    handlers["FlightSearch"] = lambda args, output: _union(output.get("flights", ()), flights)
    handlers["HotelAvailability"] = lambda args, output: _union(output.get("hotels", ()), hotels)

    for result in lv3_gold(calls):
        name, args, output = result["api_name"], result["input"], result["output"]
        if name in LOOKUP_KEYS:
            key = tuple(args.get(p) for p in LOOKUP_KEYS[name])
            table = lookups[name]
            _agree(f"{name}{key!r}", table.setdefault(key, output), output)
            if name == "AccountInfo":
                accounts.add((str(key[0]), str(key[1])))
        elif name in handlers and isinstance(output, Mapping):
            handlers[name](args, output)
    return Lv3Data(
        lookups=lookups,
        genres=genres,
        flights=tuple(flights.values()),
        hotels=tuple(hotels.values()),
        restaurants=tuple(restaurants or ()),
        accounts=frozenset(accounts),
    )


class _ById:
    """A cache key standing for one object by identity (the loader's cached tuple)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ById) and other.obj is self.obj


@functools.lru_cache(maxsize=4)
def _built(calls: _ById) -> Lv3Data:
    gold: tuple[Mapping[str, Any], ...] = calls.obj  # type: ignore[assignment]
    return build(gold)


def lv3_data() -> Lv3Data:
    """The tables of the data home's gold calls (rebuilt when ``home`` reloads them)."""
    return _built(_ById(home.gold_calls()))
