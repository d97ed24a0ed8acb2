"""Token renewal in the robust reference's layer: a dead bearer token is renewed with the
refresh grant and replaced in every later request; a token nothing renews ends the task."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from gym_apibench.harness import run_episode
from gym_apibench.renewal import Tokens, bearer, expired, with_bearer
from gym_apibench.solving import Recovery, Solution, hint, recovering, request
from tests.gym_apibench.layer_play import play

TOKEN_URL = "https://app.example/oauth/token"
CREDS = {
    "crm": {
        "type": "bearer",
        "token": "old",
        "token_url": TOKEN_URL,
        "client_id": "cid",
        "client_secret": "secret",
        "refresh_token": "r1",
    },
    "code": {"type": "bearer", "token": "pat"},
}
DEAD = {
    "status": 401,
    "headers": {"WWW-Authenticate": 'Bearer error="invalid_token"'},
    "body": "{}",
}


def get(token: str, path: str = "/items") -> dict[str, object]:
    return request(
        "GET", "https://api.example" + path, headers={"Authorization": f"Bearer {token}"}
    )


def ok(body: object) -> dict[str, object]:
    return {"status": 200, "headers": {}, "body": json.dumps(body)}


def test_bearer_helpers() -> None:
    action = hint(get("t"), safe=True)
    assert bearer(action) == "t" and bearer(request("GET", "https://x")) is None
    renewed = with_bearer(action, "u")
    assert bearer(renewed) == "u" and renewed.safe is True and bearer(action) == "t"
    assert expired(DEAD) and not expired({**DEAD, "headers": {}})


def test_a_dead_token_is_renewed_and_replaced_in_later_requests() -> None:
    def solve() -> Solution:
        yield get("old")
        yield get("old", "/more")  # the solution never learns the new token
        yield {"submit": None}

    recovery = Recovery(tokens=Tokens(CREDS))
    replies = [DEAD, ok({"access_token": "new", "refresh_token": "r2"}), ok({}), ok({})]
    actions = play(recovering(solve(), recovery), replies)
    grant = actions[1]
    assert (grant["method"], grant["url"]) == ("POST", TOKEN_URL)
    assert parse_qs(grant["body"]) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["r1"],
        "client_id": ["cid"],
        "client_secret": ["secret"],
    }
    assert [bearer(a) for a in (actions[0], actions[2], actions[3])] == ["old", "new", "new"]
    assert actions[-1] == {"submit": None} and recovery.impossible is None


def test_rotated_refresh_tokens_are_kept_for_the_next_renewal() -> None:
    tokens = Tokens(CREDS)
    assert tokens.renewed("old", ok({"access_token": "t2", "refresh_token": "r2"})) == "t2"
    grant = tokens.grant("t2")
    assert grant is not None and grant.refresh_token == "r2"
    assert tokens.renewed("t2", ok({"access_token": "t3"})) == "t3"
    grant = tokens.grant("t3")
    assert grant is not None and grant.refresh_token == "r2"  # not rotated: kept
    assert tokens.current("old") == "t3"


def test_tokens_the_token_endpoint_hands_out_are_learnt() -> None:
    tokens = Tokens(CREDS)
    grant_request = {"method": "POST", "url": TOKEN_URL + "?x=1", "headers": {}, "body": ""}
    tokens.observe(grant_request, ok({"access_token": "fresh", "refresh_token": "rf"}))
    grant = tokens.grant("fresh")
    assert grant is not None and (grant.refresh_token, grant.client_id) == ("rf", "cid")
    tokens.observe(
        {"url": "https://elsewhere/token"}, ok({"access_token": "x", "refresh_token": "y"})
    )
    assert tokens.grant("x") is None


def test_a_static_token_that_dies_makes_the_task_impossible() -> None:
    def solve() -> Solution:
        yield get("pat")
        yield {"submit": "never"}

    recovery = Recovery(tokens=Tokens(CREDS))
    actions = play(recovering(solve(), recovery), [DEAD])
    assert actions[-1] == {"submit": None}
    assert recovery.impossible == (
        "auth: the access token for api.example expired, and its credentials hold no way "
        "to a new one"
    )


def test_a_token_the_layer_cannot_renew_goes_back_to_the_solution() -> None:
    def solve() -> Solution:
        obs = yield get("unknown")
        yield {"submit": obs["status"]}

    recovery = Recovery(tokens=Tokens(CREDS))
    assert play(recovering(solve(), recovery), [DEAD])[-1] == {"submit": 401}
    assert recovery.impossible is None


EXPIRY = [{"name": "expire", "kind": "credential_expiry", "when": {"after": 2}}]


def test_the_robust_reference_renews_what_can_be_renewed() -> None:
    result = run_episode("robust", "attio.note-per-company", 0, EXPIRY)
    assert any(f["kind"] == "credential_expiry" for f in result.faults)
    assert result.success, result.failure
    # A personal access token has no renewal: impossible, by the layer's account.
    result = run_episode("robust", "github.open-issues", 0, EXPIRY)
    assert not result.success
    assert str((result.agent_stats or {}).get("impossible")).startswith("auth: ")
