"""Fixtures driving Open Brewery DB in-process, and a runner for scenario solutions."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.scenarios import family_function, get_scenario
from mockapis.brewery import SERVICE
from mockapis.gateway import Gateway
from mockapis.service import Service
from mockapis.world import World
from tests.inprocess import Reply, call


class ServiceClient:
    """One seeded world of a no-auth service behind a gateway (shared by the four public
    services' tests: Open Brewery DB, PunkAPI, Shopify storefront, OpenAlex)."""

    def __init__(self, service: Service, seed: int, sizes: dict[str, int] | None = None) -> None:
        self.world = World(seed)
        self.creds = service.seed(self.world, sizes or dict(service.default_sizes))
        self.gateway = Gateway(self.world, [service], raise_server_errors=True)
        self.base = f"https://{service.hosts[0]}"

    def get(self, path: str) -> Reply:
        return call(self.gateway, "GET", self.base + path)

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
    env = gym.make(gym_apibench.gym_id(scenario_id))
    _, info = env.reset(seed=seed)
    solution = family_function(get_scenario(scenario_id), "solutions", function)(info["task"])
    action = next(solution)
    while True:
        obs, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return dict(info)
        action = solution.send(obs)
