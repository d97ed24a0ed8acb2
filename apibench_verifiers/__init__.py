"""apibench's verifiers environment under a top-level name, as ``vf-eval`` finds a taskset:
``vf-eval apibench-verifiers`` (its loader imports an id as one top-level module)."""

from gym_apibench.integrations.verifiers_env import (
    ApibenchHarness,
    ApibenchTaskset,
    load_environment,
)

__all__ = ["ApibenchHarness", "ApibenchTaskset", "load_environment"]
