"""Fixtures driving Millbrook ERP in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockapis.erp import SERVICE
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://erp.millbrook.example"


class ErpClient:
    """One seeded world behind a gateway, with a cookie jar of one session."""

    def __init__(self, seed: int = 0, **sizes: int) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, {**SERVICE.default_sizes, **sizes})
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)
        self.cookie: str | None = None
        self.csrf: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        cookie: str | None = None,
        csrf: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
        raw: bytes | None = None,
    ) -> Reply:
        """``cookie``/``csrf`` default to the client's session (pass "" to send none)."""
        hdrs = [("host", "erp.millbrook.example"), *headers]
        cookie = self.cookie if cookie is None else cookie
        csrf = self.csrf if csrf is None else csrf
        if cookie:
            hdrs.append(("cookie", cookie))
        if csrf:
            hdrs.append(("x-csrf-token", csrf))
        data = b""
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs.append(("content-type", "application/json"))
        return call(self.gateway, method, BASE + path, hdrs, data)

    def login(self, username: str | None = None, password: str | None = None) -> Reply:
        """Log in and keep the session cookie and CSRF token."""
        body = {
            "username": username or self.creds["username"],
            "password": self.creds["password"] if password is None else password,
        }
        reply = self.request("POST", "/api/session", body, cookie="", csrf="")
        if reply.status == 201:
            self.cookie = reply.headers["set-cookie"].split(";", 1)[0]
            self.csrf = reply.json["csrf_token"]
        return reply

    def wait(self, seconds: float) -> None:
        """Advance the virtual clock."""
        self.world.clock.advance(seconds)


@pytest.fixture
def erp() -> ErpClient:
    client = ErpClient(0)
    assert client.login().status == 201
    return client


@pytest.fixture
def fresh() -> ErpClient:
    return ErpClient(1)
