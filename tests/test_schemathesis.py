"""Schemathesis against every service, in-process: no 5xx, and responses that match the spec.

Cases are generated from the spec and sent through the Gateway with the direct driver (no
sockets, no event loop), to a world seeded small and restored before each case, with the
seeded credentials as headers.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gym_apibench.solving import auth_headers
from mockapis.asgi import build_scope, drive
from mockapis.gateway import Gateway
from mockapis.kit import JSONResponse
from mockapis.registry import services
from mockapis.service import Service
from mockapis.specs import load_spec, operations
from mockapis.world import Snapshot, World
from tests.conftest import FAKE_ROUTES, make_fake_service

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLE_BUDGET = 2000
"""Examples for the whole file, shared by the operations of every service (about 1 s per 100:
with the direct driver, generating a case costs more than serving it)."""
SMALL = 5
"""At most this many seeded entities of each kind: enough to list, page and find."""


@schemathesis.serializer("application/offset+octet-stream")
def _offset_stream(ctx: Any, value: object) -> bytes:
    """tus PATCH bodies are raw bytes; schemathesis has no serializer for their media type."""
    return value if isinstance(value, bytes) else str(value).encode()


@dataclass
class Target:
    """One service behind a gateway, over a seeded world that each case starts from."""

    service: Service
    world: World
    gateway: Gateway
    initial: Snapshot
    headers: dict[str, str]
    schema: Any

    @property
    def base_url(self) -> str:
        return f"https://{self.service.hosts[0]}"


def make_target(service: Service) -> Target:
    world = World(seed=0)
    sizes = {kind: min(size, SMALL) for kind, size in service.default_sizes.items()}
    credentials = service.seed(world, sizes)
    return Target(
        service=service,
        world=world,
        gateway=Gateway(world, [service]),
        initial=world.snapshot(),
        headers=auth_headers(credentials),
        schema=schemathesis.openapi.from_path(service.spec_path),
    )


@functools.cache
def registry_target(name: str) -> Target:
    return make_target(services()[name])


def send(target: Target, case: Any) -> schemathesis.Response:
    """Send ``case`` through the gateway with the direct driver."""
    kwargs = case.as_transport_kwargs(base_url=target.base_url)
    prepared = requests.Request(**kwargs).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    assert isinstance(body, bytes), "streamed bodies are not generated from these specs"
    pairs = [
        (k, v if isinstance(v, str) else v.decode("latin-1")) for k, v in prepared.headers.items()
    ]
    try:
        scope = build_scope(prepared.method or "GET", prepared.url or "", pairs)
    except UnicodeEncodeError:
        reject()  # a header no HTTP client could send
    raw = drive(target.gateway, scope, body)
    headers: dict[str, list[str]] = {}
    for key, value in raw.headers:
        headers.setdefault(key.decode("latin-1"), []).append(value.decode("latin-1"))
    return schemathesis.Response(
        status_code=raw.status,
        headers=headers,
        content=raw.body,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )


def live_path_parameters(world: World, names: list[str]) -> list[dict[str, str]]:
    """Path parameters naming things that exist, each set taken from one stored row.

    A parameter ``p`` takes the string field ``p`` or ``p_id`` of a row or of one of its
    top-level objects (Attio's ``{"id": {"object_id", "record_id"}}``), so that an object
    and a record id come from the same record. Random ids alone would only ever meet 404s.
    """
    found: set[tuple[tuple[str, str], ...]] = set()
    for table in world.table_names:
        for row in world.table(table).values():
            fields = _string_fields(row)
            values = [fields.get(name) or fields.get(f"{name}_id") for name in names]
            if all(values):
                found.add(tuple(zip(names, values, strict=True)))  # type: ignore[arg-type]
    return [dict(params) for params in sorted(found)]


def _string_fields(row: Mapping[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            fields.update(
                (k, v) for k, v in value.items() if isinstance(v, str) and k not in fields
            )
        elif isinstance(value, str):
            fields[key] = value
    return fields


def case_strategy(target: Target, method: str, path: str) -> st.SearchStrategy[Any]:
    """Generated cases, half of them (when possible) addressing things that exist."""
    operation = target.schema[path][method]
    generated = operation.as_strategy(headers=target.headers)
    names = _path_parameter_names(path)
    live = live_path_parameters(target.world, names) if names else []
    if not live:
        return cast("st.SearchStrategy[Any]", generated)
    existing = st.sampled_from(live).flatmap(
        lambda params: operation.as_strategy(path_parameters=params, headers=target.headers)
    )
    return st.one_of(generated, existing)


def _path_parameter_names(path: str) -> list[str]:
    return re.findall(r"{([^}]+)}", path)


def check_operation(target: Target, method: str, path: str, *, max_examples: int) -> None:
    """Generate cases for one operation; raise on the first (shrunk) failing check."""
    target.world.restore(target.initial)
    strategy = case_strategy(target, method, path)

    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,  # the same cases on every run: CI failures reproduce locally
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        target.world.restore(target.initial)
        case.validate_response(send(target, case), checks=CHECKS)

    run()


def _operations(service: Service) -> list[tuple[str, str]]:
    return sorted(operations(load_spec(service.spec_path)))


CASES = [
    pytest.param(name, method, path, id=f"{name}:{method} {path}")
    for name, service in sorted(services().items())
    for method, path in _operations(service)
]


MAX_EXAMPLES = max(10, min(50, EXAMPLE_BUDGET // max(1, len(CASES))))
"""Per operation: as many as the budget allows, between 10 and 50."""


@pytest.mark.parametrize(("name", "method", "path"), CASES)
def test_operation_conforms_to_its_spec(name: str, method: str, path: str) -> None:
    check_operation(registry_target(name), method, path, max_examples=MAX_EXAMPLES)


# -- the harness itself, on the fake service -------------------------------------------------


@pytest.mark.parametrize(("method", "path"), _operations(make_fake_service()))
def test_harness_passes_a_conforming_service(method: str, path: str) -> None:
    check_operation(make_target(make_fake_service()), method, path, max_examples=10)


def test_harness_restores_the_world_before_each_case(monkeypatch: pytest.MonkeyPatch) -> None:
    target = make_target(make_fake_service())
    sizes: list[int] = []
    statuses: list[int] = []
    original_send = send

    def recording_send(target: Target, case: Any) -> schemathesis.Response:
        sizes.append(len(target.world.table("fake.things")))
        response = original_send(target, case)
        statuses.append(response.status_code)
        return response

    monkeypatch.setattr(sys.modules[__name__], "send", recording_send)
    check_operation(target, "POST", "/v1/things", max_examples=10)
    assert 201 in statuses  # some cases did write
    assert set(sizes) == {3}  # and every case still started from the seeded three things


THING = "/v1/things/{thing_id}"


async def _bad_thing(request: Request) -> Response:
    return JSONResponse({"id": 1, "name": "not per the schema"})


async def _crash(request: Request) -> Response:
    raise RuntimeError("boom")


def _broken(path: str, method: str, endpoint: Any) -> Service:
    routes = [r for r in FAKE_ROUTES if not (r.path == path and method in (r.methods or ()))]
    return make_fake_service(routes=[*routes, Route(path, endpoint, methods=[method])])


@pytest.mark.parametrize(
    ("service", "method", "path", "reason"),
    [
        (
            _broken("/v1/things/{thing_id}", "GET", _bad_thing),
            "GET",
            "/v1/things/{thing_id}",
            "schema",
        ),
        (_broken("/v1/things", "POST", _crash), "POST", "/v1/things", "Server error"),
    ],
    ids=["schema-violation", "server-error"],
)
def test_harness_catches_a_broken_service(
    service: Service, method: str, path: str, reason: str
) -> None:
    with pytest.raises(FailureGroup) as info:
        check_operation(make_target(service), method, path, max_examples=10)
    assert reason in str(info.value)


def test_auth_headers_are_sent(fake_service: Service) -> None:
    target = make_target(fake_service)
    seen: list[Mapping[str, str]] = []

    @settings(max_examples=3, deadline=None, database=None, derandomize=True)
    @given(case=target.schema["/v1/whoami"]["GET"].as_strategy(headers=target.headers))
    def run(case: Any) -> None:
        seen.append(case.headers)
        assert send(target, case).status_code == 200

    run()
    assert seen and all(h["Authorization"] == target.headers["Authorization"] for h in seen)
