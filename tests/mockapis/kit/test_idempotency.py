"""Idempotency keys (Stripe's semantics): replay, mismatch, required keys, expiry, failures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.gateway import Gateway
from mockapis.kit import IDEMPOTENCY_KEY_TTL_S, ApiError, JSONResponse, idempotent
from mockapis.service import Service
from mockapis.world import World
from tests.conftest import (
    FAKE_ROUTES,
    THINGS,
    Reply,
    create_thing,
    make_fake_service,
    send_to,
)

URL = "https://api.fake.test"
REPLAYED = "idempotent-replayed"


def _service(name: str = "fake", *, namespace: str | None = None) -> Service:
    routes = [
        Route("/v1/things", idempotent(create_thing, namespace=namespace), methods=["POST"]),
        Route("/v1/strict", idempotent(create_thing, required=True), methods=["POST"]),
        *(r for r in FAKE_ROUTES if not (r.path == "/v1/things" and "POST" in (r.methods or ()))),
    ]
    return make_fake_service(name, routes)


class Client:
    """The fake service with idempotent creates, over a seeded world."""

    def __init__(self) -> None:
        self.service = _service()
        self.world = World(seed=3)
        self.token = self.service.seed(self.world, {"things": 3})["token"]
        self.send = send_to(Gateway(self.world, [self.service]))

    def post(
        self, body: Any, key: str | None = None, *, path: str = "/v1/things", raw: bytes = b""
    ) -> Reply:
        headers = {"Authorization": f"Bearer {self.token}", "content-type": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = key
        payload = raw or json.dumps(body).encode()
        return self.send("POST", URL + path, headers=headers, body=payload)

    @property
    def names(self) -> list[str]:
        return [t["name"] for t in self.world.table(THINGS).values()]


@pytest.fixture
def client() -> Client:
    return Client()


def test_the_same_key_and_request_replay_the_stored_response(client: Client) -> None:
    first = client.post({"name": "Ada"}, "k1")
    again = client.post({"name": "Ada"}, "k1")
    assert first.status == again.status == 201
    assert again.raw == first.raw
    assert REPLAYED not in first.headers
    assert again.headers[REPLAYED] == "true"
    assert {k: v for k, v in again.headers.items() if k != REPLAYED} == first.headers
    assert client.names.count("Ada") == 1


def test_the_body_is_compared_as_data(client: Client) -> None:
    client.post(None, "k1", raw=b'{"name": "Ada", "then": "ok"}')
    again = client.post(None, "k1", raw=b'{"then":"ok","name":"Ada"}')
    assert again.headers[REPLAYED] == "true"
    assert client.names.count("Ada") == 1


@pytest.mark.parametrize(
    ("body", "path"), [({"name": "Grace"}, "/v1/things"), ({"name": "Ada"}, "/v1/strict")]
)
def test_other_parameters_with_a_used_key_are_a_400(client: Client, body: Any, path: str) -> None:
    client.post({"name": "Ada"}, "k1")
    before = client.world.snapshot()
    reply = client.post(body, "k1", path=path)
    assert reply.status == 400
    error = reply.json["error"]
    assert error["code"] == "idempotency_error"
    assert (
        "can only be used with the same parameters they were first used with" in (error["message"])
    )
    assert "'k1'" in error["message"]
    assert client.world.diff(before) == {}


def test_without_a_key_every_request_runs(client: Client) -> None:
    assert [client.post({"name": "Ada"}).status for _ in range(2)] == [201, 201]
    assert client.names.count("Ada") == 2


def test_a_route_that_requires_a_key_refuses_a_request_without_one(client: Client) -> None:
    reply = client.post({"name": "Ada"}, path="/v1/strict")
    assert reply.status == 400
    error = reply.json["error"]
    assert error["code"] == "idempotency_key_required"
    assert error["message"].startswith("POST /v1/strict requires an Idempotency-Key header")
    assert "Ada" not in client.names
    assert client.post({"name": "Ada"}, "k1", path="/v1/strict").status == 201


def test_keys_expire_after_24_hours_of_virtual_time(client: Client) -> None:
    client.post({"name": "Ada"}, "k1")
    client.world.clock.advance(IDEMPOTENCY_KEY_TTL_S - 1)
    assert client.post({"name": "Ada"}, "k1").headers[REPLAYED] == "true"
    client.world.clock.advance(1)
    fresh = client.post({"name": "Grace"}, "k1")  # forgotten: other parameters are fine now
    assert fresh.status == 201
    assert REPLAYED not in fresh.headers
    assert client.names.count("Ada") == client.names.count("Grace") == 1


def test_a_failed_request_is_stored_and_replayed_and_its_writes_stay_rolled_back(
    client: Client,
) -> None:
    before = client.world.snapshot()
    failed = client.post({"name": "Ada", "then": "fail"}, "k1")  # writes, then fails: 409
    assert failed.status == 409
    assert client.world.diff(before) == {}  # the gateway rolled the write back
    again = client.post({"name": "Ada", "then": "fail"}, "k1")
    assert again.status == 409
    assert again.headers[REPLAYED] == "true"
    assert again.raw == failed.raw
    assert client.world.diff(before) == {}
    assert client.post({"name": "Ada", "then": "fail"}, "k2").headers.get(REPLAYED) is None


def test_a_crash_is_not_stored(client: Client) -> None:
    assert client.post({"name": "Ada", "then": "crash"}, "k1").status == 500
    assert client.post({"name": "Ada"}, "k1").status == 201  # the key is free again


def test_the_store_resets_with_the_world(client: Client) -> None:
    start = client.world.snapshot()
    client.post({"name": "Ada"}, "k1")
    client.world.restore(start)
    assert REPLAYED not in client.post({"name": "Grace"}, "k1").headers


def test_safe_methods_and_invalid_keys(client: Client) -> None:
    headers = {"Authorization": f"Bearer {client.token}", "Idempotency-Key": "k1"}
    assert client.send("GET", URL + "/v1/things", headers=headers).status == 200
    assert client.post({"name": "Ada"}, "k1").status == 201  # the GET did not use the key
    long = client.post({"name": "Ada"}, "k" * 256)
    assert long.status == 400
    assert long.json["error"]["message"] == (
        "Idempotency-Key must be at most 255 characters; got 256."
    )
    assert client.post({"name": "Ada"}, " ").status == 400


def test_each_service_has_its_own_keys() -> None:
    world = World(seed=3)
    one, two = _service("fake", namespace="one"), _service("other", namespace="two")
    token = one.seed(world, {"things": 1})["token"]
    send = send_to(Gateway(world, [one, two]))
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"}
    first = send("POST", URL + "/v1/things", headers=headers, json_body={"name": "a"})
    other = send("POST", "https://api.other.test/v1/things", headers=headers, json_body={"x": 1})
    assert first.status == 201
    assert other.status == 400  # validated and run by the other service, not a key mismatch
    assert other.json["error"]["code"] == "validation_type"
    assert set(world.runtime["kit.idempotency"]) == {"one", "two"}


def test_the_default_store_is_the_service_package() -> None:
    async def endpoint(request: Request) -> Response:
        return JSONResponse({})

    endpoint.__module__ = "mockapis.stripe.charges"
    world = World()
    service = make_fake_service("fake", [Route("/v1/x", idempotent(endpoint), methods=["POST"])])
    send = send_to(Gateway(world, [service]))
    send("POST", URL + "/v1/x", headers={"Idempotency-Key": "k"})
    assert set(world.runtime["kit.idempotency"]) == {"stripe"}


def test_a_key_in_use_by_a_request_in_progress_is_a_409() -> None:
    seen: list[ApiError] = []

    async def endpoint(request: Request) -> Response:
        if not seen:  # while this runs, the same key arrives again
            try:
                await wrapped(request)
            except ApiError as exc:
                seen.append(exc)
        return JSONResponse({"ok": True})

    wrapped = idempotent(endpoint, namespace="t")
    world = World()
    service = make_fake_service("fake", [Route("/v1/x", wrapped, methods=["POST"])])
    reply = send_to(Gateway(world, [service]))(
        "POST", URL + "/v1/x", headers={"Idempotency-Key": "k"}
    )
    assert reply.status == 200
    assert [(e.status, e.code) for e in seen] == [(409, "idempotency_key_in_use")]
