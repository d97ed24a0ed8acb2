"""The oracle: runs the scenario's reference solution (HTTP only) as an agent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gym_apibench.scenarios import family_function, get_scenario
from gym_apibench.solving import Solution

__all__ = ["OracleAgent"]


class OracleAgent:
    """Plays the reference solution of whichever scenario it is reset on."""

    name = "oracle"

    def __init__(self) -> None:
        self._solution: Solution | None = None
        self._started = False

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start the reference solution on ``task``."""
        scenario = get_scenario(task["scenario"])
        solve = family_function(scenario, "solutions", scenario.solution)
        self._solution = solve(dict(task))
        self._started = False

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The solution's next action; once it is exhausted, an empty submit."""
        if self._solution is None:
            raise RuntimeError("reset() the oracle before act()")
        try:
            if not self._started:
                self._started = True
                return next(self._solution)
            return self._solution.send(dict(observation))
        except StopIteration:
            return {"submit": None}
