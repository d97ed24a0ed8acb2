"""apibench's Gymnasium side: one env id per scenario, agents, evaluation harness and CLI."""

from __future__ import annotations

import gymnasium as gym

from gym_apibench.scenarios import get_scenario, load_scenarios

__all__ = ["ENV_PREFIX", "env_id", "register_envs", "scenario_ids"]

ENV_PREFIX = "apibench/"


def env_id(scenario_id: str) -> str:
    """The Gymnasium id of a scenario: ``apibench/<scenario-id>-v0``."""
    return f"{ENV_PREFIX}{scenario_id}-v0"


def scenario_ids() -> list[str]:
    """Every scenario id (without prefix and version), sorted."""
    return sorted(load_scenarios())


def register_envs() -> None:
    """Register one env id per scenario (idempotent)."""
    for scenario_id in scenario_ids():
        gym_id = env_id(scenario_id)
        if gym_id in gym.registry:
            continue
        gym.register(
            id=gym_id,
            entry_point="gym_apibench.env:ApiBenchEnv",
            kwargs={"scenario_id": scenario_id},
            max_episode_steps=get_scenario(scenario_id).max_steps,
        )


register_envs()
