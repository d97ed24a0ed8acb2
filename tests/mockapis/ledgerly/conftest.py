"""Fixtures driving Ledgerly in-process: a seeded world, a gateway, signers, third-party clients.

The world's clock is set to the real time after seeding, so that client libraries signing
with ``time.time()`` (authlib, requests-oauthlib) agree with it, as in served mode.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests

from mockapis.gateway import Gateway
from mockapis.ledgerly import SERVICE
from mockapis.ledgerly.oauth import CONSUMERS
from mockapis.world import World
from tests.inprocess import Reply, call

try:  # authlib's httpx integration runs on httpx2 when it is installed (tokenizers brings it)
    import httpx2 as _AUTHLIB_HTTPX
except ImportError:  # pragma: no cover - older environments
    import httpx as _AUTHLIB_HTTPX

BASE = "https://api.ledgerly.example"
FORM = "application/x-www-form-urlencoded"
SIZES = {"contacts": 60, "invoices": 40}
_SIGNERS = itertools.count(1)
"""Each test signer starts its nonce counter elsewhere (nonces hash the counter)."""


def _signing() -> Any:
    name = "apibench_scenarios.ledgerly.oauth1"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[3] / "scenarios" / "ledgerly" / "oauth1.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


oauth1 = _signing()


def problem(reply: Reply) -> dict[str, str]:
    """The form-encoded OAuth problem of a refusal."""
    assert reply.headers["content-type"].startswith(FORM), reply.raw[:200]
    assert reply.headers["www-authenticate"] == 'OAuth realm="ledgerly"'
    return dict(parse_qsl(reply.raw.decode()))


class Books:
    """One seeded Ledgerly world behind a gateway, with helpers to sign and to authorize."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, SIZES)
        self.world.commit()
        self.world.clock.now_ns = time.time_ns()
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)
        self.others = {
            row["name"]: row
            for row in self.world.table(CONSUMERS).values()
            if f"{row['name']}_consumer_key" not in self.creds
        }

    @property
    def now(self) -> int:
        return self.world.clock.now_ns // 10**9

    def send(self, method: str, url: str, headers: Any = (), body: bytes | str = b"") -> Reply:
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers)
        raw = body.encode() if isinstance(body, str) else body
        return call(self.gateway, method, url, pairs, raw)

    def act(self, action: dict[str, Any]) -> Reply:
        """Send a request action (as the reference signer builds them)."""
        return self.send(
            action["method"], action["url"], action.get("headers", {}), action.get("body", b"")
        )

    # -- signing --------------------------------------------------------------------------

    def signer(self, app: str, *, token: tuple[str, str] | None = None) -> Any:
        """The reference signer for one of the agent's apps, on the server's clock."""
        signer = oauth1.Signer(
            self.creds[f"{app}_consumer_key"],
            self.creds[f"{app}_signature_method"],
            secret=self.creds.get(f"{app}_consumer_secret", ""),
            rsa_key=self.creds.get(f"{app}_rsa_private_key", ""),
            realm="ledgerly",
        )
        signer.now = self.now
        signer.count = next(_SIGNERS) * 10_000
        if token:
            signer.use_token(*token)
        return signer

    def signed(self, signer: Any, method: str, path: str, **kwargs: Any) -> Reply:
        signer.now = self.now
        return self.act(signer.request(method, BASE + path, **kwargs))

    # -- the three-legged flow -----------------------------------------------------------

    def request_token(self, app: str, callback: str = "oob") -> tuple[str, str]:
        reply = self.signed(
            self.signer(app), "POST", "/oauth/request_token", oauth={"oauth_callback": callback}
        )
        assert reply.status == 200, reply.raw
        found = dict(parse_qsl(reply.raw.decode()))
        return found["oauth_token"], found["oauth_token_secret"]

    def approve(self, token: str, *, decision: str = "approve") -> Reply:
        """Sign in as the owner on the authorize page and decide; the final page or redirect."""
        page = self.send("GET", f"{BASE}/oauth/authorize?{urlencode({'oauth_token': token})}")
        assert page.status == 200, page.raw
        login = {
            "oauth_token": token,
            "username": self.creds["username"],
            "password": self.creds["password"],
        }
        consent = self.post_page(login)
        assert consent.status == 200, consent.raw
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.raw.decode())
        assert ticket is not None
        return self.post_page(
            {"oauth_token": token, "ticket": ticket.group(1), "decision": decision}
        )

    def post_page(self, form: dict[str, str]) -> Reply:
        return self.send("POST", BASE + "/oauth/authorize", {"content-type": FORM}, urlencode(form))

    @staticmethod
    def verifier(reply: Reply) -> str:
        if reply.status == 302:
            return dict(parse_qsl(urlsplit(reply.headers["location"]).query))["oauth_verifier"]
        found = re.search(r'id="oauth_verifier">([^<]+)<', reply.raw.decode())
        assert found is not None, reply.raw
        return found.group(1)

    def exchange(self, app: str, token: tuple[str, str], verifier: str) -> Reply:
        signer = self.signer(app, token=token)
        return self.signed(
            signer, "POST", "/oauth/access_token", oauth={"oauth_verifier": verifier}
        )

    def access_token(self, app: str) -> tuple[str, str]:
        """A fresh access token for ``app`` through the whole flow."""
        token = self.request_token(app)
        reply = self.exchange(app, token, self.verifier(self.approve(token[0])))
        assert reply.status == 200, reply.raw
        found = dict(parse_qsl(reply.raw.decode()))
        return found["oauth_token"], found["oauth_token_secret"]

    # -- third-party clients ---------------------------------------------------------------

    def transport(self) -> Any:
        """A transport onto the gateway for authlib's httpx clients, built from the httpx
        authlib runs on (``httpx2`` when it is installed, else ``httpx``, as its shim picks)."""
        client_httpx: Any = _AUTHLIB_HTTPX

        def handle(request: Any) -> Any:
            reply = self.send(
                request.method, str(request.url), list(request.headers.items()), request.read()
            )
            return client_httpx.Response(reply.status, headers=reply.headers, content=reply.raw)

        return client_httpx.MockTransport(handle)

    def send_prepared(self, prepared: requests.PreparedRequest) -> Reply:
        """A ``requests`` prepared (and signed) request, sent to the gateway."""
        body = prepared.body or b""
        headers = [
            (k, v.decode("latin-1") if isinstance(v, bytes) else v)
            for k, v in prepared.headers.items()
        ]
        return self.send(prepared.method or "GET", prepared.url or "", headers, body)


@pytest.fixture(scope="module")
def books() -> Books:
    return Books(0)


@pytest.fixture
def fresh() -> Books:
    return Books(1)
