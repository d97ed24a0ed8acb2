"""The API-Bank service over HTTP: dispatch, parameter checking, the call log, state."""

from __future__ import annotations

from pathlib import Path

from mockapis.apibank import SERVICE, base
from mockapis.world import World
from tests.mockapis.apibank.conftest import ApiBankClient

JOHN = "a9s8d7f6g5h4j3k2l1"


def test_token_flow_writes_then_reads(client: ApiBankClient) -> None:
    token = client.api("GetUserToken", username="JohnDoe", password="pass123").json
    assert token["output"] == {"token": JOHN}
    added = client.api("AddAlarm", token=JOHN, time="2023-04-01 06:00:00")
    assert added.status == 200 and added.json["output"] == "success"
    found = client.api("QueryAlarm", token=JOHN, time="2023-04-01 06:00:00").json
    assert found["output"] == {"username": "JohnDoe", "time": "2023-04-01 06:00:00"}
    assert [c["api_name"] for c in client.calls()] == ["GetUserToken", "AddAlarm", "QueryAlarm"]
    assert [c["seq"] for c in client.calls()] == [1, 2, 3]


def test_parameter_checking_uses_the_tool_managers_messages(client: ApiBankClient) -> None:
    extra = client.api("GetUserToken", username="JohnDoe", password="x", email="y")
    assert extra.status == 400
    assert extra.json["exception"] == "invalid parameter name. parameter: email"
    missing = client.api("AddAgenda", token=JOHN, content="x")
    assert missing.json["exception"] == (
        "AddAgenda.call() missing 2 required positional arguments: 'time' and 'location'"
    )
    bad_int = client.api(
        "BookHotel",
        hotel_name="H",
        check_in_time="2023-01-01",
        check_out_time="2023-01-02",
        room_count="one",
        adult_count="1",
        child_count="0",
    )
    assert bad_int.json["exception"] == "invalid parameter type. parameter: one"
    typed = client.api(
        "BookHotel",
        hotel_name="H",
        check_in_time="2023-01-01",
        check_out_time="2023-01-02",
        room_count="1",
        adult_count=2,
        child_count="0",
    ).json
    assert typed["input"]["room_count"] == 1 and typed["output"] == "11"


def test_an_unknown_api_is_a_404_result_and_logged(client: ApiBankClient) -> None:
    reply = client.api("NoSuchApi", a="b")
    assert reply.status == 404
    assert reply.json == {
        "api_name": "NoSuchApi",
        "input": {"a": "b"},
        "output": None,
        "exception": "invalid tool name.",
    }
    assert client.calls()[-1]["api_name"] == "NoSuchApi"


def test_a_refused_call_writes_nothing_but_its_log_entry(client: ApiBankClient) -> None:
    before = dict(client.world.table("apibank.Agenda"))
    reply = client.api(
        "AddAgenda", token="bad", content="Lunch", time="2023-04-01 12:00:00", location="Cafe"
    )
    assert reply.status == 400 and reply.json["exception"] == "The token is invalid."
    assert dict(client.world.table("apibank.Agenda")) == before
    assert client.calls()[-1]["exception"] == "The token is invalid."


def test_call_syntax_and_function_calls(client: ApiBankClient) -> None:
    syntax = client.text("[QueryStock(stock_code='aapl', date='2022-01-03')]")
    assert syntax.status == 200 and syntax.json["output"] == 184.5
    function = client.text(
        '{"name": "QueryStock", "arguments": "{\\"stock_code\\": \\"AAPL\\", '
        '\\"date\\": \\"2022-01-04\\"}"}',
        "application/json",
    )
    assert function.json["output"] == 185.2
    broken = client.text("[QueryStock(stock_code='AAPL'")
    assert broken.status == 400 and broken.json["exception"].startswith("Cannot parse")
    assert client.calls()[-1]["api_name"] is None


def test_a_list_written_as_a_string_may_hold_apostrophes(client: ApiBankClient) -> None:
    # API-Bank reads "['...']" by swapping quotes into JSON, which breaks on O'Brien;
    # the service falls back to the call syntax's literal reader, so the call goes through.
    token = client.api("GetUserToken", {"username": "JohnDoe", "password": "pass123"})
    meeting = {
        "token": token.json["output"]["token"],
        "meeting_topic": "Budget review",
        "start_time": "2023-11-12 15:00:00",
        "end_time": "2023-11-12 16:00:00",
        "location": "Room 4",
        "attendees": "['Aoife O'Brien', 'Li Wei']",
    }
    reply = client.api("AddMeeting", meeting)
    assert reply.status == 200, reply.json
    assert reply.json["output"] == "success"
    unreadable = client.api("AddMeeting", {**meeting, "attendees": "['unterminated"})
    assert unreadable.status == 400 and unreadable.json["exception"]


def test_malformed_bodies_are_clear_400s(client: ApiBankClient) -> None:
    reply = client.request("POST", "/apis/GetToday", b"[1, 2]", "application/json")
    assert reply.status == 400 and "JSON object" in reply.json["exception"]
    empty = client.request("POST", "/apis/GetToday")
    assert empty.status == 200 and empty.json["output"] == "2023-03-31"
    assert empty.json["input"] is None


def test_listing_and_specs(client: ApiBankClient, imported: Path) -> None:
    names = client.request("GET", "/apis").json
    assert len(names) == 53 and "ToolSearcher" in names and "AccountInfo" not in names
    assert len(ApiBankClient(3).request("GET", "/apis").json) == 22
    spec = client.request("GET", "/apis/AddAlarm").json
    assert list(spec["input_parameters"]) == ["token", "time"]
    assert client.request("GET", "/apis/Nope").status == 404


def test_writes_follow_upstream_rules(client: ApiBankClient) -> None:
    assert (
        client.api("OpenBankAccount", account="test", password="p", name="n").json["output"]
        == "failed"
    )
    assert (
        client.api("OpenBankAccount", account="new", password="p", name="n").json["output"]
        == "success"
    )
    code = client.api(
        "ForgotPassword", status="Forgot Password", username="foo", email="foo@example.com"
    ).json
    assert code["output"] == 970420 and code["input"] == {
        "status": "Forgot Password",
        "username": "foo",
        "email": "foo@example.com",
    }
    done = client.api(
        "ForgotPassword",
        status="Verification Code",
        verification_code="970420",
        new_password="n3w",
    ).json
    assert done["output"] == "success"
    assert client.api("GetUserToken", username="foo", password="n3w").status == 200


def test_register_user_tokens_come_from_the_episode_rng(imported: Path) -> None:
    tokens = [
        ApiBankClient(1, seed)
        .api("RegisterUser", username="u", password="p", email="e")
        .json["output"]["token"]
        for seed in (0, 0, 1)
    ]
    assert tokens[0] == tokens[1] != tokens[2] and len(tokens[0]) == 18


def test_replay_applies_without_logging(imported: Path) -> None:
    world = World(0)
    SERVICE.seed(world, {"level": 1})
    result = base.replay(world, "DeleteScene", {"name": "Bedtime"})
    assert result["output"] == "success"
    assert "bedtime" not in world.table("apibank.Scenes")
    assert len(world.table("apibank._calls")) == 0


def test_checks_follow_upstream(imported: Path) -> None:
    agenda = base.APIS["AddAgenda"]
    gold = {
        "api_name": "AddAgenda",
        "input": {
            "token": JOHN,
            "content": "Meeting with John",
            "time": "2023-09-12 14:00:00",
            "location": "office",
        },
        "output": "success",
        "exception": None,
    }
    close = {**gold, "input": {**gold["input"], "content": "Meeting with John today"}}
    far = {**gold, "input": {**gold["input"], "content": "Lunch"}}
    assert base.check_result(agenda, close, gold) and not base.check_result(agenda, far, gold)
    delete = base.APIS["DeleteMeeting"]
    meeting = {
        "api_name": "DeleteMeeting",
        "output": "success",
        "exception": None,
        "input": {"meeting_topic": "Sync", "start_time": "2023-03-20 14:00:00"},
    }
    assert base.check_result(delete, meeting, meeting)
