"""``credential_expiry`` and ``cursor_expiry``: exact 401s and 400s at the scheduled requests,
in the service's error format, with the world untouched."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import pytest

import gym_apibench  # noqa: F401  (registers the envs)
from mockapis.faults import FaultSpecError, load_rules
from mockapis.faults.kinds.auth import DEAD_TOKENS, dead_tokens
from tests.conftest import THINGS as THINGS_TABLE
from tests.mockapis.faults.harness import Harness, attio, fake

THINGS = "/v1/things"
FRESH = "fresh-token"
EXPIRED = 'Bearer error="invalid_token", error_description="The access token expired"'
REVOKED = 'Bearer error="invalid_token", error_description="The access token has been revoked"'


def expiring(after: int = 2, **params: Any) -> Harness:
    h = fake(
        [{"name": "exp", "kind": "credential_expiry", "when": {"after": after}, "params": params}]
    )
    h.world.table("fake.tokens").put(FRESH, {"token": FRESH})
    return h


def get_as(h: Harness, token: str | None, path: str = THINGS) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {"Authorization": ""}
    return h.request("GET", path, headers=headers)


# -- credential_expiry -----------------------------------------------------------------------


def test_the_token_dies_at_the_scheduled_request_and_stays_dead() -> None:
    h = expiring(after=2)
    statuses = [h.get(THINGS).status for _ in range(5)]
    assert statuses == [200, 200, 401, 401, 401]
    assert h.hit() == [2, 3, 4]
    assert h.kinds()[2] == ("credential_expiry",)
    assert dead_tokens(h.world) == {h.token: "expire"}
    assert h.world.runtime[DEAD_TOKENS] == {h.token: "expire"}


def test_the_401_names_the_expiry_in_the_challenge_and_the_service_format() -> None:
    h = expiring(after=0)
    reply = h.get(THINGS)
    assert reply.status == 401
    assert reply.headers["www-authenticate"] == EXPIRED
    assert reply.headers["content-length"] == str(len(reply.raw))
    error = reply.json["error"]
    assert error["code"] == "invalid_token"
    assert error["message"].startswith("The access token expired.")
    a = attio([{"kind": "credential_expiry"}])
    body = a.get("/v2/self").json
    assert body["status_code"] == 401
    assert body["type"] == "auth_error"  # Attio's own shape for a 401
    assert body["code"] == "invalid_token"


def test_revocation_says_revoked() -> None:
    h = expiring(after=1, mode="revoke")
    h.get(THINGS)
    reply = h.get(THINGS)
    assert reply.headers["www-authenticate"] == REVOKED
    assert reply.json["error"]["message"].startswith("The access token has been revoked.")
    assert dead_tokens(h.world) == {h.token: "revoke"}


def test_a_fresh_token_passes_while_the_dead_one_is_refused() -> None:
    h = expiring(after=1)
    assert [get_as(h, h.token).status, get_as(h, h.token).status] == [200, 401]
    assert get_as(h, FRESH).status == 200
    assert get_as(h, h.token).status == 401
    assert get_as(h, FRESH).status == 200
    assert h.hit() == [1, 3]
    assert dead_tokens(h.world) == {h.token: "expire"}  # one rule kills one token


def test_requests_without_a_bearer_token_pass_and_kill_nothing() -> None:
    h = expiring(after=0)
    anonymous = get_as(h, None)
    assert anonymous.status == 401  # the service's own refusal, not the fault's
    assert anonymous.headers["www-authenticate"] == 'Bearer realm="api"'
    basic = h.request("GET", THINGS, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status == 401
    assert h.hit() == []
    assert h.get(THINGS).headers["www-authenticate"] == EXPIRED  # the first bearer token dies
    assert h.hit() == [2]


def test_a_second_rule_kills_a_second_token() -> None:
    h = fake(
        [
            {"name": "a", "kind": "credential_expiry", "when": {"after": 1}},
            {"name": "b", "kind": "credential_expiry", "when": {"after": 3}},
        ]
    )
    h.world.table("fake.tokens").put(FRESH, {"token": FRESH})
    assert get_as(h, h.token).status == 200
    assert get_as(h, h.token).status == 401  # killed by a
    assert get_as(h, FRESH).status == 200
    assert get_as(h, FRESH).status == 401  # killed by b
    assert dead_tokens(h.world) == {h.token: "expire", FRESH: "expire"}


def test_a_refused_write_changes_nothing() -> None:
    h = expiring(after=0)
    before = h.world.snapshot()
    reply = h.post(THINGS, {"name": "never stored"})
    assert reply.status == 401
    assert h.world.diff(before) == {}
    assert h.world.snapshot().rng_state == before.rng_state
    assert len(h.world.table(THINGS_TABLE)) == 3


def test_dead_tokens_reset_with_the_world() -> None:
    h = expiring(after=0)
    start = h.world.snapshot()
    assert h.get(THINGS).status == 401
    h.world.restore(start)
    assert dead_tokens(h.world) == {}


def test_credential_expiry_is_deterministic_in_the_env() -> None:
    def rollout() -> list[Any]:
        env = gym.make(
            "apibench/attio.record-by-id-v1",
            faults=[{"kind": "credential_expiry", "when": {"after": 2}}],
        )
        _, info = env.reset(seed=5)
        task = info["task"]
        action = {
            "method": "GET",
            "url": task["services"]["attio"] + "/v2/self",
            "headers": {"Authorization": f"Bearer {task['credentials']['attio']['token']}"},
        }
        return [(obs, step_info["faults"]) for obs, *_, step_info in map(env.step, [action] * 4)]

    first = rollout()
    assert first == rollout()
    assert [obs["status"] for obs, _ in first] == [200, 200, 401, 401]
    assert first[2][1] == [{"step": 3, "rule": "credential_expiry#0", "kind": "credential_expiry"}]


# -- cursor_expiry ---------------------------------------------------------------------------


def test_a_request_carrying_the_cursor_gets_invalid_cursor() -> None:
    h = fake([{"kind": "cursor_expiry", "where": {"path": THINGS}}])
    assert h.get(THINGS).status == 200
    assert h.get(THINGS + "?cursor=").status == 200  # an empty cursor is the first page
    reply = h.get(THINGS + "?page=2&cursor=abc123")
    assert reply.status == 400
    assert reply.headers["content-length"] == str(len(reply.raw))
    error = reply.json["error"]
    assert error["code"] == "invalid_cursor"
    assert error["message"] == (
        "The cursor 'abc123' has expired or is no longer valid. Start the listing again from "
        "the first page (without cursor)."
    )
    assert h.hit() == [2]


def test_cursor_expiry_hits_exactly_the_scheduled_requests() -> None:
    h = fake([{"kind": "cursor_expiry", "when": {"every": 2}}])
    statuses = [h.get(f"{THINGS}?cursor=c{i}").status for i in range(6)]
    assert statuses == [200, 400, 200, 400, 200, 400]
    assert h.hit() == [1, 3, 5]


def test_a_json_body_field_and_a_custom_message() -> None:
    rule = {
        "kind": "cursor_expiry",
        "where": {"path": "/v2/objects/*/records/query"},
        "params": {"param": "offset", "message": "Pagination expired; query again."},
    }
    h = attio([rule])
    query = "/v2/objects/people/records/query"
    assert h.post(query, {"limit": 5}).status == 200
    assert h.post(query, {"limit": 5, "offset": None}).status == 200
    reply = h.post(query, {"limit": 5, "offset": 5})
    assert reply.status == 400
    assert reply.json == {
        "status_code": 400,
        "type": "invalid_request_error",
        "code": "invalid_cursor",
        "message": "Pagination expired; query again.",
    }
    assert h.hit() == [2]


def test_load_errors() -> None:
    with pytest.raises(FaultSpecError, match=r"faults\[0\]\.params\.param: must name"):
        load_rules([{"kind": "cursor_expiry", "params": {"param": ""}}])
    with pytest.raises(FaultSpecError, match=r"must be one of \['expire', 'revoke'\]"):
        load_rules([{"kind": "credential_expiry", "params": {"mode": "expired"}}])
    (expiry, cursor) = load_rules([{"kind": "credential_expiry"}, {"kind": "cursor_expiry"}])
    assert dict(expiry.params) == {"mode": "expire"}
    assert dict(cursor.params) == {"param": "cursor", "message": None}
