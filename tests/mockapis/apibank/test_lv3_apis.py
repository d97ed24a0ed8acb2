"""The level-3-only API-Bank APIs: registration, gold replay, behaviour, checks, fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockapis.apibank import base, home
from mockapis.apibank.lv3 import LV3_ONLY, fixtures
from mockapis.world import World
from tests.mockapis.apibank.conftest import ApiBankClient


@pytest.fixture(scope="module", autouse=True)
def _imported_home(imported: Path) -> Path:
    """Every test here runs on the imported shared data (see conftest)."""
    return imported


def level3_world() -> World:
    world = World(0)
    base.set_level(world, 3)
    return world


def run(name: str, world: World | None = None, **args: Any) -> base.Result:
    """One call at level 3, logged as over HTTP."""
    return base.execute(world or level3_world(), name, args)


def gold_lv3() -> list[dict[str, Any]]:
    return [c for c in home.gold_calls() if c["level"] == "level-3" and c["api_name"] in LV3_ONLY]


# -- registration ---------------------------------------------------------------------------


def test_the_twenty_level3_only_apis_are_registered_in_the_level3_suite() -> None:
    catalogue = {e["name"] for e in home.catalog() if str(e["suite"]).startswith("level-3")}
    assert len(LV3_ONLY) == 20
    assert set(LV3_ONLY) == catalogue
    level3 = base.registry(3)
    assert set(LV3_ONLY) <= set(level3)
    assert {"Calculator", "ToolSearcher"} <= set(level3)


def test_add_and_query_meeting_have_one_variant_per_suite() -> None:
    lv12, lv3 = base.registry(1), base.registry(3)
    for name in ("AddMeeting", "QueryMeeting"):
        assert lv12[name] is not lv3[name]
        assert type(lv12[name]) is not type(lv3[name])
    assert "token" in lv12["AddMeeting"].spec["input_parameters"]
    assert "token" not in lv3["AddMeeting"].spec["input_parameters"]
    assert list(lv3["QueryMeeting"].spec["input_parameters"]) == ["user_name"]
    # Level-3-only APIs do not exist at levels 1/2.
    assert "TravelStatus" not in lv12


def test_the_level_picks_the_variant() -> None:
    lv1 = World(0)
    base.set_level(lv1, 1)
    at_lv1 = base.execute(lv1, "QueryMeeting", {"user_name": "John"})
    assert at_lv1["exception"] == "invalid parameter name. parameter: user_name"
    at_lv3 = run("QueryMeeting", user_name="John")
    assert at_lv3["exception"] is None
    assert [m["meeting_id"] for m in at_lv3["output"]["meetings"]] == [1, 2]
    unknown = base.execute(lv1, "TravelStatus", {"member_name": "John"})
    assert unknown["exception"] == "invalid tool name."


# -- gold replay ----------------------------------------------------------------------------


def test_every_level3_gold_call_of_these_apis_replays_exactly() -> None:
    worlds: dict[Any, World] = {}
    calls = gold_lv3()
    assert len(calls) == 127  # 245 level-3 calls - 114 ToolSearcher - 4 Calculator
    for call in calls:
        world = worlds.setdefault(call["sample_id"], level3_world())
        result = base.replay(world, call["api_name"], call["param_dict_raw"])
        gold = call["gold_result"]
        assert json.loads(json.dumps(result)) == gold, call
        assert base.registry(3)[call["api_name"]].check(result, gold), call
        assert call["replay_sequential_exact"] is True


def test_replay_does_not_log_but_execute_does() -> None:
    world = level3_world()
    base.replay(world, "TravelStatus", {"member_name": "John"})
    assert len(world.table(base.CALLS_TABLE)) == 0
    base.execute(world, "TravelStatus", {"member_name": "Nobody"})
    (entry,) = world.table(base.CALLS_TABLE).values()
    assert entry["api_name"] == "TravelStatus"
    assert entry["exception"] == "'Nobody'"


# -- behaviour ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "text"),
    [
        ("TravelStatus", {"member_name": "Nobody"}, "'Nobody'"),
        ("OrganizationMembers", {"organization": "Google"}, "'Google'"),
        ("QueryMeeting", {"user_name": "Bob"}, "'Bob'"),
        ("UserMoviePreferences", {"user_name": "Bob"}, "'Bob'"),
        ("UserWatchedMovies", {"user_name": "Bob"}, "User not found."),
        ("UserPosts", {"user_id": "6"}, "6"),
        ("LikeCount", {"post_id": 99}, "Post with ID 99 does not exist."),
        ("Geocoding", {"address": "new york city"}, "'new york city'"),
        ("GetOccupationSalary", {"occupation": "Pilot"}, "The occupation is not in the database."),
        ("AccountInfo", {"username": "John", "password": "wrong"}, "User not found."),
        (
            "GetWeatherForCoordinates",
            {"latitude": "1.5", "longitude": "2"},
            "No weather data for the coordinates (1.5, 2.0).",
        ),
        ("MovieRecommendations", {"preferences": ["Action", "Horror"]}, "'Horror'"),
        ("MovieRecommendations", {"preferences": [["Action"]]}, "unhashable type: 'list'"),
        ("LikeCount", {"post_id": "one"}, "invalid parameter type. parameter: one"),
        (
            "ClothingRecommendation",
            {"temperature": 5, "humidity": 1, "weather_conditions": 7},
            "'int' object has no attribute 'lower'",
        ),
    ],
)
def test_unknown_inputs_fail_with_upstreams_texts(
    name: str, args: dict[str, Any], text: str
) -> None:
    result = run(name, **args)
    assert result["output"] is None
    assert result["exception"] == text


def test_lookups_answer_from_the_gold_tables() -> None:
    assert run("TravelStatus", member_name="Rose")["output"] == "Working from office"
    assert run("UserPosts", user_id=3)["output"] == {"post_ids": [7, 8, 9]}
    assert run("LikeCount", post_id="12")["output"] == {"like_count": 120}
    assert run("Geocoding", address="Paris")["output"] == {"latitude": 48.8566, "longitude": 2.3522}
    weather = run("GetWeatherForCoordinates", latitude=48.8566, longitude="2.3522")
    assert weather["output"] == {"temperature": 15, "humidity": 0.7, "description": "Sunny"}
    assert weather["input"] == {"latitude": 48.8566, "longitude": 2.3522}


@pytest.mark.parametrize(
    ("salary", "after"),
    [
        ("0", 0.0),
        ("999.5", 999.5),
        ("1000", 900.0),
        ("2999", 2699.1),
        ("3000", 2400.0),
        ("4000", 3200.0),
        ("5000", 3500.0),
        ("1000000", 700000.0),  # 30%: upstream's 40% bracket (above inf) is unreachable
    ],
)
def test_tax_brackets(salary: str, after: float) -> None:
    result = run("TaxCalculator", salary=salary)
    assert result["input"] == {"salary": float(salary)}
    assert result["output"]["salary_after_tax"] == pytest.approx(after)


def test_tax_refuses_a_negative_salary_given_as_json() -> None:
    result = run("TaxCalculator", salary=-5)
    assert result["exception"] == "The salary must be a non-negative number, got -5.0."
    assert run("TaxCalculator", salary="-5")["exception"] == "invalid parameter type."


@pytest.mark.parametrize(
    ("temperature", "humidity", "conditions", "options"),
    [
        (-3, 0.2, "Snow", ["Warm coat", "Hat", "Gloves"]),
        (19.9, 0.5, "Clear", ["Light jacket", "Long-sleeved shirt"]),
        (20, 0.9, "Light RAIN", ["T-shirt", "Shorts", "Raincoat"]),
        (
            30,
            80,
            "Sunny",
            ["Sun hat", "Sunglasses", "Loose-fitting clothes", "Umbrella", "Waterproof shoes"],
        ),
    ],
)
def test_clothing_rules(
    temperature: float, humidity: float, conditions: str, options: list[str]
) -> None:
    result = run(
        "ClothingRecommendation",
        temperature=temperature,
        humidity=humidity,
        weather_conditions=conditions,
    )
    assert result["output"] == {"clothing_options": options}


def test_flight_search_matches_route_and_day_and_can_be_asked_twice() -> None:
    world = level3_world()
    args = {"source": "London", "destination": "San Francisco", "travel_dates": "2022-01-03"}
    first = base.execute(world, "FlightSearch", args)
    assert first["output"] == {
        "flights": [
            {
                "source": "London",
                "destination": "San Francisco",
                "departure_date": "2022-01-03 12:00:00",
                "arrival_date": "2022-01-03 15:00:00",
            }
        ]
    }
    assert base.execute(world, "FlightSearch", args) == first  # upstream fails the 2nd time
    other_day = run("FlightSearch", **{**args, "travel_dates": "2022-01-04"})
    assert other_day["output"] == {"flights": []}
    bad = run("FlightSearch", **{**args, "travel_dates": "2022/01/03"})
    assert bad["exception"] == "time data '2022/01/03' does not match format '%Y-%m-%d'"


def test_hotel_availability_needs_the_stay_inside_a_hotels_window() -> None:
    inside = run(
        "HotelAvailability",
        destination="San Francisco",
        check_in_date="2022-01-02",
        check_out_date="2022-01-03",
    )
    assert inside["output"] == {
        "hotels": [
            {
                "destination": "San Francisco",
                "check_in_date": "2022-01-02",
                "check_out_date": "2022-01-03",
            }
        ]
    }
    across = run(
        "HotelAvailability",
        destination="San Francisco",
        check_in_date="2022-01-01",
        check_out_date="2022-01-03",
    )
    assert across["output"] == {"hotels": []}
    bad = run(
        "HotelAvailability", destination="London", check_in_date="2022-01-04", check_out_date="soon"
    )
    assert bad["exception"] == "time data 'soon' does not match format '%Y-%m-%d'"


def test_nearby_restaurants_ignores_its_inputs() -> None:
    near = run("NearbyRestaurants", latitude="1", longitude="2", distance="5")
    far = run("NearbyRestaurants", latitude="40.7128", longitude="74.0060", distance="1000")
    assert near["output"] == far["output"]
    assert [r["name"] for r in near["output"]["restaurants"]] == [
        "Restaurant A",
        "Restaurant B",
        "Restaurant C",
        "Restaurant D",
    ]
    assert run("NearbyRestaurants", latitude="1", longitude="2", distance="1.5")["exception"] == (
        "invalid parameter type. parameter: 1.5"
    )


MEETING = {
    "meeting_topic": "Team Meeting",
    "start_time": "2023-06-08 14:00:00",
    "end_time": "2023-06-08 15:00:00",
    "location": "Conference Room A",
    "attendees": ["Mary", "Peter"],
}


def test_add_meeting_stores_numbered_meetings_and_refuses_bad_input_without_writing() -> None:
    world = level3_world()
    assert base.execute(world, "AddMeeting", MEETING)["output"] == "success"
    listed = base.execute(world, "AddMeeting", {**MEETING, "attendees": "['Jack', 'Rose']"})
    assert listed["input"]["attendees"] == ["Jack", "Rose"]
    table = world.table("apibank.Lv3Meeting")
    assert sorted(table) == ["0", "1"]
    assert table["1"]["value"]["attendees"] == ["Jack", "Rose"]
    blank = base.execute(world, "AddMeeting", {**MEETING, "meeting_topic": "  "})
    assert blank["exception"] == "Meeting Topic should not be null"
    late = base.execute(world, "AddMeeting", {**MEETING, "end_time": "2023-06-08 15:00"})
    assert late["exception"] == (
        "time data '2023-06-08 15:00' does not match format '%Y-%m-%d %H:%M:%S'"
    )
    assert sorted(table) == ["0", "1"]
    # The level-3 calendar is fixed: an added meeting is not in QueryMeeting's answer.
    mary = base.execute(world, "QueryMeeting", {"user_name": "Mary"})["output"]["meetings"]
    assert [m["meeting_name"] for m in mary] == [
        "Meeting with the client",
        "Meeting about the new project",
    ]
    missing = base.execute(world, "AddMeeting", {"meeting_topic": "x"})
    assert missing["exception"] == (
        "AddMeeting.call() missing 4 required positional arguments: "
        "'start_time', 'end_time', 'location', and 'attendees'"
    )


def test_email_reminder_validates_time_and_content() -> None:
    args = {
        "content": "Be there",
        "time": "2021-01-01 10:00:00",
        "location": "Room 1",
        "recipient": "not an email",
    }
    assert run("EmailReminder", **args)["output"] == "success"
    assert run("EmailReminder", **{**args, "content": " "})["exception"] == (
        "Content should not be empty"
    )
    assert run("EmailReminder", **{**args, "time": "tomorrow"})["exception"] == (
        "time data 'tomorrow' does not match format '%Y-%m-%d %H:%M:%S'"
    )


def test_personal_info_update_needs_the_password_and_records_the_address() -> None:
    world = level3_world()
    wrong = base.execute(
        world, "PersonalInfoUpdate", {"username": "Tom", "password": "nope", "address": "1 Road"}
    )
    assert wrong["exception"] == "User not found."
    assert len(world.table("apibank.Lv3PersonalInfo")) == 0
    done = base.execute(
        world, "PersonalInfoUpdate", {"username": "Tom", "password": "asdfgh", "address": "1 Road"}
    )
    assert done["output"] == {"status": "success"}
    assert world.table("apibank.Lv3PersonalInfo")["Tom"]["value"] == {"address": "1 Road"}
    info = base.execute(world, "AccountInfo", {"username": "Tom", "password": "asdfgh"})
    assert info["output"] == {"email": "tom@example.com", "phone": "4564564567"}


# -- checks ---------------------------------------------------------------------------------


def _result(name: str, inputs: dict[str, Any], output: Any, exception: str | None = None) -> Any:
    return {"api_name": name, "input": inputs, "output": output, "exception": exception}


def test_add_meeting_check_accepts_a_close_topic_only() -> None:
    check = base.registry(3)["AddMeeting"].check
    gold = _result("AddMeeting", MEETING, "success")
    close = _result("AddMeeting", {**MEETING, "meeting_topic": "Team Meeting today"}, "success")
    far = _result("AddMeeting", {**MEETING, "meeting_topic": "Sync"}, "success")
    other_room = _result("AddMeeting", {**MEETING, "location": "Room B"}, "success")
    assert check(close, gold)
    assert not check(far, gold)
    assert not check(other_room, gold)
    assert gold["input"]["meeting_topic"] == "Team Meeting"  # the check does not mutate


def test_checks_that_ignore_fields() -> None:
    lv3 = base.registry(3)
    reminder = {"content": "a", "time": "2021-01-01 10:00:00", "location": "R", "recipient": "x"}
    assert lv3["EmailReminder"].check(
        _result("EmailReminder", {**reminder, "content": "other words"}, "success"),
        _result("EmailReminder", reminder, "success"),
    )
    assert not lv3["EmailReminder"].check(
        _result("EmailReminder", {**reminder, "recipient": "y"}, "success"),
        _result("EmailReminder", reminder, "success"),
    )
    place = {"latitude": 1.0, "longitude": 2.0, "distance": 3}
    assert lv3["NearbyRestaurants"].check(
        _result("NearbyRestaurants", place, None, "boom"),
        _result("NearbyRestaurants", place, {"restaurants": []}),
    )
    assert not lv3["NearbyRestaurants"].check(
        _result("NearbyRestaurants", {**place, "distance": 4}, {"restaurants": []}),
        _result("NearbyRestaurants", place, {"restaurants": []}),
    )
    stay = {"destination": "X", "check_in_date": "2022-01-01", "check_out_date": "2022-01-02"}
    assert not lv3["HotelAvailability"].check(
        _result("HotelAvailability", stay, None, "bad"),
        _result("HotelAvailability", stay, {"hotels": []}),
    )
    assert not lv3["TaxCalculator"].check(
        _result("TaxCalculator", {"salary": 1.0}, None, "bad"),
        _result("TaxCalculator", {"salary": 1.0}, {"salary_after_tax": 1.0}),
    )
    update = {"username": "a", "password": "b", "address": "c"}
    assert lv3["PersonalInfoUpdate"].check(
        _result("PersonalInfoUpdate", update, {"status": "success"}, "ignored"),
        _result("PersonalInfoUpdate", update, {"status": "success"}),
    )
    assert not lv3["TravelStatus"].check(
        _result("OrganizationMembers", {"member_name": "a"}, "x"),
        _result("TravelStatus", {"member_name": "a"}, "x"),
    )


# -- fixtures -------------------------------------------------------------------------------


def _gold(name: str, inputs: dict[str, Any], output: Any) -> dict[str, Any]:
    return {
        "level": "level-3",
        "api_name": name,
        "gold_result": {"api_name": name, "input": inputs, "output": output, "exception": None},
    }


def test_fixtures_split_recommendations_by_genre_and_refuse_disagreeing_gold() -> None:
    data = fixtures.build(
        [
            _gold(
                "MovieRecommendations",
                {"preferences": ["A", "B"]},
                {"recommended_movies": ["a1", "a2", "b1", "b2"]},
            ),
            _gold("TravelStatus", {"member_name": "X"}, "Home"),
            {
                "level": "level-1",
                "api_name": "TravelStatus",
                "gold_result": {"input": {"member_name": "Y"}, "output": "Away", "exception": None},
            },
        ]
    )
    assert data.genres == {"A": ("a1", "a2"), "B": ("b1", "b2")}
    assert dict(data.lookups["TravelStatus"]) == {("X",): "Home"}
    with pytest.raises(ValueError, match="disagree on TravelStatus"):
        fixtures.build(
            [
                _gold("TravelStatus", {"member_name": "X"}, "Home"),
                _gold("TravelStatus", {"member_name": "X"}, "Away"),
            ]
        )
    with pytest.raises(ValueError, match="disagree on MovieRecommendations"):
        fixtures.build(
            [
                _gold(
                    "MovieRecommendations", {"preferences": ["A"]}, {"recommended_movies": ["1"]}
                ),
                _gold(
                    "MovieRecommendations", {"preferences": ["A"]}, {"recommended_movies": ["2"]}
                ),
            ]
        )


def test_fixtures_are_built_once_per_loaded_gold_file() -> None:
    assert fixtures.lv3_data() is fixtures.lv3_data()
    assert len(fixtures.lv3_data().hotels) == 3
    assert len(fixtures.lv3_data().flights) == 5
    assert len(fixtures.lv3_data().accounts) == 5


# -- over HTTP ------------------------------------------------------------------------------


def test_level3_calls_over_http_and_the_call_syntax() -> None:
    client = ApiBankClient(3)
    members = client.api("OrganizationMembers", organization="Tencent")
    assert members.status == 200
    assert members.json["output"] == {"members": ["Tom", "Jerry"]}
    status = client.text("[TravelStatus(member_name='Jerry')]")
    assert status.status == 200 and status.json["output"] == "Working from home"
    booked = client.text(
        "[AddMeeting(meeting_topic='Team Meeting', start_time='2023-06-08 14:00:00', "
        "end_time='2023-06-08 15:00:00', location='Conference Room A', attendees=['Jerry'])]"
    )
    assert booked.status == 200 and booked.json["input"]["attendees"] == ["Jerry"]
    refused = client.api("LikeCount", post_id=0)
    assert refused.status == 400
    assert refused.json["exception"] == "Post with ID 0 does not exist."
    assert [c["api_name"] for c in client.calls()] == [
        "OrganizationMembers",
        "TravelStatus",
        "AddMeeting",
        "LikeCount",
    ]
    assert len(client.world.table("apibank.Lv3Meeting")) == 1


def test_level3_apis_are_listed_only_at_level3() -> None:
    lv3 = ApiBankClient(3).request("GET", "/apis").json
    assert set(LV3_ONLY) <= set(lv3)
    lv1 = ApiBankClient(1)
    assert not set(LV3_ONLY) - {"AddMeeting", "QueryMeeting"} & set(
        lv1.request("GET", "/apis").json
    )
    assert lv1.api("TravelStatus", member_name="John").status == 404
    spec = ApiBankClient(3).request("GET", "/apis/QueryMeeting").json
    assert spec["description"] == (
        "The API for retrieving the meeting details from the user's calendar."
    )


def test_bad_list_values_are_refused_not_crashed() -> None:
    client = ApiBankClient(3)
    for given in ("5", "null", "'Action'"):
        reply = client.api("MovieRecommendations", preferences=given)
        assert reply.status == 400, given
    assert client.api("MovieRecommendations", preferences="5").json["exception"] == (
        "'int' object is not iterable"
    )
    assert client.api("TaxCalculator", salary=float("1e400")).status == 400


ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    "",
    " ",
    "x",
    "5",
    "[1]",
    "{}",
    "'a'",
    [],
    [1],
    [["a"]],
    {},
    {"a": 1},
    "2022-01-01",
    "2023-06-08 14:00:00",
)


@pytest.mark.parametrize("name", LV3_ONLY)
def test_odd_values_give_results_never_crashes(name: str) -> None:
    api = base.registry(3)[name]
    good = {call["api_name"]: call["param_dict_raw"] for call in gold_lv3()}[name]
    world = level3_world()
    for param in api.input_parameters:
        for value in ODD_VALUES:
            result = base.execute(world, name, {**good, param: value})
            assert set(result) == {"api_name", "input", "output", "exception"}
            json.dumps(result)  # JSON-serialisable (NaN aside, which orjson renders as null)
