"""A gateway over a seeded world with fault rules, for the fault tests (fake service or Attio)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapis.attio import SERVICE as ATTIO
from mockapis.faults import FaultLayer, FaultsArg, load_rules
from mockapis.gateway import Gateway
from mockapis.service import Service
from mockapis.world import World
from tests.conftest import FAKE_HOST, Reply, make_fake_service, send_to

FAKE = make_fake_service()
ATTIO_SIZES = {"people": 30, "companies": 10, "deals": 5, "notes": 3}
PEOPLE = "/v2/objects/people/records"


@dataclass
class Harness:
    """One world behind a gateway with fault rules; requests carry the agent's token."""

    world: World
    gateway: Gateway
    token: str
    base: str

    def request(
        self, method: str, path: str, json_body: Any = None, headers: dict[str, str] | None = None
    ) -> Reply:
        """Send one request (a transport fault raises :class:`TransportFault`)."""
        send = send_to(self.gateway)
        auth = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return send(method, self.base + path, headers=auth, json_body=json_body)

    def get(self, path: str) -> Reply:
        """``GET path``."""
        return self.request("GET", path)

    def post(self, path: str, json_body: Any = None) -> Reply:
        """``POST path`` with a JSON body."""
        return self.request("POST", path, json_body)

    def kinds(self) -> list[tuple[str, ...]]:
        """Per logged request, the kinds of the faults injected into it."""
        return [tuple(kind for _, kind in entry.faults) for entry in self.world.log]

    def hit(self) -> list[int]:
        """The indices (from 0) of the logged requests some fault was injected into."""
        return [i for i, entry in enumerate(self.world.log) if entry.faults]


def harness(service: Service, faults: FaultsArg, seed: int, sizes: dict[str, int]) -> Harness:
    """A seeded world of ``service`` behind a gateway with ``faults`` (None: no fault layer)."""
    world = World(seed)
    creds = service.seed(world, sizes)
    world.commit()
    rules = load_rules(faults)
    layer = FaultLayer(rules) if rules else None
    gateway = Gateway(world, [service], faults=layer, raise_server_errors=True)
    return Harness(world, gateway, creds["token"], f"https://{service.hosts[0]}")


def fake(faults: FaultsArg = None, *, seed: int = 7, things: int = 3) -> Harness:
    """The fake service (``/v1/things``) with ``things`` things."""
    assert FAKE.hosts[0] == FAKE_HOST
    return harness(FAKE, faults, seed, {"things": things})


def attio(faults: FaultsArg = None, *, seed: int = 7) -> Harness:
    """A small Attio workspace."""
    return harness(ATTIO, faults, seed, ATTIO_SIZES)
