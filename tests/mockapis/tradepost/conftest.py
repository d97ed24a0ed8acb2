"""Fixtures driving Tradepost in-process, with a signer written here from the spec alone."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote, unquote_plus

import pytest

from mockapis.gateway import Gateway
from mockapis.tradepost import SERVICE
from mockapis.world import World
from tests.inprocess import Reply, call

BASE = "https://api.tradepost.example"


def sign(secret: str, stamp: str, method: str, path: str, query: str, body: bytes) -> str:
    """The spec's string to sign, HMAC-SHA256'd (independent of the service's code)."""
    pairs = []
    for part in query.split("&") if query else []:
        name, _, value = part.partition("=")
        pairs.append((quote(unquote_plus(name), safe=""), quote(unquote_plus(value), safe="")))
    canonical = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    digest = hashlib.sha256(body).hexdigest()
    text = f"{stamp}{method}{path}{'?' + canonical if canonical else ''}{digest}"
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


class TradepostClient:
    """One seeded world behind a gateway; requests are signed by default."""

    def __init__(self, seed: int = 0, **sizes: int) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, {**SERVICE.default_sizes, **sizes})
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    @property
    def now_ms(self) -> int:
        return self.world.clock.now_ns // 1_000_000

    def request(
        self,
        method: str,
        path: str,
        query: str = "",
        body: Any = None,
        *,
        skew_ms: int = 0,
        stamp: str | None = None,
        signed: bool = True,
        drop: tuple[str, ...] = (),
        override: dict[str, str] | None = None,
        sign_query: str | None = None,
        sign_body: bytes | None = None,
    ) -> Reply:
        """A request signed over (``sign_query``, ``sign_body``) when given: a tampering test
        signs one thing and sends another."""
        raw = (
            b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        )
        stamp = stamp if stamp is not None else str(self.now_ms + skew_ms)
        headers = {"host": "api.tradepost.example"}
        if signed:
            signed_body = raw if sign_body is None else sign_body
            headers |= {
                "tp-api-key": self.creds["key"],
                "tp-timestamp": stamp,
                "tp-signature": sign(
                    self.creds["secret"],
                    stamp,
                    method,
                    path,
                    query if sign_query is None else sign_query,
                    signed_body,
                ),
            }
            if raw:
                headers["tp-content-sha256"] = hashlib.sha256(signed_body).hexdigest()
        if raw:
            headers["content-type"] = "application/json"
        headers |= override or {}
        for name in drop:
            headers.pop(name, None)
        url = BASE + path + (f"?{query}" if query else "")
        return call(self.gateway, method, url, list(headers.items()), raw)


@pytest.fixture
def tp() -> TradepostClient:
    return TradepostClient(0)
