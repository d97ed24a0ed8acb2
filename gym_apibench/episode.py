"""One scenario world for one seed: build (cached), reset, HTTP steps, grading."""

from __future__ import annotations

import copy
import functools
import json
import os
import random
import string
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gym_apibench.actions import InvalidAction, parse_request
from gym_apibench.bodies import BODY_ENCODING_HEADER, observed_body
from gym_apibench.checks import CheckContext, Grade, grade
from gym_apibench.scenarios import Scenario, family_function, get_scenario
from mockapis.asgi import SplitURL, build_scope, drive, merged_headers, split_url
from mockapis.clock import WallClock
from mockapis.faults import FaultLayer, FaultsArg, TransportFault, load_rules
from mockapis.gateway import Gateway
from mockapis.registry import get_service
from mockapis.service import DOCS_PATH, Service
from mockapis.tables import BuiltTables, Source
from mockapis.world import Snapshot, World, derive_seed

__all__ = [
    "CACHE_ENV_VAR",
    "MAX_WAIT_SECONDS",
    "Built",
    "Episode",
    "Injected",
    "Observation",
    "WorldCache",
    "build",
    "default_base_url",
    "default_cache",
    "fault_record",
    "generate",
]

MAX_WAIT_SECONDS = 86_400.0
"""The longest ``wait`` action (one virtual day)."""

Observation = dict[str, Any]

Injected = tuple[tuple[str, ...], ...]
"""``(rule, kind)`` of each fault injected into one request, and ``(rule, kind, origin)`` of
each injected into a fetch it caused (a service reading a URL: ``origin`` names it)."""


def fault_record(step: int, hit: tuple[str, ...]) -> dict[str, Any]:
    """One entry of ``info["faults"]``: ``step``, ``rule``, ``kind`` (and ``origin`` for a
    fault injected into a service's fetch rather than into the agent's request)."""
    record: dict[str, Any] = {"step": step, "rule": hit[0], "kind": hit[1]}
    if len(hit) > 2:
        record["origin"] = hit[2]
    return record


ExpectedFn = Callable[[World], Mapping[str, Any]]
"""A truth's expected values computed on demand from the world at its initial state: for
aggregates over large tables, so that a reset does not build them (grading does, once the
agent's reads have usually built them already)."""


@dataclass(frozen=True)
class Built:
    """The generated initial state of (scenario, seed) and its ground truth.

    ``snapshot`` holds the small tables row by row and the large ones as their sources: a
    cached world costs kilobytes, not the megabytes of its rows. The expected values may be
    deferred (:data:`ExpectedFn`): :attr:`expected` computes them once, when first asked.
    """

    seed: int
    snapshot: Snapshot
    credentials: Mapping[str, Mapping[str, str]]
    inputs: Mapping[str, Any]
    instruction: str
    truth_expected: Mapping[str, Any] | ExpectedFn = field(default_factory=dict)
    _resolved: dict[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def expected(self) -> Mapping[str, Any]:
        """The expected values (computed now if the truth deferred them)."""
        return self.expected_in(None)

    def expected_in(self, world: World | None) -> Mapping[str, Any]:
        """The expected values; a deferred truth reads the initial world through what
        ``world`` (of the same seed) has built already, so nothing is built twice."""
        found = self.truth_expected
        if not callable(found):
            return found
        resolved = self._resolved.get("expected")
        if resolved is None:
            initial = World(self.seed)
            initial.restore(self.snapshot)
            if world is not None:
                initial.share(world)
            resolved = self._resolved["expected"] = found(initial)
        return resolved


Warm = Mapping[Source, BuiltTables]
"""What building a world's truth built from its sources: handed to the first episode of a
freshly generated world (so it does not build it again), never kept in a cache."""


Sizes = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
"""World-size overrides in a hashable form: ``((service, ((entity, count), ...)), ...)``."""


def freeze_sizes(sizes: Mapping[str, Mapping[str, int]] | None) -> Sizes:
    """``{service: {entity: count}}`` as a hashable key for the build cache."""
    return tuple(
        sorted((svc, tuple(sorted(counts.items()))) for svc, counts in (sizes or {}).items())
    )


def generate(scenario_id: str, seed: int, sizes: Sizes = ()) -> tuple[Built, Warm]:
    """Generate the world of (scenario, seed) and its ground truth (uncached: see :func:`build`),
    with what the truth built from sources."""
    scenario = get_scenario(scenario_id)
    world = World(seed, epoch_ns=scenario.epoch_ns)
    credentials: dict[str, Mapping[str, str]] = {}
    for name in scenario.services:
        service = get_service(name)
        override = dict(dict(sizes).get(name, ()))
        sizes_for = {**service.default_sizes, **scenario.world.get(name, {}), **override}
        credentials[name] = service.seed(world, sizes_for)
    inputs: Mapping[str, Any] = {}
    expected: Mapping[str, Any] | ExpectedFn = {}
    if scenario.truth:
        truth = family_function(scenario, "truth", scenario.truth)
        # The truth draws from its own RNG so that it never perturbs the world's.
        # A variant (<id>.faulty) has its scenario's world and task: the truth seed is the base's.
        found = truth(world, random.Random(derive_seed(seed, scenario.base_id, "truth")))
        inputs, expected = found.get("inputs", {}), found.get("expected", {})
    world.commit()
    instruction = string.Template(scenario.instruction).substitute(
        {k: v for k, v in inputs.items() if isinstance(v, str | int | float)}
    )
    built = Built(
        seed=seed,
        snapshot=world.snapshot(),
        credentials=credentials,
        inputs=inputs,
        instruction=instruction,
        truth_expected=expected,
    )
    return built, world.built_tables


CACHE_ENV_VAR = "APIBENCH_WORLD_CACHE"
"""How many built worlds the process-wide cache keeps (default 64; 0 turns it off)."""
DEFAULT_CACHE_SIZE = 64


def cache_size(value: object, name: str) -> int:
    """``value`` as a world-cache capacity, else ``ValueError`` naming ``name`` and what is
    allowed (a string of digits counts: it comes from the environment)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"{name} is how many built worlds to keep: an integer >= 0 (0: none); got {value!r}"
        )
    return value


class WorldCache:
    """Built worlds by (scenario, seed, sizes), the least recently used dropped past
    ``capacity``. A cached world holds its truth, its small tables and the sources of the
    large ones, not their rows: kilobytes, not megabytes."""

    def __init__(self, capacity: int) -> None:
        self.capacity = cache_size(capacity, "capacity")
        self._worlds: OrderedDict[tuple[str, int, Sizes], Built] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, scenario_id: str, seed: int, sizes: Sizes = ()) -> Built:
        """The built world of (scenario, seed, sizes), generated on a miss."""
        return self.fetch(scenario_id, seed, sizes)[0]

    def fetch(self, scenario_id: str, seed: int, sizes: Sizes = ()) -> tuple[Built, Warm]:
        """The built world, and on a miss what generating it built (see :data:`Warm`)."""
        key = (scenario_id, seed, sizes)
        built = self._worlds.get(key)
        if built is not None:
            self.hits += 1
            self._worlds.move_to_end(key)
            return built, {}
        self.misses += 1
        built, warm = generate(scenario_id, seed, sizes)
        if self.capacity:
            self._worlds[key] = built
            while len(self._worlds) > self.capacity:
                self._worlds.popitem(last=False)
        return built, warm

    def __len__(self) -> int:
        return len(self._worlds)

    def clear(self) -> None:
        """Drop every cached world."""
        self._worlds.clear()


@functools.cache
def default_cache() -> WorldCache:
    """The process-wide cache (capacity from ``$APIBENCH_WORLD_CACHE``, default 64)."""
    return WorldCache(
        cache_size(os.environ.get(CACHE_ENV_VAR, DEFAULT_CACHE_SIZE), f"${CACHE_ENV_VAR}")
    )


def build(scenario_id: str, seed: int, sizes: Sizes = ()) -> Built:
    """The world of (scenario, seed), generated once per process while the default cache
    keeps it; resets restore it."""
    return default_cache().get(scenario_id, seed, sizes)


def default_base_url(service: Service) -> str:
    """The base URL an in-process agent uses for ``service``: its real hostname."""
    return f"https://{service.hosts[0]}"


def _rebased(credentials: Mapping[str, str], service: Service, base_url: str) -> dict[str, str]:
    """``credentials`` with URLs on the service's real hosts (a token URL) moved under
    ``base_url`` when the agent does not use the real host (server mode): the agent must
    never be sent to the real API."""
    if base_url == default_base_url(service):
        return dict(credentials)
    origins = tuple(f"https://{host}/" for host in service.hosts)
    return {
        key: base_url.rstrip("/") + "/" + value.split("/", 3)[3]
        if value.startswith(origins)
        else value
        for key, value in credentials.items()
    }


def _error(kind: str, message: str) -> Observation:
    body = json.dumps({"error": kind, "message": message}, ensure_ascii=False)
    return {"status": 0, "headers": {"content-type": "application/json"}, "body": body}


class Episode:
    """A scenario's world for one seed, an agent's requests into it, and its grade.

    ``base_urls`` overrides the service URLs given to the agent (server mode); in-process the
    agent uses the real hostnames (``https://api.attio.com``).
    """

    def __init__(
        self,
        scenario_id: str,
        seed: int,
        *,
        base_urls: Mapping[str, str] | None = None,
        raise_server_errors: bool = False,
        faults: FaultsArg = None,
        wall_clock: bool = False,
        sizes: Mapping[str, Mapping[str, int]] | None = None,
        cache: WorldCache | None = None,
    ) -> None:
        self.scenario: Scenario = get_scenario(scenario_id)
        self.seed = seed
        worlds = cache if cache is not None else default_cache()
        self.built, warm = worlds.fetch(scenario_id, seed, freeze_sizes(sizes))
        self.services: list[Service] = [get_service(n) for n in self.scenario.services]
        clock = WallClock(self.scenario.epoch_ns) if wall_clock else None
        self.world = World(seed, epoch_ns=self.scenario.epoch_ns, clock=clock)
        # What the truth built, this episode keeps (resets of this seed reuse it); the cache
        # keeps only the sources.
        self.world.share(warm)
        # Served, a client that signs with its own clock (OAuth 1.0a timestamps, request
        # signing) must agree with the server's: such a scenario's clock starts at the real
        # time at each reset instead of the scenario's epoch (the seeded data keeps its dates).
        self.real_time = wall_clock and any(s.client_clock for s in self.services)
        self.rules = [*self.scenario.faults, *load_rules(faults)]
        self.gateway = Gateway(
            self.world,
            self.services,
            raise_server_errors=raise_server_errors,
            faults=FaultLayer(self.rules) if self.rules else None,
        )
        # The gateway's dispatch bound per real hostname: no per-request resolution or partial.
        self._by_host = {
            host: functools.partial(self.gateway.dispatch, s, "")
            for s in self.services
            for host in s.hosts
        }
        self.base_urls = {
            s.name: (base_urls or {}).get(s.name) or default_base_url(s) for s in self.services
        }
        # Served, a base URL can name its service by a path (an episode server's
        # /e/<id>/<service>) or a port of its own: requests sent in process go there too.
        self._by_base = [(split_url(self.base_urls[s.name]), s) for s in self.services if base_urls]
        self.answer: Any = None
        self.submitted = False
        self.reset()

    @property
    def task(self) -> dict[str, Any]:
        """What the agent is told (a fresh copy each time)."""
        return {
            "scenario": self.scenario.id,
            "instruction": self.built.instruction,
            "inputs": copy.deepcopy(dict(self.built.inputs)),
            "services": dict(self.base_urls),
            "credentials": {
                s.name: _rebased(self.built.credentials[s.name], s, self.base_urls[s.name])
                for s in self.services
                if s.name in self.built.credentials
            },
            "docs": {name: url + DOCS_PATH for name, url in self.base_urls.items()},
            "max_steps": self.scenario.max_steps,
        }

    def reset(self) -> None:
        """Back to the generated initial state (a snapshot restore, never a regeneration)."""
        self.world.restore(self.built.snapshot)
        if self.real_time:
            self.world.clock.now_ns = self.world.epoch_ns = time.time_ns()
        self.answer = None
        self.submitted = False

    def submit(self, answer: Any) -> None:
        """Record the agent's final answer."""
        self.answer = copy.deepcopy(answer)
        self.submitted = True

    def finish(self, answer: Any) -> Grade:
        """Submit ``answer`` and grade."""
        self.submit(answer)
        return self.grade()

    def grade(self) -> Grade:
        """Run the scenario's checks on the current world and answer."""
        ctx = CheckContext(
            world=self.world,
            diff=self.world.diff(self.built.snapshot),
            answer=self.answer,
            submitted=self.submitted,
            expected=self.built.expected_in(self.world),
            inputs=self.built.inputs,
        )
        return grade(self.scenario, ctx)

    def request(self, action: Mapping[str, Any]) -> Observation:
        """Execute one request action in-process; invalid actions give a status-0 observation."""
        try:
            req = parse_request(action, self.base_urls)
            scope = build_scope(req.method, req.url, req.headers)
        except InvalidAction as exc:
            return _error("invalid_action", str(exc))
        except UnicodeError as exc:
            return _error("invalid_action", f"HTTP headers must be latin-1 text: {exc}")
        gateway = self.gateway
        app = self._by_host.get(req.url.host) or self._at_base_url(req.url)
        if app is None:
            service, prefix = gateway.resolve(scope)
            if service is None:
                return _error(
                    "connect_error",
                    f"cannot connect to {req.url.netloc!r}: no simulated service there; "
                    f"base URLs: {self.base_urls}",
                )
            app = functools.partial(gateway.dispatch, service, prefix)
        try:
            raw = drive(app, scope, req.body)
        except TransportFault as fault:
            return _error(fault.kind, fault.message)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in raw.headers}
        if len(headers) != len(raw.headers):
            headers = merged_headers(raw.headers)
        body, encoded = observed_body(raw.body)
        if encoded:
            headers[BODY_ENCODING_HEADER] = "base64"
        return {"status": raw.status, "headers": headers, "body": body}

    def _at_base_url(self, url: SplitURL) -> Callable[..., Any] | None:
        """The gateway's dispatch to the service whose served base URL ``url`` is under."""
        for base, service in self._by_base:
            prefix = base.path.rstrip("/")
            if (
                url.netloc == base.netloc
                and url.scheme == base.scheme
                and (url.path == prefix or url.path.startswith(prefix + "/"))
            ):
                return functools.partial(self.gateway.dispatch, service, prefix)
        return None

    def send(self, action: Mapping[str, Any]) -> tuple[Observation, Injected]:
        """:meth:`request`, and the faults injected into it."""
        log = self.world.log
        logged = len(log)
        obs = self.request(action)
        # A request writes one log entry (none when it never reached a service), after those
        # of the fetches it caused (a reader reading a URL), which are rare.
        new = len(log) - logged
        if new <= 1:
            return obs, (log[-1].faults if new else ())
        return obs, tuple(
            (*hit, entry.origin) if entry.origin else hit
            for entry in log[logged:]
            for hit in entry.faults
        )

    def unmatched_rules(self) -> list[str]:
        """The fault rules (names) no request of this episode has matched so far."""
        layer = self.gateway.faults
        return [] if layer is None else [n for n, c in layer.matched(self.world).items() if not c]

    def state_hash(self) -> str:
        """The canonical hash of the current world (for determinism checks)."""
        return self.world.state_hash()

    def wait(self, seconds: Any) -> Observation:
        """Advance the virtual clock by ``seconds``."""
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not (0 <= seconds <= MAX_WAIT_SECONDS)
        ):
            return _error(
                "invalid_action",
                f"wait takes a number of seconds from 0 to {MAX_WAIT_SECONDS:g}; got {seconds!r}",
            )
        self.world.clock.advance(float(seconds))
        body = json.dumps({"waited": seconds, "now": self.world.clock.isoformat()})
        return {"status": 200, "headers": {"content-type": "application/json"}, "body": body}
