"""The control plane: bearer-token guard, score, reset, submit, health."""

from __future__ import annotations

from typing import Any

import pytest

from mockapis.control import control_app, new_token
from mockapis.gateway import Gateway
from tests.conftest import FAKE_HOST, Send, send_to

CONTROL = f"https://{FAKE_HOST}/_apibench"


class Recorder:
    """Stands in for an episode: counts resets, keeps the submitted answer."""

    def __init__(self) -> None:
        self.resets = 0
        self.answer: Any = None

    def score(self) -> dict[str, Any]:
        return {"reward": 0.5, "success": False, "checks": [], "answer": self.answer}

    def reset(self) -> None:
        self.resets += 1

    def submit(self, answer: Any) -> None:
        self.answer = answer


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def control_send(gateway: Gateway, recorder: Recorder, token: str) -> Send:
    gateway.control = control_app(token, recorder.score, recorder.reset, submit=recorder.submit)
    return send_to(gateway)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def test_tokens_are_random():
    assert new_token() != new_token()
    assert len(new_token()) >= 32


def test_empty_token_refused():
    with pytest.raises(ValueError, match="must not be empty"):
        control_app("", dict, lambda: None)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/health"), ("GET", "/score"), ("POST", "/reset"), ("POST", "/submit")],
)
@pytest.mark.parametrize("kind", ["none", "agent", "wrong", "basic", "empty"])
def test_every_route_needs_the_control_token(
    control_send: Send, recorder: Recorder, auth: dict[str, str], method: str, path: str, kind: str
):
    headers = {
        "none": {},
        "agent": auth,  # the agent's own service credentials
        "wrong": bearer("not-the-token"),
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "empty": {"Authorization": "Bearer "},
    }[kind]
    reply = control_send(method, CONTROL + path, headers=headers, json_body={"answer": 1})
    assert reply.status == 401
    assert reply.json["error"] == "unauthorized"
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert recorder.resets == 0 and recorder.answer is None


def test_score_reset_submit_health(control_send: Send, recorder: Recorder, token: str):
    assert control_send("GET", CONTROL + "/health", headers=bearer(token)).json == {"status": "ok"}
    assert control_send("GET", CONTROL + "/score", headers=bearer(token)).json["reward"] == 0.5
    reply = control_send(
        "POST", CONTROL + "/submit", headers=bearer(token), json_body={"answer": [1]}
    )
    assert reply.status == 200 and recorder.answer == [1]
    assert control_send("GET", CONTROL + "/score", headers=bearer(token)).json["answer"] == [1]
    assert control_send("POST", CONTROL + "/reset", headers=bearer(token)).status == 200
    assert recorder.resets == 1


def test_submit_needs_an_answer_key(control_send: Send, token: str):
    reply = control_send(
        "POST",
        CONTROL + "/submit",
        headers={**bearer(token), "content-type": "application/json"},
        body=b"not json",
    )
    assert reply.status == 400
    assert "answer" in reply.json["message"]


def test_control_is_not_reachable_as_a_service(control_send: Send, token: str):
    # The control plane lives under the gateway's prefix only, never under a service.
    reply = control_send("GET", f"https://{FAKE_HOST}/fake/_apibench/score", headers=bearer(token))
    assert reply.status == 404
