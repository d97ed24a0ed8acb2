"""Hosting episodes over HTTP: ``apibench serve``, with one episode or as an episode server.

An :class:`EpisodeHost` is the ASGI app behind the listening socket. It holds episodes, each
a world of its own with its own lock, clock, fault schedule and request log, and routes each
agent request to one of them:

- the single episode of ``apibench serve --scenario ID``: its services under ``/<service>``
  (or by their real host names in the ``Host`` header), as the :class:`~mockapis.gateway.Gateway`
  routes;
- an episode created through the control plane: under ``/e/<episode id>/<service>``, and
  its MCP endpoint (streamable HTTP, the ``mcp`` extra) at ``/e/<episode id>/mcp``, whose
  tools act on the same world (:class:`~gym_apibench.integrations.mcp_server.HostedEndpoint`);
- in root-URL mode, every service of every episode on a port of its own, at the root of
  its origin (``http://127.0.0.1:<port>``), as SDKs expect the real API to be.

The control plane, under :data:`CONTROL_PREFIX`, opens only to the control token (never to
an agent's credentials) and is in no spec. For the single episode, ``/score``, ``/reset``,
``/submit``; for the episode server, ``/episodes`` to create and list, and per episode
``/episodes/<id>`` with ``/score``, ``/reset``, ``/submit``, ``/step``, ``/state`` and
``DELETE`` to end it. Requests to one episode are served one at a time (their bodies read
before its lock is taken); requests to different episodes never wait for each other's lock.
Episodes not used for ``idle_timeout`` seconds are ended, and at most ``max_episodes`` live
at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import email.utils
import importlib.metadata
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from gym_apibench.episode import Episode, Injected
from gym_apibench.scenarios import get_scenario, load_scenarios
from gym_apibench.sizes import world_sizes
from mockapis.asgi import lifespan
from mockapis.control import authorized, unauthorized
from mockapis.faults import FaultSpecError, load_rules
from mockapis.kit.responses import JSONResponse
from mockapis.registry import get_service
from mockapis.server import Listeners, bind, locked
from mockapis.service import Service

__all__ = [
    "CONTROL_PREFIX",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_EPISODES",
    "MODES",
    "TOKEN_VARIABLE",
    "EpisodeHost",
    "Hosted",
]

CONTROL_PREFIX = "/_apibench"
"""Where the control plane is mounted, on the host's own port."""

TOKEN_VARIABLE = "APIBENCH_CONTROL_TOKEN"
"""The control token: ``apibench serve`` takes it from there (else makes a random one), and
:class:`~gym_apibench.remote.EpisodeServer` uses it when given none."""

EPISODE_PREFIX = "/e"
"""Agent requests to a created episode go under ``/e/<episode id>/<service>``."""

MCP_PATH = "mcp"
"""A created episode's MCP endpoint is ``/e/<episode id>/mcp`` (no service has that name)."""


def _mcp_installed() -> bool:
    try:
        version = importlib.metadata.version("mcp")
    except importlib.metadata.PackageNotFoundError:
        return False
    # The mcp extra's SDK (2.3 on); another extra's pin can bring an older one (openenv: <2).
    return tuple(int(p) if p.isdigit() else 0 for p in version.split(".")[:2]) >= (2, 3)


MCP_INSTALLED = _mcp_installed()
"""Whether the ``mcp`` extra is installed: episodes get an MCP endpoint only then."""

DEFAULT_MAX_EPISODES = 1024
DEFAULT_IDLE_TIMEOUT = 900.0
"""Seconds without a request (agent or control) after which an episode is ended."""

MODES = ("served", "gym")
"""How a created episode is played. ``served``: the agent sends HTTP to the episode's URLs,
on the wall clock (Retry-After and latency cost real seconds). ``gym``: as ``gym.make`` in
process: a virtual clock, the real host names in the task, requests sent as actions through
``POST .../step`` (what the remote Gymnasium env does)."""

Handler = Callable[[Request], Awaitable[Response]]
EpisodeHandler = Callable[["Hosted", Request], Awaitable[Response]]

_CREATE_KEYS = ("scenario", "seed", "faults", "sizes", "mode")


class Endpoint(Protocol):
    """An episode's MCP endpoint (an ASGI app), made at its first request."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...

    def reset(self) -> None:
        """The episode's world was reset: start its tools' session anew."""

    def close(self) -> None:
        """The episode ended."""


@dataclasses.dataclass(eq=False)
class Hosted:
    """One hosted episode: its world and grader, its lock, and where its services are."""

    id: str
    episode: Episode
    mode: str
    prefix: str
    """The path its services are under (``/e/<id>``; empty for the single episode)."""
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    last_used: float = 0.0
    ports: dict[int, Service] = dataclasses.field(default_factory=dict)
    """Root-URL mode: the port of each service."""
    listening: list[asyncio.Server] = dataclasses.field(default_factory=list)
    mcp: Endpoint | None = None

    def info(self, control_url: str | None, mcp_url: str | None = None) -> dict[str, Any]:
        """What the agent may know (services, credentials, task, the MCP endpoint's URL),
        and, for an episode of the episode server, its id and control URL (for the
        operator)."""
        task = self.episode.task
        info: dict[str, Any] = {
            "services": task["services"],
            "credentials": task["credentials"],
            "task": {
                k: task[k] for k in ("scenario", "instruction", "inputs", "docs", "max_steps")
            },
        }
        if mcp_url is not None:
            info["mcp"] = {"url": mcp_url}
        if control_url is not None:
            info = {"id": self.id, **info, "control": {"url": control_url}}
        return info

    def score(self) -> dict[str, Any]:
        """The current grade of the world (and the answer, if one was submitted)."""
        grade = self.episode.grade()
        return {
            "scenario": self.episode.scenario.id,
            "seed": self.episode.seed,
            "reward": grade.reward,
            "success": grade.success,
            "checks": grade.checks,
            "submitted": self.episode.submitted,
        }


class EpisodeHost:
    """The ASGI app of ``apibench serve``: hosted episodes and their control plane.

    ``base_url`` is the origin clients reach the host at (``http://127.0.0.1:8000``);
    ``token`` opens the control plane. ``root_urls``: services on ports of their own (needs
    ``listeners``, from :func:`mockapis.server.serve`). ``faults``: rule mappings added to
    every episode's own.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        max_episodes: int = DEFAULT_MAX_EPISODES,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        root_urls: bool = False,
        listeners: Listeners | None = None,
        bind_host: str = "127.0.0.1",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not token:
            raise ValueError("the control token must not be empty")
        if root_urls and listeners is None:
            raise ValueError("root_urls needs listeners to open a port per service")
        self.base_url = base_url.rstrip("/")
        self.control_url = self.base_url + CONTROL_PREFIX
        self.token = token
        self.max_episodes = max_episodes
        self.idle_timeout = idle_timeout
        self.root_urls = root_urls
        self.listeners = listeners
        self.bind_host = bind_host
        self.clock = clock
        self.episodes: dict[str, Hosted] = {}
        self.single: Hosted | None = None
        self._by_port: dict[int, tuple[Hosted, Service]] = {}
        self._sweeper: asyncio.TimerHandle | None = None
        self._control = self._control_app()

    # -- episodes --------------------------------------------------------------------------------

    async def host_single(
        self, scenario_id: str, seed: int, *, faults: Any = None, sizes: Any = None
    ) -> Hosted:
        """Host the one episode of ``apibench serve --scenario``: services under
        ``/<service>`` (or on ports of their own), control at the control URL itself."""
        hosted = await self._new(scenario_id, seed, faults, sizes, "served", prefix="")
        self.single = hosted
        return hosted

    async def create(
        self,
        scenario_id: str,
        seed: int,
        *,
        faults: Any = None,
        sizes: Any = None,
        mode: str = "served",
    ) -> Hosted:
        """A new episode of the episode server (``ValueError`` for a bad argument,
        :class:`HostFull` at the limit)."""
        self.sweep()
        if len(self.episodes) >= self.max_episodes:
            raise HostFull(self.max_episodes, self.idle_timeout)
        episode_id = secrets.token_urlsafe(12)
        hosted = await self._new(
            scenario_id, seed, faults, sizes, mode, prefix=f"{EPISODE_PREFIX}/{episode_id}"
        )
        hosted.id = episode_id
        self.episodes[episode_id] = hosted
        self._start_sweeper()
        return hosted

    async def _new(
        self, scenario_id: str, seed: int, faults: Any, sizes: Any, mode: str, *, prefix: str
    ) -> Hosted:
        scenario = get_scenario(scenario_id)
        base_urls: dict[str, str] | None
        ports: dict[int, Service] = {}
        listening: list[asyncio.Server] = []
        if mode == "gym":
            base_urls = None  # the real host names, as in process
        elif self.root_urls:
            assert self.listeners is not None
            base_urls = {}
            for name in scenario.services:
                sock = bind(self.bind_host, 0)
                port = sock.getsockname()[1]
                listening.append(await self.listeners.add(sock))
                ports[port] = get_service(name)
                base_urls[name] = _origin(self.base_url, port)
        else:
            base_urls = {name: f"{self.base_url}{prefix}/{name}" for name in scenario.services}
        try:
            episode = Episode(
                scenario_id,
                seed,
                base_urls=base_urls,
                faults=faults,
                sizes=sizes,
                # Served clients wait for real (Retry-After, latency): the wall clock's time.
                wall_clock=mode == "served",
            )
        except BaseException:
            for server in listening:
                self._unlisten(server)
            raise
        hosted = Hosted("", episode, mode, prefix, ports=ports, listening=listening)
        hosted.last_used = self.clock()
        for port, service in ports.items():
            self._by_port[port] = (hosted, service)
        return hosted

    def end(self, hosted: Hosted) -> None:
        """End an episode of the episode server: its URLs answer 404 from now on."""
        self.episodes.pop(hosted.id, None)
        if hosted.mcp is not None:
            hosted.mcp.close()
        for port in hosted.ports:
            self._by_port.pop(port, None)
        for server in hosted.listening:
            self._unlisten(server)
        hosted.listening.clear()

    def _unlisten(self, server: asyncio.Server) -> None:
        assert self.listeners is not None
        self.listeners.remove(server)

    def sweep(self) -> list[str]:
        """End the episodes idle for longer than ``idle_timeout`` (none busy); their ids."""
        deadline = self.clock() - self.idle_timeout
        idle = [h for h in self.episodes.values() if h.last_used < deadline and not h.lock.locked()]
        for hosted in idle:
            self.end(hosted)
        return [h.id for h in idle]

    def _start_sweeper(self) -> None:
        """Sweep now and then while episodes live, so idle ones go without a control call."""
        if self._sweeper is not None or not self.episodes:
            return

        def tick() -> None:
            self._sweeper = None
            self.sweep()
            self._start_sweeper()

        interval = min(60.0, max(self.idle_timeout / 4, 0.05))
        self._sweeper = asyncio.get_running_loop().call_later(interval, tick)

    # -- the ASGI app ----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        mcp = self._mcp_of(scope)
        if mcp is not None:
            await self._serve_mcp(mcp, scope, receive, send)
            return
        route = self._route(scope)
        if route is None:
            await self._control(_mounted(scope, CONTROL_PREFIX), receive, send)
        elif isinstance(route, Response):
            await _send(send, route)
        else:
            hosted, service, prefix = route
            await self._dispatch(hosted, service, prefix, scope, receive, send)

    def _route(self, scope: Scope) -> tuple[Hosted, Service, str] | Response | None:
        """The episode and service an agent's request is for and the prefix it came under;
        None for the control plane (never on a service's own port); or the 404."""
        server = scope.get("server")
        if self._by_port and server is not None:
            found = self._by_port.get(server[1])
            if found is not None:
                return found[0], found[1], ""
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return None
        if path.startswith(EPISODE_PREFIX + "/"):
            episode_id, _, rest = path[len(EPISODE_PREFIX) + 1 :].partition("/")
            hosted = self.episodes.get(episode_id)
            name = rest.partition("/")[0]
            if hosted is not None and hosted.mode == "served" and not hosted.ports:
                service = hosted.episode.gateway.services.get(name)
                if service is not None:
                    return hosted, service, f"{hosted.prefix}/{name}"
            return _no_episode(episode_id, name, hosted)
        if self.single is not None:
            gateway = self.single.episode.gateway
            found_service, prefix = gateway.resolve(scope)
            if found_service is not None:
                return self.single, found_service, prefix
            return _error(
                404,
                "unknown_host",
                f"no simulated service at {path!r}; this episode's services: "
                + ", ".join(
                    f"{name}: {url}" for name, url in self.single.episode.base_urls.items()
                ),
            )
        return _not_found(path)

    def _mcp_of(self, scope: Scope) -> Hosted | None:
        """The live episode whose MCP endpoint a request is for (never on a service's port)."""
        path: str = scope["path"]
        if not path.startswith(EPISODE_PREFIX + "/") or not path.endswith("/" + MCP_PATH):
            return None
        server = scope.get("server")
        if server is not None and server[1] in self._by_port:
            return None
        episode_id, _, rest = path[len(EPISODE_PREFIX) + 1 :].partition("/")
        return self.episodes.get(episode_id) if rest == MCP_PATH else None

    def _mcp_url(self, hosted: Hosted) -> str | None:
        return f"{self.base_url}{hosted.prefix}/{MCP_PATH}" if MCP_INSTALLED else None

    async def _serve_mcp(self, hosted: Hosted, scope: Scope, receive: Receive, send: Send) -> None:
        if hosted.mcp is None:
            if not MCP_INSTALLED:
                message = "this server has no MCP endpoints: install apibench[mcp] to serve them"
                await _send(send, _error(404, "not_found", message))
                return
            from gym_apibench.integrations.mcp_server import HostedEndpoint

            def touch() -> None:
                hosted.last_used = self.clock()

            hosted.mcp = HostedEndpoint(hosted.episode, hosted.lock, touch=touch)
        hosted.last_used = self.clock()
        await hosted.mcp(scope, receive, send)

    async def _dispatch(
        self,
        hosted: Hosted,
        service: Service,
        prefix: str,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        hosted.last_used = self.clock()
        gateway = hosted.episode.gateway

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await gateway.dispatch(service, prefix, scope, receive, send)

        await locked(
            hosted.lock, app, scope, receive, _dated(send) if not service.sends_date else send
        )
        hosted.last_used = self.clock()

    # -- the control plane -----------------------------------------------------------------------

    def _control_app(self) -> Starlette:
        def guarded(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                if not authorized(request, self.token):
                    return unauthorized()
                self.sweep()
                return await handler(request)

            return endpoint

        def on(find: Callable[[Request], Hosted | Response], handler: EpisodeHandler) -> Handler:
            """``handler`` on the episode ``find`` names (or ``find``'s error answer)."""

            async def endpoint(request: Request) -> Response:
                hosted = find(request)
                return hosted if isinstance(hosted, Response) else await handler(hosted, request)

            return endpoint

        single, by_id = self._the_single, self._lookup
        routes = [
            Route("/health", guarded(self._health), methods=["GET"]),
            Route("/score", guarded(on(single, self._score)), methods=["GET"]),
            Route("/reset", guarded(on(single, self._reset)), methods=["POST"]),
            Route("/submit", guarded(on(single, self._submit)), methods=["POST"]),
            Route("/episodes", guarded(self._list), methods=["GET"]),
            Route("/episodes", guarded(self._create), methods=["POST"]),
            Route("/episodes/{id}", guarded(on(by_id, self._get)), methods=["GET"]),
            Route("/episodes/{id}", guarded(on(by_id, self._end)), methods=["DELETE"]),
            Route("/episodes/{id}/score", guarded(on(by_id, self._score)), methods=["GET"]),
            Route("/episodes/{id}/reset", guarded(on(by_id, self._reset)), methods=["POST"]),
            Route("/episodes/{id}/submit", guarded(on(by_id, self._submit)), methods=["POST"]),
            Route("/episodes/{id}/step", guarded(on(by_id, self._step)), methods=["POST"]),
            Route("/episodes/{id}/state", guarded(on(by_id, self._state)), methods=["GET"]),
        ]
        return Starlette(routes=routes)

    async def _health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "episodes": len(self.episodes)})

    def _the_single(self, request: Request) -> Hosted | Response:
        if self.single is None:
            return _error(
                404,
                "not_found",
                "this is an episode server: each episode has its own control URL, "
                f"{self.control_url}/episodes/<id>/...",
            )
        return self.single

    async def _list(self, request: Request) -> Response:
        now = self.clock()
        return JSONResponse(
            {
                "episodes": [
                    {
                        "id": h.id,
                        "scenario": h.episode.scenario.id,
                        "seed": h.episode.seed,
                        "mode": h.mode,
                        "idle_seconds": round(now - h.last_used, 3),
                    }
                    for h in self.episodes.values()
                ],
                "max_episodes": self.max_episodes,
                "idle_timeout": self.idle_timeout,
            }
        )

    async def _create(self, request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return _error(
                400,
                "bad_request",
                'the body is a JSON object: {"scenario": ID, "seed": N, "faults"?: [rule, ...], '
                '"sizes"?: {service: {entity: count}}, "mode"?: '
                + " | ".join(map(repr, MODES))
                + "}",
            )
        unknown = sorted(set(body) - set(_CREATE_KEYS))
        if unknown:
            return _error(
                400,
                "bad_request",
                f"unknown key(s) {', '.join(map(repr, unknown))}; the keys are "
                + ", ".join(_CREATE_KEYS),
            )
        scenario_id, seed = body.get("scenario"), body.get("seed", 0)
        known = load_scenarios()
        if not isinstance(scenario_id, str) or scenario_id not in known:
            close = difflib.get_close_matches(str(scenario_id), list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return _error(
                404,
                "unknown_scenario",
                f"no scenario {scenario_id!r}{hint}; `apibench list` names them "
                "(e.g. " + next(iter(known)) + ")",
            )
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            return _error(400, "bad_request", f"seed is an integer >= 0; got {seed!r}")
        mode = body.get("mode", "served")
        if mode not in MODES:
            return _error(400, "bad_request", f"mode is one of {', '.join(MODES)}; got {mode!r}")
        faults = body.get("faults")
        if faults is not None and not isinstance(faults, list | dict):
            # A path would be read on the server's disk: only the rules themselves are taken.
            return _error(
                400, "bad_request", "faults is a list of fault rules (mappings), as in a YAML file"
            )
        try:
            rules = load_rules(faults)
            sizes = world_sizes(scenario_id, body.get("sizes"))
            hosted = await self.create(scenario_id, seed, faults=rules, sizes=sizes, mode=mode)
        except HostFull as exc:
            return _error(429, "too_many_episodes", str(exc), {"Retry-After": "5"})
        except (FaultSpecError, ValueError) as exc:
            return _error(400, "bad_request", str(exc))
        return JSONResponse(hosted.info(*self._episode_urls(hosted)), 201)

    def _episode_urls(self, hosted: Hosted) -> tuple[str, str | None]:
        """An episode's control URL, and its MCP endpoint's (when the mcp extra is here)."""
        return f"{self.control_url}/episodes/{hosted.id}", self._mcp_url(hosted)

    def _lookup(self, request: Request) -> Hosted | Response:
        episode_id = request.path_params["id"]
        hosted = self.episodes.get(episode_id)
        if hosted is None:
            return _error(
                404,
                "unknown_episode",
                f"no live episode {episode_id!r} (ended, evicted after {self.idle_timeout:g} s "
                f"idle, or never created); GET {self.control_url}/episodes lists the live ones",
            )
        hosted.last_used = self.clock()
        return hosted

    async def _get(self, hosted: Hosted, request: Request) -> Response:
        return JSONResponse(hosted.info(*self._episode_urls(hosted)))

    async def _end(self, hosted: Hosted, request: Request) -> Response:
        async with hosted.lock:
            self.end(hosted)
        return JSONResponse({"ended": hosted.id})

    async def _step(self, hosted: Hosted, request: Request) -> Response:
        body = await _json_body(request)
        action = body.get("action") if isinstance(body, dict) else None
        if not isinstance(action, dict):
            return _error(
                400,
                "bad_request",
                'the body is {"action": {"method", "url", ...}} or {"action": {"wait": seconds}}',
            )
        episode = hosted.episode
        injected: Injected = ()
        async with hosted.lock:
            if "wait" in action and len(action) == 1:
                obs = episode.wait(action["wait"])
            else:
                obs, injected = episode.send(action)
        return JSONResponse({"observation": obs, "faults": [list(f) for f in injected]})

    async def _state(self, hosted: Hosted, request: Request) -> Response:
        async with hosted.lock:
            return JSONResponse({"state_hash": hosted.episode.state_hash()})

    async def _score(self, hosted: Hosted, request: Request) -> Response:
        async with hosted.lock:
            return JSONResponse(hosted.score())

    async def _reset(self, hosted: Hosted, request: Request) -> Response:
        async with hosted.lock:
            hosted.episode.reset()
            if hosted.mcp is not None:
                hosted.mcp.reset()
        return JSONResponse({"reset": True})

    async def _submit(self, hosted: Hosted, request: Request) -> Response:
        payload = await _json_body(request)
        if not isinstance(payload, dict) or "answer" not in payload:
            return _error(400, "bad_request", 'the body must be {"answer": <JSON value>}')
        async with hosted.lock:
            hosted.episode.submit(payload["answer"])
            return JSONResponse({"submitted": True, **hosted.score()})


class HostFull(Exception):
    """The episode server holds as many live episodes as it may."""

    def __init__(self, limit: int, idle_timeout: float) -> None:
        super().__init__(
            f"this server holds its limit of {limit} live episodes; end one "
            f"(DELETE its control URL) or wait: episodes idle for {idle_timeout:g} s end"
        )


def _origin(base_url: str, port: int) -> str:
    """``base_url``'s scheme and host with ``port``."""
    scheme, _, rest = base_url.partition("://")
    host = rest.rsplit(":", 1)[0] if not rest.endswith("]") else rest
    return f"{scheme}://{host}:{port}"


def _mounted(scope: Scope, prefix: str) -> Scope:
    scope = dict(scope)
    scope["root_path"] = scope.get("root_path", "") + prefix
    return scope


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def _error(
    status: int, error: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return JSONResponse({"error": error, "message": message}, status, headers=dict(headers or {}))


def _no_episode(episode_id: str, name: str, hosted: Hosted | None) -> Response:
    if hosted is None:
        return _error(
            404,
            "unknown_episode",
            f"no live episode {episode_id!r} on this server (ended, evicted when idle, or never "
            "created); the episode's services are at the URLs its info gives",
        )
    if hosted.mode != "served":
        return _error(
            404, "not_served", f"episode {episode_id!r} is played through its control plane's /step"
        )
    names = ", ".join(hosted.episode.gateway.services)
    return _error(
        404,
        "unknown_service",
        f"episode {episode_id!r} has no service {name!r}; its services: {names}",
    )


def _not_found(path: str) -> Response:
    return _error(
        404,
        "not_found",
        f"nothing at {path!r}: an episode's services are at the URLs its info gives "
        f"({EPISODE_PREFIX}/<episode id>/<service>/...)",
    )


async def _send(send: Send, response: Response) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})


def _dated(send: Send) -> Send:
    """``send`` adding a ``Date`` header (the wall clock's, as a server's) to a response
    without one: the host serves services that send their own beside ones that do not."""

    async def dated(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            if not any(k.lower() == b"date" for k, _ in headers):
                headers.append((b"date", _http_date()))
                message = {**message, "headers": headers}
        await send(message)

    return dated


_DATE: tuple[int, bytes] = (0, b"")


def _http_date() -> bytes:
    """The current time as an HTTP date (made once a second)."""
    global _DATE
    now = int(time.time())
    if _DATE[0] != now:
        _DATE = (now, email.utils.formatdate(now, usegmt=True).encode())
    return _DATE[1]
