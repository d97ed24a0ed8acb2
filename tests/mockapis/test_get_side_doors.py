"""No GET changes a world, whether the agent sends it or a service fetches it (issue 17).

Every service's GET routes (from its route table) are walked in a seeded episode of a
scenario using the service, path parameters filled with ids of the seeded world where a table
matches their name: as the agent (GET and HEAD, with the task's credentials, logged in first
where they are a login) and through the reader (``https://r.jina.ai/<url>``, with the
credentials offered in the query string, the only place a URL can carry them). No request
may change a table (but for the reviewed :data:`ALLOWED` bookkeeping of an agent's request),
nor, over the whole walk, the id counters or the state hash (the clock left out: every
request ticks it).

``make test`` walks one scenario for every service at one seed; ``APIBENCH_GET_SWEEP=full``
walks every scenario (faulty variants left out) at seeds 0-2.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from starlette.routing import Route

from gym_apibench import scenario_ids
from gym_apibench.episode import Episode
from gym_apibench.scenarios import get_scenario
from gym_apibench.solving import auth_headers
from mockapis.asgi import build_scope, drive
from mockapis.gateway import Gateway
from mockapis.reader import SERVICE as READER
from mockapis.registry import services
from mockapis.service import DOCS_PATH, Service
from mockapis.world import World

SWEEP_VARIABLE = "APIBENCH_GET_SWEEP"
UNPLAYED = frozenset({"reader", "apibank"})
"""Not walked here: the reader is the walker; API-Bank is in no scenario, and its two GET
routes (the API catalogue: ``/apis``, ``/apis/{api_name}``) read the imported registry only."""
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def state(world: World) -> str:
    """The world's state hash with the clock left out (each request ticks it)."""
    now = world.clock.now_ns
    world.clock.now_ns = 0
    try:
        return world.state_hash()
    finally:
        world.clock.now_ns = now


@cache
def _scenario_services() -> dict[str, tuple[str, ...]]:
    return {
        sid: get_scenario(sid).services for sid in scenario_ids() if not sid.endswith(".faulty")
    }


def scenario_for(service: str) -> str:
    """The first scenario (by id) whose episode has ``service``."""
    return next(sid for sid, names in sorted(_scenario_services().items()) if service in names)


def get_paths(service: Service) -> list[str]:
    """The path templates of the service's GET routes (its docs route left out)."""
    return [
        route.path
        for route in service.routes
        if isinstance(route, Route) and "GET" in (route.methods or ()) and route.path != DOCS_PATH
    ]


def _stem(param: str) -> str:
    stem = re.sub(r"(_?id|_?key|_?name|_?gid)$", "", param, flags=re.IGNORECASE).lower()
    return stem.replace("_", "") or param.lower()


NAMED: dict[str, str] = {
    "object": "people",
    "objectType": "contacts",
    "fromObjectType": "contacts",
    "toObjectType": "companies",
    "model": "gpt-4o-mini",
}
"""Parameters that name a kind rather than a row."""

ALLOWED: dict[tuple[str, str], str] = {
    ("erp", "erp._sessions"): (
        "sliding idle expiry: every request refreshes its session's last use, as a session "
        "store does (a fetch has no session cookie, so it never gets this far)"
    ),
}
"""(service, table) an agent's GET may change, and why the real service does it too."""

USER_AGENT = "apibench-tests tests@apibench.example"
"""A declared User-Agent (GitHub and the filings site refuse requests without one)."""


def fill(path: str, world: World, service: str) -> str:
    """``path`` with each parameter replaced by a key of the service's table whose name
    matches it (any table of the service if none does; ``1`` if it has none)."""
    tables = [
        name
        for name in world.table_names
        if name.startswith(service + ".") and not name.split(".", 1)[1].startswith("_")
    ]

    def value(match: re.Match[str]) -> str:
        param, spans_slashes = match.group(1), match.group(0).endswith(":path}")
        if param in NAMED:
            return NAMED[param]
        stem = _stem(param)
        ranked = sorted(tables, key=lambda name: stem not in name.split(".", 1)[1].replace("_", ""))
        for name in ranked:
            key = next(iter(world.table(name)), None)
            if key is not None:
                return quote(str(key), safe="/" if spans_slashes else "")
        return "1"

    return _PARAM.sub(value, path)


def _query_credentials(credentials: dict[str, Any]) -> dict[str, str]:
    """The task's secrets under the query names APIs have taken them by."""
    secret = next(
        (str(credentials[k]) for k in ("token", "key", "password") if k in credentials), ""
    )
    if not secret:
        return {}
    names = ("token", "access_token", "api_key", "key", "hapikey", "apikey")
    return dict.fromkeys(names, secret)


def session_headers(gateway: Gateway, base: str, credentials: dict[str, Any]) -> dict[str, str]:
    """Headers that authenticate as the task's user where credentials are a login (the
    ERP's session cookie, from ``POST /api/session``); none elsewhere."""
    if credentials.get("type") != "login" or "erp." not in base:
        return {}
    body = json.dumps({k: credentials[k] for k in ("username", "password")}).encode()
    scope = build_scope("POST", base + "/api/session", [("content-type", "application/json")])
    raw = drive(gateway, scope, body)
    assert raw.status == 201, raw.body
    cookie = next(v for k, v in raw.headers if k == b"set-cookie").decode().split(";", 1)[0]
    return {"Cookie": cookie}


def walk(scenario_id: str, seed: int) -> Iterator[tuple[str, str, int]]:
    """Every GET route of the scenario's services, sent by the agent (GET and HEAD) and through
    the reader: ``(who, url, status)`` for each request, asserting after each that no table
    changed."""
    episode = Episode(scenario_id, seed)
    world = episode.world
    gateway = Gateway(
        world,
        [*episode.services, *([] if "reader" in episode.base_urls else [READER])],
        raise_server_errors=True,
    )
    task = episode.task
    logins = {
        name: session_headers(gateway, task["services"][name].rstrip("/"), credentials)
        for name, credentials in task["credentials"].items()
    }
    start, before = state(world), world.snapshot()
    allowed = {table for (_, table) in ALLOWED}
    for service in episode.services:
        if service.name == "reader":
            continue
        base = task["services"][service.name].rstrip("/")
        credentials = task["credentials"].get(service.name, {"type": "none"})
        headers = {
            "User-Agent": USER_AGENT,
            **auth_headers(credentials),
            **logins.get(service.name, {}),
        }
        query = urlencode(_query_credentials(credentials))
        for template in get_paths(service):
            url = base + fill(template, world, service.name)
            # The reader: no header of ours reaches the target, only the URL.
            reader_url = f"https://r.jina.ai/{url}" + (f"?{query}" if query else "")
            for who, method, sent, sent_headers in (
                ("agent", "GET", url, headers),
                ("agent", "HEAD", url, headers),
                ("reader", "GET", reader_url, {}),
            ):
                world.runtime.pop("reader.rate", None)  # the reader's per-minute budget
                logged, prior = len(world.log), world.snapshot()
                raw = drive(gateway, build_scope(method, sent, sent_headers.items()))
                changed = set(world.diff(prior)) - (allowed if who == "agent" else set())
                assert not changed, f"{scenario_id}: {method} {sent} ({who}) changed {changed}"
                if who == "reader":
                    # The fetch went through the gateway: logged, with its origin, before
                    # the reader's own entry.
                    entries = world.log[logged:]
                    assert [e.origin for e in entries] == ["reader", ""], entries
                    assert entries[0].service == service.name
                    yield who, sent, entries[0].status
                else:
                    yield who, sent, raw.status
    assert world.snapshot().counters == before.counters, f"{scenario_id}: ids were drawn"
    if not world.diff(before):  # (else an allowed bookkeeping table changed the hash)
        assert state(world) == start, f"{scenario_id}: the GETs changed the world's state"


def _cases() -> list[tuple[str, int]]:
    if os.environ.get(SWEEP_VARIABLE) == "full":
        return [(sid, seed) for sid in sorted(_scenario_services()) for seed in range(3)]
    return sorted({(scenario_for(name), 0) for name in services() if name not in UNPLAYED})


@pytest.mark.parametrize(("scenario_id", "seed"), _cases())
def test_no_get_changes_the_world(scenario_id: str, seed: int) -> None:
    walked = list(walk(scenario_id, seed))
    assert walked, f"{scenario_id}: no GET route walked"
    fetched = [url for who, url, _ in walked if who == "reader"]
    assert len(fetched) * 3 == len(walked)


def test_every_service_is_walked() -> None:
    walked = {name for sid, _ in _cases() for name in _scenario_services()[sid]}
    assert walked >= set(services()) - UNPLAYED
