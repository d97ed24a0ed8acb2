"""The random baseline: a few random requests to documented operations, then a random answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from gym_apibench.solving import SolutionError, auth_headers
from gym_apibench.spaces import HttpActionSpace, Operation
from mockapis.registry import get_service
from mockapis.specs import load_spec, operations
from mockapis.world import derive_seed

__all__ = ["RandomAgent"]


class RandomAgent:
    """Sends random requests to the task's services, then submits a random answer.

    Requests are drawn from the operations the services' specs document (path parameters
    filled at random), under the task's base URLs, mostly with the auth headers of one of
    the task's credentials. Everything is drawn from an RNG seeded by the episode
    seed (never the global ``random``), so one seed always gives one trajectory.
    """

    name = "random"

    def __init__(self, *, min_requests: int = 2, max_requests: int = 6) -> None:
        if not 0 <= min_requests <= max_requests:
            raise ValueError(
                f"need 0 <= min_requests <= max_requests, got {min_requests} and {max_requests}"
            )
        self.min_requests = min_requests
        self.max_requests = max_requests
        self._space = HttpActionSpace(())
        self._rng = np.random.default_rng(0)
        self._auth: list[dict[str, str]] = []
        self._budget = 0

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Derive this episode's RNG from ``seed`` and collect the operations to call."""
        self._rng = np.random.default_rng(derive_seed("random-agent", seed))
        self._space = HttpActionSpace(
            task_operations(task), seed=int(self._rng.integers(2**63 - 1))
        )
        self._auth = task_auth_headers(task)
        self._budget = int(self._rng.integers(self.min_requests, self.max_requests + 1))

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """A random request while the budget lasts, then a random submit."""
        if self._budget <= 0:
            return {"submit": self._random_answer()}
        self._budget -= 1
        action = self._space.sample()
        if "submit" not in action and self._auth and self._rng.random() < 0.8:
            action["headers"] = dict(self._auth[int(self._rng.integers(len(self._auth)))])
        return action

    def _random_answer(self) -> Any:
        kind = int(self._rng.integers(4))
        if kind == 0:
            return None
        if kind == 1:
            return int(self._rng.integers(0, 1000))
        if kind == 2:
            return f"answer-{int(self._rng.integers(10**6))}"
        return [int(x) for x in self._rng.integers(0, 100, size=int(self._rng.integers(0, 4)))]


def task_operations(task: Mapping[str, Any]) -> list[Operation]:
    """``(METHOD, URL template)`` for every documented operation of the task's services."""
    found: list[Operation] = []
    for name, base_url in sorted(task.get("services", {}).items()):
        spec = load_spec(get_service(name).spec_path)
        base = str(base_url).rstrip("/")
        found.extend((method, base + path) for method, path in sorted(operations(spec)))
    return found


def task_auth_headers(task: Mapping[str, Any]) -> list[dict[str, str]]:
    """The auth headers of each of the task's credentials that has a header form."""
    found: list[dict[str, str]] = []
    for _, credentials in sorted(task.get("credentials", {}).items()):
        try:
            found.append(auth_headers(credentials))
        except (SolutionError, KeyError):
            continue
    return found
