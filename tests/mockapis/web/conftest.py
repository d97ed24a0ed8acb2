"""Fixtures driving the filings site (and the reader, which reads it) in-process."""

from __future__ import annotations

import re

import pytest

from mockapis.gateway import Gateway
from mockapis.reader import SERVICE as READER
from mockapis.web import SERVICE as WEB
from mockapis.world import World
from tests.inprocess import Reply, call

SITE = "https://filings.apibench.example"
READER_BASE = "https://r.jina.ai"
UA = "Acme Research ops@acme-research.example"
EPOCH_NS = 1_705_309_200 * 10**9  # 2024-01-15T09:00:00Z, the scenarios' default epoch


class Site:
    """One seeded world with the site and the reader behind a gateway."""

    def __init__(self, seed: int = 0) -> None:
        self.world = World(seed, epoch_ns=EPOCH_NS)
        WEB.seed(self.world, dict(WEB.default_sizes))
        self.reader_key = READER.seed(self.world, {})["token"]
        self.gateway = Gateway(self.world, [WEB, READER], raise_server_errors=True)

    def get(self, path: str, *, ua: str | None = UA, **headers: str) -> Reply:
        sent = dict(headers)
        if ua is not None:
            sent["User-Agent"] = ua
        return call(self.gateway, "GET", SITE + path, list(sent.items()))

    def read(self, url: str, **headers: str) -> Reply:
        """A reader request (header names with ``_`` for ``-``)."""
        sent = [(k.replace("_", "-"), v) for k, v in headers.items()]
        return call(self.gateway, "GET", f"{READER_BASE}/{url}", sent)

    def wait(self, seconds: float) -> None:
        self.world.clock.advance(seconds)

    def links(self, reply: Reply) -> list[str]:
        return re.findall(r'href="([^"]+)"', reply.raw.decode())

    @property
    def company(self) -> dict[str, object]:
        return dict(sorted(self.world.table("web.companies").items())[0][1])


@pytest.fixture
def site() -> Site:
    return Site()
