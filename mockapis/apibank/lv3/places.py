"""Level-3 places and trips: geocoding, weather, clothing, restaurants, flights, hotels."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import ApiBankError, Db, register
from mockapis.apibank.lv3.support import LookupApi, Lv3Api, parse_time, text_of

__all__ = [
    "ClothingRecommendation",
    "FlightSearch",
    "Geocoding",
    "GetWeatherForCoordinates",
    "HotelAvailability",
    "NearbyRestaurants",
]

DATE = "%Y-%m-%d"
DATETIME = "%Y-%m-%d %H:%M:%S"


@register
class Geocoding(LookupApi):
    """The coordinates of a place name (exact names only; unknown ones: ``KeyError``'s text).

    Upstream's coordinates drop the western/southern signs (New York is at longitude
    ``74.006``, San Francisco ``122.4194``); kept, as GetWeatherForCoordinates and the gold
    calls use the same values.
    """

    name = "Geocoding"
    key = ("address",)


@register
class GetWeatherForCoordinates(LookupApi):
    """The weather at exactly one of the known coordinates."""

    name = "GetWeatherForCoordinates"
    key = ("latitude", "longitude")

    def missing(self, args: Mapping[str, Any]) -> ApiBankError:
        """Upstream has no text here (its lookup returns None and ``call`` then fails with a
        ``TypeError`` outside its ``try``, crashing the caller); this one names the cause."""
        return ApiBankError(
            f"No weather data for the coordinates ({args['latitude']}, {args['longitude']})."
        )


@register
class ClothingRecommendation(Lv3Api):
    """Clothes for the weather, by upstream's rules (humidity is compared with 70 although
    GetWeatherForCoordinates gives it as a fraction, so that rule never fires on its data)."""

    name = "ClothingRecommendation"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"clothing_options": [...]}``."""
        temperature, humidity = args["temperature"], args["humidity"]
        conditions = text_of(args["weather_conditions"], "lower")
        options: list[str] = []
        if temperature < 10:
            options += ["Warm coat", "Hat", "Gloves"]
        if 10 <= temperature < 20:
            options += ["Light jacket", "Long-sleeved shirt"]
        if 20 <= temperature < 30:
            options += ["T-shirt", "Shorts"]
        if temperature >= 30:
            options += ["Sun hat", "Sunglasses", "Loose-fitting clothes"]
        if humidity > 70:
            options += ["Umbrella", "Waterproof shoes"]
        if "rain" in conditions.lower():
            options.append("Raincoat")
        return {"clothing_options": options}


@register
class NearbyRestaurants(Lv3Api):
    """Restaurants near some coordinates: upstream ignores the inputs and always answers its
    whole list (kept), and its check compares the inputs only."""

    name = "NearbyRestaurants"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"restaurants": [...]}`` (every restaurant, whatever the inputs)."""
        return {"restaurants": copy.deepcopy(list(self.data().restaurants))}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's: same API and input."""
        return response.get("api_name", self.name) == gold.get(
            "api_name", self.name
        ) and response.get("input") == gold.get("input")


@register
class FlightSearch(Lv3Api):
    """Flights from ``source`` to ``destination`` departing on ``travel_dates`` (one date,
    ``%Y-%m-%d``; exact city names).

    Upstream reformats the matched flight's dates in place, so asking for the same flight a
    second time in one process fails (``'str' object has no attribute 'date'``); not kept:
    the bug depends on what earlier, unrelated evaluations asked, not on the episode.
    """

    name = "FlightSearch"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"flights": [...]}``, possibly empty."""
        day = parse_time(args["travel_dates"], DATE).date()
        flights = [
            dict(flight)
            for flight in self.data().flights
            if flight.get("source") == args["source"]
            and flight.get("destination") == args["destination"]
            and parse_time(flight.get("departure_date"), DATETIME).date() == day
        ]
        return {"flights": flights}


@register
class HotelAvailability(Lv3Api):
    """Hotels at ``destination`` whose availability covers the whole stay (dates
    ``%Y-%m-%d``). Upstream's in-place reformatting bug (a hotel matched twice in one process
    fails) is not kept, as for FlightSearch."""

    name = "HotelAvailability"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        """``{"hotels": [...]}``, possibly empty."""
        check_in = parse_time(args["check_in_date"], DATE)
        check_out = parse_time(args["check_out_date"], DATE)
        hotels = [
            dict(hotel)
            for hotel in self.data().hotels
            if hotel.get("destination") == args["destination"]
            and check_in >= parse_time(hotel.get("check_in_date"), DATE)
            and check_out <= parse_time(hotel.get("check_out_date"), DATE)
        ]
        return {"hotels": hotels}

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream's: same destination and dates in, same hotels out (no exception check)."""
        keys = ("destination", "check_in_date", "check_out_date")
        got, want = response.get("input"), gold.get("input")
        got_out, want_out = response.get("output"), gold.get("output")
        if not (isinstance(got, Mapping) and isinstance(want, Mapping)):
            return False
        if not (isinstance(got_out, Mapping) and isinstance(want_out, Mapping)):
            return False  # upstream's check fails on a missing output (an error is wrong)
        return (
            response.get("api_name", self.name) == gold.get("api_name", self.name)
            and all(k in got and k in want and got[k] == want[k] for k in keys)
            and "hotels" in got_out
            and got_out.get("hotels") == want_out.get("hotels")
        )
