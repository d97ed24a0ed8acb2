"""Fixtures driving the HubSpot service in-process through the gateway."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from mockapis.gateway import Gateway
from mockapis.hubspot import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.hubapi.com"
APP = "https://app.hubspot.com"
_UNSET: Any = object()
VERIFIER = "v" * 43 + "-verifier_0123456789"


def challenge(verifier: str = VERIFIER) -> str:
    """The S256 code challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class HubSpotClient:
    """One seeded world behind a gateway; requests carry the private-app token by default."""

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, {**SERVICE.default_sizes, **(sizes or {})})
        self.token = self.creds.get("token")
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def request(
        self,
        method: str,
        path: str,
        body: Any = _UNSET,
        *,
        token: str | None = _UNSET,
        raw: bytes | None = None,
        content_type: str = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
        base: str = BASE,
    ) -> Reply:
        hdrs = list(headers)
        token = self.token if token is _UNSET else token
        if token is not None:
            hdrs.append(("authorization", f"Bearer {token}"))
        payload = raw if raw is not None else b""
        if body is not _UNSET:
            payload = json.dumps(body).encode()
        if payload:
            hdrs.append(("content-type", content_type))
        return call(self.gateway, method, base + path, hdrs, payload)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = _UNSET, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def form(self, path: str, fields: dict[str, str], *, base: str = BASE, **kw: Any) -> Reply:
        """POST form-encoded ``fields`` without a bearer token."""
        return self.request(
            "POST",
            path,
            token=None,
            raw=urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
            base=base,
            **kw,
        )

    def authorize_query(self, **overrides: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.creds["client_id"],
            "redirect_uri": self.creds["redirect_uri"],
            "scope": "crm.objects.contacts.read crm.objects.contacts.write",
            "state": "xyz",
            "code_challenge": challenge(),
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v != ""})

    def code(self, **overrides: str) -> str:
        """Log in and approve on the consent page; the authorization code."""
        query = self.authorize_query(**overrides)
        reply = self.form(
            "/oauth/authorize?" + query,
            {
                "username": self.creds["username"],
                "password": self.creds["password"],
                "decision": "approve",
            },
            base=APP,
        )
        assert reply.status == 302, reply.raw
        location = urlsplit(reply.headers["location"])
        return parse_qs(location.query)["code"][0]

    def exchange(self, code: str, verifier: str = VERIFIER) -> Reply:
        return self.form(
            "/oauth/v1/token",
            {
                "grant_type": "authorization_code",
                "client_id": self.creds["client_id"],
                "client_secret": self.creds["client_secret"],
                "redirect_uri": self.creds["redirect_uri"],
                "code": code,
                "code_verifier": verifier,
            },
        )

    def refresh(self, refresh_token: str) -> Reply:
        return self.form(
            "/oauth/v1/token",
            {
                "grant_type": "refresh_token",
                "client_id": self.creds["client_id"],
                "client_secret": self.creds["client_secret"],
                "refresh_token": refresh_token,
            },
        )


@pytest.fixture(scope="module")
def client() -> HubSpotClient:
    return HubSpotClient(0)


@pytest.fixture
def fresh() -> HubSpotClient:
    return HubSpotClient(1)
