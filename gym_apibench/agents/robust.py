"""The robust reference: the scenario's reference solution behind the shared recovery layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.documented import Documented
from gym_apibench.renewal import Tokens
from gym_apibench.scenarios import family_function, get_scenario
from gym_apibench.solving import Recovery, recovering

__all__ = ["RobustAgent"]


class RobustAgent(OracleAgent):
    """Plays the reference solution through :func:`gym_apibench.solving.recovering`: retries
    honouring ``Retry-After``, resends of safe and idempotent requests, check-then-retry of
    writes whose response was lost, as a careful integration survives injected faults.

    Where the faults made the task unachievable (the step budget leaves no room for the
    retries they forced; without a budget, a request failed through 16 attempts), the
    episode ends with an empty submit and :meth:`episode_stats` says why under
    ``"impossible"`` (the result line's ``agent_stats["impossible"]``); reports count such
    episodes out of the achievable ones. ``oracle`` stays the plain reference, without the
    layer.
    """

    def __init__(self) -> None:
        super().__init__()
        self.name = "robust"
        self._recovery = Recovery()

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start the reference solution on ``task`` behind a fresh recovery layer."""
        scenario = get_scenario(task["scenario"])
        solve = family_function(scenario, "solutions", scenario.solution)
        max_steps = task.get("max_steps")
        # With a step budget, retries go on until it runs out (faults fire at random: the
        # 17th try may get through); without one, 16 sends of one request make an outage.
        self._recovery = Recovery(
            max_steps=max_steps,
            attempts=None if max_steps else 16,
            garbled=Documented(task.get("services") or {}).garbled,
            tokens=Tokens(task.get("credentials") or {}),
        )
        self._solution = recovering(solve(dict(task)), self._recovery)
        self._started = False

    def episode_stats(self) -> dict[str, Any]:
        """``retries`` and ``checks`` the layer made, and ``impossible`` (a reason, or None)."""
        recovery = self._recovery
        return {
            "retries": recovery.retries,
            "checks": recovery.checks,
            "impossible": recovery.impossible,
        }
