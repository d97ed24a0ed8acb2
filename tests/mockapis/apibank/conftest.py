"""Fixtures driving the API-Bank service in-process, on the shared data imported once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gym_apibench.apibank.importer import ImportSummary
from mockapis.apibank import SERVICE, home
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.gym_apibench.apibank_data import (  # noqa: F401 (apibank_import: session fixture)
    RELEASE,
    apibank_import,
)
from tests.inprocess import Reply, call

BASE = "https://apibank.apibench.example"

DERIVED = RELEASE.parent / "derived"
"""The files derived from the released data (catalogue, gold calls), next to it."""


def data_path(path: Path) -> Path:
    """``path`` (in :data:`RELEASE` or :data:`DERIVED`), or a skip naming where the data was
    looked for when it is not there."""
    if not path.exists():
        pytest.skip(
            f"API-Bank data not found at {RELEASE} (set APIBANK_DATA to its api-bank folder)"
        )
    return path


class ApiBankClient:
    """One seeded world (level 1, 2 or 3) behind a gateway."""

    def __init__(self, level: int = 1, seed: int = 0) -> None:
        self.world = World(seed)
        self.creds = SERVICE.seed(self.world, {"level": level})
        self.gateway = Gateway(self.world, [SERVICE], raise_server_errors=True)

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str | None = None
    ) -> Reply:
        headers = [("host", "apibank.apibench.example")]
        if content_type:
            headers.append(("content-type", content_type))
        return call(self.gateway, method, BASE + path, headers, body)

    def api(self, api_name: str, params: dict[str, Any] | None = None, /, **kw: Any) -> Reply:
        """``POST /apis/{api_name}`` with the parameters as JSON."""
        body = json.dumps({**(params or {}), **kw}).encode()
        return self.request("POST", f"/apis/{api_name}", body, "application/json")

    def text(self, body: str, content_type: str = "text/plain") -> Reply:
        """``POST /call`` with ``body``."""
        return self.request("POST", "/call", body.encode(), content_type)

    def calls(self) -> list[dict[str, Any]]:
        """The call log, in order."""
        table = self.world.table("apibank._calls")
        return [table[k] for k in sorted(table)]


@pytest.fixture(scope="module")
def imported(apibank_import: ImportSummary) -> Iterator[Path]:  # noqa: F811
    """``APIBENCH_HOME`` pointing at the imported data for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("APIBENCH_HOME", str(apibank_import.home))
        home.clear_caches()
        yield apibank_import.home
    home.clear_caches()


@pytest.fixture
def client(imported: Path) -> ApiBankClient:
    """A level-1 world."""
    return ApiBankClient(1)
