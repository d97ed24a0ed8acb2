"""The loopback relay: program requests become env actions, observations become responses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gym_apibench.llm.relay import Exchange, Relay


@pytest.fixture
def relay() -> Iterator[Relay]:
    server = Relay(
        {"svc": "https://api.example.com", "_host/auth.example.com": "https://auth.example.com"},
        timeout=5,
    )
    yield server
    server.close()


def _exchange(
    relay: Relay, observation: dict[str, Any] | None, request: Any
) -> tuple[Exchange, Any]:
    """Send ``request()`` in a thread, answer its exchange with ``observation``."""
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["response"] = request()
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    exchange: Exchange = relay.sink.get(timeout=5)
    exchange.reply(observation)
    thread.join(timeout=5)
    return exchange, outcome.get("response", outcome.get("error"))


def test_request_becomes_an_action_and_the_response_is_rewritten(relay: Relay) -> None:
    url = relay.url("svc") + "/v1/items?page=2"
    observation = {
        "status": 201,
        "headers": {
            "content-type": "application/json",
            "link": '<https://api.example.com/v1/items?page=3>; rel="next"',
            "content-length": "999",
        },
        "body": '{"next": "https://api.example.com/v1/items?page=3"}',
    }
    exchange, response = _exchange(
        relay,
        observation,
        lambda: httpx.post(url, json={"a": 1}, headers={"Authorization": "Bearer t"}),
    )
    action = exchange.action
    assert action["method"] == "POST" and action["url"] == "https://api.example.com/v1/items?page=2"
    headers = {k.lower(): v for k, v in action["headers"].items()}
    assert headers["authorization"] == "Bearer t" and action["body"] == '{"a":1}'
    assert "host" not in headers and "content-length" not in headers
    assert response.status_code == 201
    relayed = relay.url("svc") + "/v1/items?page=3"
    assert response.headers["link"] == f'<{relayed}>; rel="next"'
    assert response.json() == {"next": relayed}


def test_other_hosts_of_a_service(relay: Relay) -> None:
    url = relay.url("_host/auth.example.com") + "/oauth/token"
    exchange, _ = _exchange(
        relay,
        {"status": 200, "headers": {}, "body": "{}"},
        lambda: httpx.post(url, data={"a": "b"}),
    )
    assert exchange.action["url"] == "https://auth.example.com/oauth/token"
    assert exchange.action["body"] == "a=b"


def test_a_transport_fault_drops_the_connection(relay: Relay) -> None:
    _, outcome = _exchange(
        relay,
        {"status": 0, "headers": {}, "body": "connection reset"},
        lambda: httpx.get(relay.url("svc") + "/x"),
    )
    assert isinstance(outcome, httpx.RemoteProtocolError)


def test_unknown_prefix_is_not_an_env_step(relay: Relay) -> None:
    response = httpx.get(relay.base + "/nowhere/x")
    assert response.status_code == 502 and relay.url("svc") in response.text
    assert relay.sink.empty()
