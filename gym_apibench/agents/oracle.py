"""The oracle: runs the scenario's reference solution (HTTP only) as an agent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gym_apibench.scenarios import family_function, get_scenario
from gym_apibench.solving import Solution

__all__ = ["OracleAgent"]


class OracleAgent:
    """Plays the reference solution of whichever scenario it is reset on.

    ``naive=True`` plays the scenario's naive solution instead: plausible code that the
    scenario's faults must defeat. It applies only to scenarios that define one
    (:meth:`applies_to`); the harness marks the others not applicable rather than let the
    reference solution stand in, which would mix two agents in one row. A naive solution that
    crashes gives up (submits null), as a real script would stop; a crash of the reference
    solution is a bug and raises.
    """

    def __init__(self, *, naive: bool = False) -> None:
        self.naive = naive
        self.name = "naive" if naive else "oracle"
        self._solution: Solution | None = None
        self._started = False

    def applies_to(self, scenario_id: str) -> bool:
        """Whether this agent has a solution to play on ``scenario_id`` (the naive one has
        only where the scenario defines ``naive``)."""
        return not self.naive or get_scenario(scenario_id).naive is not None

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start the reference (or naive) solution on ``task``."""
        scenario = get_scenario(task["scenario"])
        if not self.applies_to(scenario.id):
            raise ValueError(f"{scenario.id} has no naive solution: the naive agent does not apply")
        name = scenario.naive if self.naive and scenario.naive else scenario.solution
        solve = family_function(scenario, "solutions", name)
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
        except Exception:
            if not self.naive:
                raise
            return {"submit": None}
