"""Attio's token endpoint: the RFC 6749 refresh grant, its errors, and re-authentication after
a credential-expiry fault, end to end."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import gymnasium as gym
import pytest

import gym_apibench  # noqa: F401  (registers the envs)
from gym_apibench.env import ApiBenchEnv
from gym_apibench.episode import Episode
from mockapis.attio import SERVICE
from mockapis.attio.oauth import CLIENTS, REFRESH_TOKENS, TOKEN_URL, TOKENS
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.conftest import Reply, send_to

SIZES = {"people": 5, "companies": 3, "deals": 2, "notes": 1}
FORM = "application/x-www-form-urlencoded"
CREDENTIAL_KEYS = {"type", "token", "token_url", "client_id", "client_secret", "refresh_token"}


class OAuth:
    """A seeded Attio world behind a gateway, and its credentials."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, SIZES)
        self.send = send_to(Gateway(self.world, [SERVICE], raise_server_errors=True))

    def token(
        self,
        params: dict[str, str] | None = None,
        *,
        basic: tuple[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = FORM,
        url: str = TOKEN_URL,
    ) -> Reply:
        """``POST /oauth/token``; by default the refresh grant with the form's credentials."""
        if params is None:
            params = self.refresh_form()
        headers = {"content-type": content_type}
        if basic is not None:
            pair = f"{basic[0]}:{basic[1]}".encode()
            headers["authorization"] = "Basic " + base64.b64encode(pair).decode()
        payload = urlencode(params).encode() if body is None else body
        return self.send("POST", url, headers=headers, body=payload)

    def refresh_form(self, **extra: str) -> dict[str, str]:
        return {
            "grant_type": "refresh_token",
            "refresh_token": self.creds["refresh_token"],
            "client_id": self.creds["client_id"],
            "client_secret": self.creds["client_secret"],
            **extra,
        }

    def me(self, token: str) -> Reply:
        return self.send(
            "GET", "https://api.attio.com/v2/self", headers={"Authorization": f"Bearer {token}"}
        )


@pytest.fixture
def oauth() -> OAuth:
    return OAuth()


def test_seeded_credentials_carry_the_oauth_client_and_refresh_token(oauth: OAuth) -> None:
    creds = oauth.creds
    assert set(creds) == CREDENTIAL_KEYS
    assert creds["type"] == "bearer"
    assert creds["token_url"] == "https://app.attio.com/oauth/token"
    assert oauth.world.table(CLIENTS)[creds["client_id"]]["client_secret"] == creds["client_secret"]
    grant = oauth.world.table(REFRESH_TOKENS)[creds["refresh_token"]]
    assert grant["client_id"] == creds["client_id"]
    assert grant["token_id"] == oauth.world.table(TOKENS)[creds["token"]]["token_id"]
    assert OAuth(0).creds == creds  # per seed: the same again
    assert set(OAuth(1).creds.values()) & set(creds.values()) == {"bearer", TOKEN_URL}


def test_the_refresh_grant_issues_a_working_token(oauth: OAuth) -> None:
    reply = oauth.token()
    assert reply.status == 200
    assert reply.headers["cache-control"] == "no-store"
    assert reply.headers["pragma"] == "no-cache"
    assert reply.headers["content-type"] == "application/json"
    grant = reply.json
    assert set(grant) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert grant["token_type"] == "Bearer"
    assert grant["expires_in"] == 3600
    assert grant["refresh_token"] == oauth.creds["refresh_token"]  # no rotation
    new = grant["access_token"]
    assert new != oauth.creds["token"]
    seeded = oauth.world.table(TOKENS)[oauth.creds["token"]]
    assert grant["scope"] == seeded["scope"]
    row = oauth.world.table(TOKENS)[new]
    assert row["token_id"] == seeded["token_id"]  # the same grant: the same actor on writes
    me = oauth.me(new)
    assert me.status == 200
    assert me.json["scope"] == seeded["scope"]


def test_http_basic_client_authentication(oauth: OAuth) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": oauth.creds["refresh_token"]}
    reply = oauth.token(form, basic=(oauth.creds["client_id"], oauth.creds["client_secret"]))
    assert reply.status == 200
    assert oauth.me(reply.json["access_token"]).status == 200


def test_a_refresh_token_may_be_used_again(oauth: OAuth) -> None:
    first, second = oauth.token().json, oauth.token().json
    assert first["access_token"] != second["access_token"]
    assert oauth.me(first["access_token"]).status == oauth.me(second["access_token"]).status == 200


def test_the_token_endpoint_is_on_every_host_and_prefix_of_the_service(oauth: OAuth) -> None:
    for url in ("https://api.attio.com/oauth/token", "http://127.0.0.1:8000/attio/oauth/token"):
        assert oauth.token(url=url).status == 200


def test_a_narrower_scope_may_be_asked_for(oauth: OAuth) -> None:
    reply = oauth.token(oauth.refresh_form(scope="note:read-write record_permission:read-write"))
    assert reply.json["scope"] == "note:read-write record_permission:read-write"
    wider = oauth.token(oauth.refresh_form(scope="note:read-write admin:everything"))
    assert (wider.status, wider.json["error"]) == (400, "invalid_scope")


def _without(form: dict[str, str], key: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k != key}


@pytest.mark.parametrize(
    ("edit", "status", "error"),
    [
        (lambda f: {**f, "grant_type": "client_credentials"}, 400, "unsupported_grant_type"),
        (lambda f: _without(f, "grant_type"), 400, "invalid_request"),
        (lambda f: _without(f, "refresh_token"), 400, "invalid_request"),
        (lambda f: {**f, "refresh_token": "not-a-refresh-token"}, 400, "invalid_grant"),
        (lambda f: {**f, "client_secret": "wrong"}, 401, "invalid_client"),
        (lambda f: {**f, "client_id": "not-a-client"}, 401, "invalid_client"),
        (lambda f: _without(f, "client_secret"), 401, "invalid_client"),
    ],
)
def test_rfc_6749_errors(oauth: OAuth, edit: Any, status: int, error: str) -> None:
    before = oauth.world.snapshot()
    reply = oauth.token(edit(oauth.refresh_form()))
    assert reply.status == status
    body = reply.json
    assert body["error"] == error
    assert set(body) == {"error", "error_description"}
    assert reply.headers["cache-control"] == "no-store"
    if status == 401:
        assert reply.headers["www-authenticate"].startswith('Basic error="invalid_client"')
    assert oauth.world.diff(before) == {}


def test_malformed_requests_are_invalid_request(oauth: OAuth) -> None:
    form = oauth.refresh_form()
    as_json = oauth.token(body=json.dumps(form).encode(), content_type="application/json")
    assert (as_json.status, as_json.json["error"]) == (400, "invalid_request")
    repeated = oauth.token(body=(urlencode(form) + "&grant_type=refresh_token").encode())
    assert repeated.json == {
        "error": "invalid_request",
        "error_description": "Parameter 'grant_type' is repeated; send it once.",
    }
    both = oauth.token(form, basic=(oauth.creds["client_id"], oauth.creds["client_secret"]))
    assert (both.status, both.json["error"]) == (400, "invalid_request")
    empty = oauth.token(body=b"")
    assert (empty.status, empty.json["error"]) == (400, "invalid_request")


def test_served_agents_get_a_token_url_under_their_base_url() -> None:
    base = "http://127.0.0.1:8123/attio"
    served = Episode("attio.update-person", 1, base_urls={"attio": base})
    creds = served.task["credentials"]["attio"]
    assert creds["token_url"] == base + "/oauth/token"
    in_process = Episode("attio.update-person", 1).task["credentials"]["attio"]
    assert in_process["token_url"] == TOKEN_URL
    assert {k: v for k, v in creds.items() if k != "token_url"} == {
        k: v for k, v in in_process.items() if k != "token_url"
    }
    form = {
        "grant_type": "refresh_token",
        "refresh_token": creds["refresh_token"],
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }
    obs = served.request(
        {
            "method": "POST",
            "url": creds["token_url"],
            "headers": {"content-type": FORM},
            "body": urlencode(form),
        }
    )
    assert obs["status"] == 200


# -- end to end: the token dies mid-episode, the agent refreshes and finishes ----------------


def test_refresh_after_credential_expiry_finishes_the_task() -> None:
    env = gym.make(
        "apibench/attio.update-person-v1",
        faults=[{"kind": "credential_expiry", "when": {"after": 0}}],
    )
    _, info = env.reset(seed=2)
    task = info["task"]
    creds, inputs = task["credentials"]["attio"], task["inputs"]
    values = {"email_addresses": [inputs["new_email"]], "job_title": inputs["new_title"]}

    def patch(token: str) -> dict[str, Any]:
        return {
            "method": "PATCH",
            "url": f"{task['services']['attio']}/v2/objects/people/records/{inputs['record_id']}",
            "headers": {"Authorization": f"Bearer {token}"},
            "json": {"data": {"values": values}},
        }

    obs, _, _, _, step = env.step(patch(creds["token"]))
    assert obs["status"] == 401
    assert 'error="invalid_token"' in obs["headers"]["www-authenticate"]
    assert step["faults"] == [
        {"step": 1, "rule": "credential_expiry#0", "kind": "credential_expiry"}
    ]
    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": creds["refresh_token"],
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
    }
    obs, *_ = env.step(
        {
            "method": "POST",
            "url": creds["token_url"],
            "headers": {"content-type": FORM},
            "body": urlencode(refresh),
        }
    )
    assert obs["status"] == 200
    fresh = json.loads(obs["body"])["access_token"]
    obs, _, _, _, step = env.step(patch(fresh))
    assert obs["status"] == 200
    assert step["faults"] == []  # the rule is still due, but a fresh token passes
    assert env.step(patch(creds["token"]))[0]["status"] == 401  # the old one stays dead
    unwrapped = env.unwrapped
    assert isinstance(unwrapped, ApiBenchEnv)
    episode = unwrapped.episode
    assert set(episode.world.diff(episode.built.snapshot)) == {"attio.people", TOKENS}
    _, reward, terminated, _, result = env.step({"submit": None})
    assert terminated
    assert result["success"], result["checks"]
    assert reward == 1.0
    nothing_else = next(c for c in result["checks"] if c["name"] == "nothing-else")
    assert nothing_else["passed"]  # attio._tokens changed, and it is not collateral damage
