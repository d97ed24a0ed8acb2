"""``rate_limit``: fixed windows and token buckets, per token/route/both/global; exact 429s,
Retry-After (seconds or HTTP date), IETF and GitHub quota headers, penalties, determinism."""

from __future__ import annotations

import json
from typing import Any

import gymnasium as gym
import pytest

import gym_apibench  # noqa: F401  (registers the envs)
from gym_apibench.solving import retry_after
from mockapis.clock import NS_PER_SECOND
from mockapis.faults import FaultSpecError, load_rules
from mockapis.kit import QuotaPolicy, github_ratelimit, http_date, ratelimit, ratelimit_policy
from tests.conftest import THINGS as THINGS_TABLE
from tests.mockapis.faults.harness import Harness, attio, fake

THINGS = "/v1/things"
WHOAMI = "/v1/whoami"
EPOCH_S = 1_700_000_000
"""The harness worlds' epoch (World's default), in seconds."""
OTHER_TOKEN = "token-b"


def limited(**params: Any) -> Harness:
    h = fake([{"name": "rl", "kind": "rate_limit", "params": params}])
    h.world.table("fake.tokens").put(OTHER_TOKEN, {"token": OTHER_TOKEN})
    return h


def ietf(remaining: int, reset: int, *, limit: int, window: int) -> dict[str, str]:
    """The IETF headers as the kit writes them, named as they arrive (lowercase)."""
    found = {
        **ratelimit_policy(QuotaPolicy("rl", quota=limit, window=window)),
        **ratelimit("rl", remaining=remaining, reset=reset),
    }
    return {k.lower(): v for k, v in found.items()}


def quota_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.startswith(("ratelimit", "x-ratelimit"))}


def wait(h: Harness, seconds: float) -> None:
    h.world.clock.advance(seconds)


# -- fixed window ----------------------------------------------------------------------------


def test_fixed_window_answers_429_exactly_after_the_limit() -> None:
    h = limited(limit=3, window=10)
    statuses = [h.get(THINGS).status for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert h.hit() == [3, 4]
    assert h.kinds()[3] == ("rate_limit",)


def test_ietf_headers_on_every_response_success_or_429() -> None:
    h = limited(limit=2, window=10)
    first, second, refused = h.get(THINGS), h.get(THINGS), h.get(THINGS)
    # The window is [epoch, epoch + 10 s); requests come at 0.05 s, 0.10 s, 0.15 s.
    assert quota_headers(first.headers) == ietf(1, 10, limit=2, window=10)
    assert quota_headers(second.headers) == ietf(0, 10, limit=2, window=10)
    assert quota_headers(refused.headers) == ietf(0, 10, limit=2, window=10)
    assert first.headers["ratelimit-policy"] == '"rl";q=2;w=10'
    assert first.headers["ratelimit"] == '"rl";r=1;t=10'
    assert "retry-after" not in first.headers
    assert refused.headers["retry-after"] == "10"
    assert refused.headers["content-length"] == str(len(refused.raw))


def test_the_429_body_is_in_the_service_format() -> None:
    h = limited(limit=1, window=30)
    h.get(THINGS)
    error = h.get(THINGS).json["error"]  # the fake service's {"error": {code, message}}
    assert error["code"] == "rate_limit_exceeded"
    assert error["message"] == (
        "Rate limit exceeded: at most 1 requests per 30 seconds per token. Retry in 30 seconds."
    )
    a = attio([{"kind": "rate_limit", "params": {"limit": 1}}])
    a.get("/v2/self")
    body = a.get("/v2/self").json
    assert body["status_code"] == 429
    assert body["code"] == "rate_limit_exceeded"
    assert set(body) == {"status_code", "type", "code", "message"}


def test_honouring_retry_after_lets_the_next_request_through() -> None:
    h = limited(limit=2, window=10)
    h.get(THINGS), h.get(THINGS)
    refused = h.get(THINGS)
    wait(h, int(refused.headers["retry-after"]))
    reply = h.get(THINGS)
    assert reply.status == 200
    assert reply.headers["ratelimit"] == '"rl";r=1;t=10'  # a fresh window
    assert h.hit() == [2]


def test_refused_requests_do_not_use_the_quota() -> None:
    h = limited(limit=2, window=10)
    for _ in range(6):
        h.get(THINGS)
    wait(h, 10)
    assert [h.get(THINGS).status for _ in range(3)] == [200, 200, 429]


def test_an_early_retry_is_refused_and_without_penalty_the_block_is_unchanged() -> None:
    h = limited(limit=1, window=10)
    h.get(THINGS)
    assert h.get(THINGS).headers["retry-after"] == "10"  # at 0.10 s: block until 10 s
    wait(h, 3)
    early = h.get(THINGS)  # at 3.15 s
    assert early.status == 429
    assert early.headers["retry-after"] == "7"
    wait(h, 7)
    assert h.get(THINGS).status == 200  # at 10.20 s


def test_penalty_extends_the_block_for_each_early_request() -> None:
    h = limited(limit=1, window=10, penalty=5)
    h.get(THINGS)
    assert h.get(THINGS).headers["retry-after"] == "10"  # block until 10 s
    wait(h, 3)
    early = h.get(THINGS)  # at 3.15 s: block until 15 s
    assert early.status == 429
    assert early.headers["retry-after"] == "12"
    assert early.headers["ratelimit"] == '"rl";r=0;t=12'
    wait(h, 7)
    assert h.get(THINGS).headers["retry-after"] == "10"  # at 10.20 s: until 20 s
    wait(h, 9)
    assert h.get(THINGS).headers["retry-after"] == "6"  # at 19.25 s: until 25 s
    wait(h, 6)
    assert h.get(THINGS).status == 200  # 25.30 s
    assert h.hit() == [1, 2, 3, 4]


# -- token bucket ----------------------------------------------------------------------------


def test_token_bucket_refills_continuously() -> None:
    # Two tokens, refilled at one per 5 s.
    h = limited(algorithm="token_bucket", limit=2, window=10)
    assert [h.get(THINGS).status for _ in range(2)] == [200, 200]
    wait(h, 5)  # a whole token back (5.15 s), where a fixed window would still be full
    reply = h.get(THINGS)
    assert reply.status == 200
    assert reply.headers["ratelimit"] == '"rl";r=0;t=10'  # full again in 9.95 s
    refused = h.get(THINGS)
    assert refused.status == 429
    # At 5.20 s the bucket holds 0.03 tokens; the next whole one comes at 10.05 s.
    assert refused.headers["retry-after"] == "6"
    wait(h, 6)
    assert h.get(THINGS).status == 200


def test_token_bucket_partial_refill_is_not_a_token() -> None:
    h = limited(algorithm="token_bucket", limit=2, window=10)
    h.get(THINGS), h.get(THINGS)
    wait(h, 2.5)  # half a token
    assert h.get(THINGS).status == 429
    fixed = limited(limit=2, window=10)
    fixed.get(THINGS), fixed.get(THINGS)
    wait(fixed, 5)
    assert fixed.get(THINGS).status == 429  # the same 5 s do not reopen a fixed window


def test_token_bucket_never_holds_more_than_its_capacity() -> None:
    h = limited(algorithm="token_bucket", limit=3, window=30)
    wait(h, 3600)
    assert [h.get(THINGS).status for _ in range(4)] == [200, 200, 200, 429]


# -- scopes ----------------------------------------------------------------------------------


def _as(h: Harness, path: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return h.request("GET", path, headers=headers).status


def test_token_scope_keeps_a_bucket_per_token() -> None:
    h = limited(limit=1, window=60)
    assert [_as(h, THINGS), _as(h, THINGS)] == [200, 429]
    assert _as(h, THINGS, OTHER_TOKEN) == 200
    assert _as(h, WHOAMI) == 429  # the same token, another route: the same bucket


def test_route_scope_keeps_a_bucket_per_method_and_path() -> None:
    h = limited(limit=1, window=60, scope="route")
    assert [_as(h, THINGS), _as(h, THINGS, OTHER_TOKEN)] == [200, 429]
    assert _as(h, WHOAMI) == 200
    assert h.post(THINGS, {"name": "x"}).status == 201  # POST is another route


def test_token_route_scope_keeps_a_bucket_per_token_and_route() -> None:
    h = limited(limit=1, window=60, scope="token_route")
    assert [_as(h, THINGS), _as(h, THINGS)] == [200, 429]
    assert _as(h, THINGS, OTHER_TOKEN) == 200
    assert _as(h, WHOAMI) == 200


def test_global_scope_shares_one_bucket() -> None:
    h = limited(limit=2, window=60, scope="global")
    assert [_as(h, THINGS), _as(h, WHOAMI, OTHER_TOKEN), _as(h, "/v1/things/thing_1")] == [
        200,
        200,
        429,
    ]


def test_only_matching_requests_are_counted() -> None:
    h = fake([{"kind": "rate_limit", "where": {"path": THINGS}, "params": {"limit": 1}}])
    assert [h.get(THINGS).status, h.get(THINGS).status] == [200, 429]
    other = h.get(WHOAMI)
    assert other.status == 200
    assert "ratelimit" not in other.headers


# -- header and Retry-After styles -----------------------------------------------------------


def test_github_headers() -> None:
    h = limited(limit=2, window=60, headers="github")
    first, _, refused = h.get(THINGS), h.get(THINGS), h.get(THINGS)
    reset_at = EPOCH_S + 60
    assert quota_headers(first.headers) == github_ratelimit(limit=2, remaining=1, reset_at=reset_at)
    assert quota_headers(first.headers) == {
        "x-ratelimit-limit": "2",
        "x-ratelimit-remaining": "1",
        "x-ratelimit-reset": str(reset_at),
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
    }
    assert quota_headers(refused.headers) == github_ratelimit(
        limit=2, remaining=0, reset_at=reset_at
    )
    assert refused.headers["x-ratelimit-used"] == "2"
    assert refused.headers["retry-after"] == "60"


def test_retry_after_as_an_http_date_with_the_date_it_is_measured_against() -> None:
    h = limited(limit=1, window=10, retry_after="http_date")
    h.get(THINGS)
    refused = h.get(THINGS)  # at 0.10 s
    assert refused.headers["date"] == http_date(EPOCH_S * NS_PER_SECOND)
    assert refused.headers["retry-after"] == http_date((EPOCH_S + 10) * NS_PER_SECOND)
    assert refused.headers["retry-after"] == "Tue, 14 Nov 2023 22:13:30 GMT"
    delay = retry_after({"headers": refused.headers})
    assert delay == 10
    wait(h, delay)
    assert h.get(THINGS).status == 200


def test_no_retry_after_and_no_headers() -> None:
    h = limited(limit=1, window=10, retry_after="none", headers="none")
    ok, refused = h.get(THINGS), h.get(THINGS)
    assert quota_headers(ok.headers) == {} == quota_headers(refused.headers)
    assert refused.status == 429
    assert "retry-after" not in refused.headers


# -- the world, determinism, and loading -----------------------------------------------------


def test_a_429_changes_nothing_in_the_world() -> None:
    h = limited(limit=1, window=60)
    h.get(THINGS)
    before, rng = h.world.snapshot(), h.world.snapshot().rng_state
    refused = h.post(THINGS, {"name": "not created"})
    assert refused.status == 429
    assert h.world.diff(before) == {}
    assert h.world.snapshot().rng_state == rng
    assert len(h.world.table(THINGS_TABLE)) == 3


def test_buckets_reset_with_the_world() -> None:
    h = limited(limit=1, window=60)
    start = h.world.snapshot()
    assert [h.get(THINGS).status, h.get(THINGS).status] == [200, 429]
    h.world.restore(start)
    assert h.get(THINGS).status == 200


PROFILE = [
    {"name": "rl", "kind": "rate_limit", "params": {"limit": 2, "window": 5, "penalty": 1}},
    {
        "name": "tb",
        "kind": "rate_limit",
        "where": {"path": "/v2/objects/*"},
        "params": {"algorithm": "token_bucket", "limit": 3, "window": 4, "headers": "github"},
    },
]


def _rollout(seed: int) -> list[Any]:
    # Up to 21 steps, past the scenario's limit: no limit, or the env refuses the later ones.
    env = gym.make("apibench/attio.record-by-id-v1", faults=PROFILE, max_episode_steps=-1)
    _, info = env.reset(seed=seed)
    headers = {"Authorization": f"Bearer {info['task']['credentials']['attio']['token']}"}
    base = info["task"]["services"]["attio"]
    trace: list[Any] = []
    for i in range(14):
        path = "/v2/self" if i % 3 else "/v2/objects/people"
        obs, _, _, _, step_info = env.step(
            {"method": "GET", "url": base + path, "headers": headers}
        )
        trace.append((obs, step_info.get("faults")))
        if obs["status"] == 429 and i % 2:
            env.step({"wait": float(obs["headers"]["retry-after"])})
    return trace


def test_same_seed_same_observations_and_faults() -> None:
    first, second = _rollout(3), _rollout(3)
    assert first == second
    assert any(faults for _, faults in first)
    assert {obs["status"] for obs, _ in first} == {200, 429}


def test_waiting_as_told_in_the_env_lets_the_request_through() -> None:
    env = gym.make(
        "apibench/attio.record-by-id-v1",
        faults=[{"kind": "rate_limit", "params": {"limit": 1, "window": 30}}],
    )
    _, info = env.reset(seed=0)
    action = {
        "method": "GET",
        "url": info["task"]["services"]["attio"] + "/v2/self",
        "headers": {"Authorization": f"Bearer {info['task']['credentials']['attio']['token']}"},
    }
    assert env.step(action)[0]["status"] == 200
    obs, _, _, _, step_info = env.step(action)
    assert obs["status"] == 429
    assert step_info["faults"] == [{"step": 2, "rule": "rate_limit#0", "kind": "rate_limit"}]
    assert json.loads(obs["body"])["code"] == "rate_limit_exceeded"
    env.step({"wait": float(obs["headers"]["retry-after"])})
    obs, _, _, _, step_info = env.step(action)
    assert obs["status"] == 200
    assert step_info["faults"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"window": 0}, "faults[0].params.window: must be a number of seconds > 0"),
        ({"limit": 0}, "faults[0].params.limit: must be >= 1"),
        ({"algorithm": "leaky"}, "must be one of ['fixed_window', 'token_bucket']"),
        ({"scope": "user"}, "must be one of ['token', 'route', 'token_route', 'global']"),
        ({"penalty": -1}, "faults[0].params.penalty: must be >= 0"),
        ({"limits": 3}, "unknown parameter of kind 'rate_limit' (did you mean 'limit'?)"),
    ],
)
def test_invalid_params_fail_on_load_with_their_path(params: dict[str, Any], message: str) -> None:
    with pytest.raises(FaultSpecError) as error:
        load_rules([{"kind": "rate_limit", "params": params}])
    assert message in str(error.value)


def test_parameters_are_exactly_these() -> None:
    (rule,) = load_rules([{"kind": "rate_limit"}])
    assert dict(rule.params) == {
        "algorithm": "fixed_window",
        "limit": 10,
        "window": 60,
        "scope": "token",
        "retry_after": "seconds",
        "headers": "ietf",
        "penalty": 0,
    }
