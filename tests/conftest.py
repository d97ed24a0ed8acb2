"""Shared fixtures: a tiny fake service over a world, and a way to send it requests in-process."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

# The suite never sees what a user imported into their data home (API-Bank): an empty home of
# its own, set before anything loads scenarios; tests that need imported data set their own.
os.environ["APIBENCH_HOME"] = tempfile.mkdtemp(prefix="apibench-test-home-")

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.gateway import Gateway
from mockapis.kit import (
    ApiError,
    JSONResponse,
    bearer_token,
    page_links,
    page_params,
    paginate_pages,
    read_json,
    require_object,
)
from mockapis.service import Service
from mockapis.world import World
from tests.inprocess import Reply, call

FAKE_SPEC = Path(__file__).parent / "mockapis" / "data" / "fake.openapi.yaml"
FAKE_HOST = "api.fake.test"
THINGS = "fake.things"


def _world(request: Request) -> World:
    world = request.scope["world"]
    assert isinstance(world, World)
    return world


def _authenticate(request: Request) -> World:
    world = _world(request)
    if bearer_token(request) not in world.table("fake.tokens"):
        raise ApiError(401, "Unknown bearer token.", code="unauthorized")
    return world


async def list_things(request: Request) -> Response:
    world = _authenticate(request)
    page_no, per_page = page_params(request, max_per_page=50)
    things = world.table(THINGS)
    page = paginate_pages(sorted(things, key=_id_number), page=page_no, per_page=per_page)
    links = page_links(str(request.url), page.page, page.last_page)
    return JSONResponse(
        {"data": [things[key] for key in page.items], "total": page.total},
        headers={"Link": links} if links else None,
    )


async def create_thing(request: Request) -> Response:
    world = _authenticate(request)
    body = require_object(await read_json(request), "The request body")
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "name must be a non-empty string.", code="validation_type")
    thing = new_thing(world, name)
    then = body.get("then", "ok")
    if then == "fail":
        raise ApiError(409, "Asked to fail after writing.", code="conflict")
    if then == "crash":
        raise RuntimeError("asked to crash after writing")
    return JSONResponse(thing, 201)


async def get_thing(request: Request) -> Response:
    world = _authenticate(request)
    thing_id = request.path_params["thing_id"]
    try:
        return JSONResponse(world.table(THINGS)[thing_id])
    except KeyError:
        raise ApiError(404, f"No thing with id {thing_id!r}.", code="not_found") from None


async def whoami(request: Request) -> Response:
    _authenticate(request)
    return JSONResponse(
        {
            "url": str(request.url),
            "base_url": str(request.base_url),
            "thing_url": str(request.url_for("get_thing", thing_id="thing_1")),
        }
    )


def new_thing(world: World, name: str) -> dict[str, Any]:
    """Create and store a thing (draws an id, a UUID from the RNG and reads the clock)."""
    thing = {
        "id": f"thing_{world.next_id('things')}",
        "name": name,
        "token": world.uuid4(),
        "created_at": world.clock.isoformat(),
    }
    world.table(THINGS).put(thing["id"], thing)
    return thing


def _id_number(key: str) -> int:
    return int(key.rpartition("_")[2])


def seed_fake(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """``sizes["things"]`` things and one bearer token, returned as the credentials."""
    token = world.uuid4()
    world.table("fake.tokens").put(token, {"token": token})
    for n in range(sizes.get("things", 3)):
        new_thing(world, f"thing number {n}")
    return {"type": "bearer", "token": token}


def render_error(exc: ApiError) -> dict[str, Any]:
    """The fake service's error body."""
    return {"error": {"code": exc.code, "message": exc.message}}


FAKE_ROUTES = [
    Route("/v1/things", list_things, methods=["GET"]),
    Route("/v1/things", create_thing, methods=["POST"]),
    Route("/v1/things/{thing_id}", get_thing, methods=["GET"], name="get_thing"),
    Route("/v1/whoami", whoami, methods=["GET"]),
]


def make_fake_service(name: str = "fake", routes: Iterable[Route] = FAKE_ROUTES) -> Service:
    """A fake service; ``spec`` is absolute, so ``specs_dir() / spec`` resolves to it."""
    return Service(
        name=name,
        hosts=(FAKE_HOST,) if name == "fake" else (f"api.{name}.test",),
        routes=list(routes),
        spec=str(FAKE_SPEC),
        render_error=render_error,
        seed=seed_fake,
        description="A fake service for the core tests.",
        default_sizes={"things": 3},
    )


Send = Callable[..., Reply]


def send_to(app: Any) -> Send:
    """A function sending one request to ``app`` through the direct driver."""

    def send(
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        body: bytes = b"",
    ) -> Reply:
        pairs = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            pairs.setdefault("content-type", "application/json")
        return call(app, method, url, pairs.items(), body)

    return send


@pytest.fixture(scope="session")
def fake_service() -> Service:
    return make_fake_service()


@pytest.fixture
def world() -> World:
    return World(seed=7)


@pytest.fixture
def credentials(world: World, fake_service: Service) -> dict[str, str]:
    """Seeds ``world`` with the fake service's data and returns its credentials."""
    return fake_service.seed(world, {"things": 3})


@pytest.fixture
def auth(credentials: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {credentials['token']}"}


@pytest.fixture
def gateway(world: World, fake_service: Service) -> Gateway:
    return Gateway(world, [fake_service])


@pytest.fixture
def send(gateway: Gateway) -> Send:
    return send_to(gateway)
