"""Fixtures driving the template service in-process through the gateway."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockapis.templates import SERVICE
from tests.inprocess import Reply, SeededService

BASE = f"https://{SERVICE.hosts[0]}"


class TemplatesClient(SeededService):
    """One seeded world behind a gateway; requests carry the API key by default."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__(SERVICE, seed)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        auth: bool = True,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> Reply:
        headers = {"content-type": content_type, **(self.bearer() if auth else {})}
        data = raw if raw is not None else b"" if body is None else json.dumps(body).encode()
        return self.call(method, path, headers, data)

    def render(self, template: str, data: Any = None, **extra: Any) -> Reply:
        """Render ``template`` inline."""
        body = {"template": template, **extra}
        if data is not None:
            body["data"] = data
        return self.send("POST", "/v1/render", body)

    def output(self, template: str, data: Any = None, **extra: Any) -> str:
        """The output of a render that must succeed."""
        reply = self.render(template, data, **extra)
        assert reply.status == 200, reply.raw
        output: str = reply.json["output"]
        return output

    def by_name(self, name: str) -> dict[str, Any]:
        reply = self.send("GET", f"/v1/templates?name={name}")
        assert reply.status == 200, reply.raw
        (template,) = reply.json["data"]
        return dict(template)


@pytest.fixture
def client() -> TemplatesClient:
    return TemplatesClient()
