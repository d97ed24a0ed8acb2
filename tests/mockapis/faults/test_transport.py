"""Transport faults in process: the status-0 observation a real client's error would give."""

from __future__ import annotations

import json
import re
from typing import Any

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.episode import Episode
from gym_apibench.solving import auth_headers
from mockapis.clock import REQUEST_TICK_NS
from mockapis.faults import KINDS, FaultSpecError, Reply, load_rules
from mockapis.faults.kinds.transport import client_error, cut_response

ATTIO = "attio.note-per-company"
NOTES = "/v2/notes"
NEVER_RUNS = ("connection_refused", "connection_reset", "empty_response", "garbage", "read_timeout")
TRANSPORT = (*NEVER_RUNS, "truncated_body")
MESSAGES = {
    "connection_refused": r"ConnectError: \[Errno 111\] Connection refused",
    "connection_reset": r"ReadError: \[Errno 104\] Connection reset by peer",
    "empty_response": r"RemoteProtocolError: Server disconnected without sending a response\.",
    "garbage": r"RemoteProtocolError: illegal status line: bytearray\(b.+\)",
    "read_timeout": r"ReadTimeout: timed out \(no response within 30 seconds\)",
    "truncated_body": (
        r"RemoteProtocolError: peer closed connection without sending complete message body "
        r"\(received (\d+) bytes, expected (\d+)\)"
    ),
}


def every_third_note(kind: str, **params: Any) -> list[dict[str, Any]]:
    """One rule: ``kind`` on every third note creation (the 3rd, 6th ...)."""
    where = {"service": "attio", "method": "POST", "path": NOTES}
    return [{"name": "cut", "kind": kind, "params": params, "where": where, "when": {"every": 3}}]


def episode(faults: Any, seed: int = 3) -> Episode:
    assert ATTIO in gym_apibench.scenario_ids()
    return Episode(ATTIO, seed, faults=faults)


def act(ep: Episode, method: str, path: str, body: Any = None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "method": method,
        "url": ep.base_urls["attio"] + path,
        "headers": auth_headers(ep.task["credentials"]["attio"]),
    }
    if body is not None:
        action["json"] = body
    return ep.request(action)


def note(ep: Episode, title: str) -> dict[str, Any]:
    person = sorted(ep.world.table("attio.people"))[0]
    data = {"parent_object": "people", "parent_record_id": person, "title": title}
    return {"data": {**data, "format": "plaintext", "content": "x" * 40}}


def titles(ep: Episode) -> set[str]:
    return {n["title"] for n in ep.world.table("attio.notes").values()}


def play(ep: Episode, count: int = 6) -> list[dict[str, Any]]:
    """``count`` note creations, each after an unmatched GET; the creations' observations."""
    seen = []
    for i in range(count):
        assert act(ep, "GET", "/v2/self")["status"] == 200  # not matched: not counted
        seen.append(act(ep, "POST", NOTES, note(ep, f"note {i}")))
    return seen


def error_of(observation: dict[str, Any]) -> dict[str, Any]:
    assert observation["status"] == 0
    body: dict[str, Any] = json.loads(observation["body"])
    assert set(body) == {"error", "message"}
    return body


def test_the_kinds_are_registered_as_transport_faults():
    for name in TRANSPORT:
        assert KINDS[name].transport, name


@pytest.mark.parametrize("kind", NEVER_RUNS)
def test_kind_fails_exactly_the_scheduled_requests_and_the_service_never_runs(kind: str):
    ep = episode(every_third_note(kind))
    before = titles(ep)
    seen = play(ep)
    faulted = [i for i, obs in enumerate(seen) if obs["status"] == 0]
    assert faulted == [2, 5]
    for i in faulted:
        error = error_of(seen[i])
        assert error["error"] == kind
        assert re.fullmatch(MESSAGES[kind], error["message"]), error["message"]
    assert all(seen[i]["status"] == 200 for i in range(6) if i not in faulted)
    # The world holds the answered creations only.
    assert titles(ep) - before == {f"note {i}" for i in (0, 1, 3, 4)}
    posts = [e for e in ep.world.log if e.method == "POST"]
    assert [e.status for e in posts] == [200, 200, 0, 200, 200, 0]
    assert [e.faults for e in posts if e.faults] == [(("cut", kind),)] * 2


def test_truncated_body_lets_the_write_stand_and_names_the_cut():
    ep = episode(every_third_note("truncated_body", fraction=0.25))
    before = titles(ep)
    seen = play(ep)
    assert [i for i, obs in enumerate(seen) if obs["status"] == 0] == [2, 5]
    assert titles(ep) - before == {f"note {i}" for i in range(6)}
    for i in (2, 5):
        error = error_of(seen[i])
        assert error["error"] == "truncated_body"
        match = re.fullmatch(MESSAGES["truncated_body"], error["message"])
        assert match is not None, error["message"]
        received, expected = int(match[1]), int(match[2])
        answered = len(seen[i - 1]["body"].encode())  # a sibling creation: about the same size
        assert abs(expected - answered) < 16
        assert received == int(expected * 0.25)


def test_read_timeout_moves_the_virtual_clock_by_its_timeout():
    ep = episode(every_third_note("read_timeout", timeout=7.5))
    for _ in range(2):
        act(ep, "POST", NOTES, note(ep, "fine"))
    start = ep.world.clock.now_ns
    error = error_of(act(ep, "POST", NOTES, note(ep, "lost")))
    assert error["message"] == "ReadTimeout: timed out (no response within 7.5 seconds)"
    assert ep.world.clock.now_ns - start == REQUEST_TICK_NS + 7_500_000_000


def test_schedules_and_bytes_are_deterministic():
    rules = [
        *every_third_note("garbage", size=48),
        {"name": "coin", "kind": "truncated_body", "when": {"probability": 0.5}},
    ]

    def run(seed: int) -> tuple[list[dict[str, Any]], str]:
        ep = episode(rules, seed)
        seen = []
        for i in range(8):
            seen.append(act(ep, "GET", "/v2/self"))
            seen.append(act(ep, "POST", NOTES, note(ep, f"note {i}")))
        return seen, ep.world.state_hash()

    first, again, other = run(3), run(3), run(4)
    assert first == again
    assert {kind_of(o) for o in first[0]} == {None, "garbage", "truncated_body"}
    junk, other_junk = (
        [json.loads(o["body"])["message"] for o in seen if kind_of(o) == "garbage"]
        for seen, _ in (first, other)
    )
    assert junk and other_junk and junk != other_junk  # junk is drawn per seed


def kind_of(observation: dict[str, Any]) -> str | None:
    """The transport fault an observation names, if any."""
    if observation["status"] != 0:
        return None
    return str(json.loads(observation["body"])["error"])


def test_env_info_names_the_transport_fault():
    env = gym.make(f"apibench/{ATTIO}-v1", faults=[{"kind": "connection_reset"}])
    _, info = env.reset(seed=0)
    task = info["task"]
    action = {
        "method": "GET",
        "url": task["services"]["attio"] + "/v2/self",
        "headers": auth_headers(task["credentials"]["attio"]),
    }
    obs, _, _, _, info = env.step(action)
    assert obs["status"] == 0 and json.loads(obs["body"])["error"] == "connection_reset"
    assert [f["kind"] for f in info["faults"]] == ["connection_reset"]
    env.close()


def test_cut_response_announces_the_whole_body_and_misses_at_least_a_byte():
    reply = Reply(200, [(b"content-type", b"text/plain"), (b"content-length", b"99")], b"abcd")
    assert cut_response("GET", reply, 0.5) == (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 4\r\n\r\nab"
    )
    assert cut_response("GET", reply, 1.0).endswith(b"\r\n\r\nabc")
    assert client_error("GET", cut_response("GET", reply, 1.0)).endswith(
        "(received 3 bytes, expected 4)"
    )
    # Nothing to cut in a body: the head is cut instead.
    for method, status, body in (("HEAD", 200, b""), ("GET", 204, b""), ("GET", 200, b"")):
        wire = cut_response(method, Reply(status, [], body), 0.5)
        assert wire.startswith(f"HTTP/1.1 {status} ".encode()) and wire.count(b"\r\n") == 1
        assert client_error(method, wire) == (
            "RemoteProtocolError: Server disconnected without sending a response."
        )


def test_client_error_refuses_a_complete_response():
    with pytest.raises(ValueError, match="complete response"):
        client_error("GET", b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("garbage", {"size": 3}, "faults[0].params.size: must be >= 4"),
        ("truncated_body", {"fraction": 1.5}, "faults[0].params.fraction: must be <= 1"),
        ("read_timeout", {"timeout": "long"}, "faults[0].params.timeout: must be an integer or"),
        ("connection_reset", {"after": 1}, "valid parameters: none"),
        ("read_timeout", {"timout": 1}, "did you mean 'timeout'"),
        ("read_timeout", {"timeout": float("nan")}, "params.timeout: must be a finite number"),
        ("truncated_body", {"fraction": float("nan")}, "params.fraction: must be a finite"),
    ],
)
def test_bad_params_are_load_errors(kind: str, params: dict[str, Any], message: str):
    with pytest.raises(FaultSpecError, match=re.escape(message)):
        load_rules([{"kind": kind, "params": params}])
