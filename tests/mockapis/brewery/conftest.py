"""Fixtures driving Open Brewery DB in-process, and a runner for scenario solutions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.scenarios import family_function, get_scenario
from mockapis.asgi import build_scope, drive
from mockapis.brewery import SERVICE
from mockapis.gateway import Gateway
from mockapis.service import Service
from mockapis.world import World


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


class ServiceClient:
    """One seeded world of a no-auth service behind a gateway (shared by the four public
    services' tests: Open Brewery DB, PunkAPI, Shopify storefront, OpenAlex)."""

    def __init__(self, service: Service, seed: int, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = service.seed(self.world, sizes or dict(service.default_sizes))
        self.gateway = Gateway(self.world, [service], raise_server_errors=True)
        self.base = f"https://{service.hosts[0]}"

    def get(self, path: str) -> Reply:
        response = drive(self.gateway, build_scope("GET", self.base + path, []), b"")
        headers = {k.decode(): v.decode() for k, v in response.headers}
        return Reply(response.status, headers, response.body)

    def rows(self, table: str) -> list[dict[str, Any]]:
        found = self.world.table(table)
        return [found[k] for k in sorted(found)]


class BreweryClient(ServiceClient):
    """Open Brewery DB over one seeded world."""

    def __init__(self, seed: int) -> None:
        super().__init__(SERVICE, seed)


@pytest.fixture(scope="module")
def client() -> BreweryClient:
    return BreweryClient(0)


def run_solution(scenario_id: str, function: str, seed: int) -> dict[str, Any]:
    """Play ``function`` of the scenario's solutions.py; the final info."""
    env = gym.make(gym_apibench.env_id(scenario_id))
    _, info = env.reset(seed=seed)
    solution = family_function(get_scenario(scenario_id), "solutions", function)(info["task"])
    action = next(solution)
    while True:
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return dict(info)
        action = solution.send(obs)
