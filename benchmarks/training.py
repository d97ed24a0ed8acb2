"""A training loop at scale: 8 envs in Gymnasium's ``AsyncVectorEnv`` (its defaults: shared
memory, next-step autoreset), a scripted policy that reads the task's record with one GET and
submits, on fresh seeds (every episode a world no process has built) and on cached seeds (a
pool of 8 seeds every worker has built). Env-steps per second, and their ratio: the world
generation a fresh seed costs shows in it. Target: fresh within 2x of cached.

Run alone: ``python benchmarks/training.py [--steps N]``; ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import gymnasium as gym

import gym_apibench

SCENARIO = "attio.record-by-id"
NUM_ENVS = 8


def act(observation: dict[str, Any], task: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
    """The scripted policy: on a task, GET its record; after the GET, submit what it said."""
    if observation["headers"].get("x-apibench") == "task":
        task = json.loads(observation["body"])
        base = task["services"]["attio"]
        token = task["credentials"]["attio"]["token"]
        url = f"{base}/v2/objects/people/records/{task['inputs']['record_id']}"
        return {"method": "GET", "url": url, "headers": {"Authorization": f"Bearer {token}"}}, task
    return {"submit": {"status": observation["status"]}}, None


def steps_per_second(seeds: range | None, steps: int, warmup: int) -> tuple[float, int]:
    """Env-steps per second over ``steps`` vector steps (after ``warmup``), and episodes run."""
    kwargs: dict[str, Any] = {} if seeds is None else {"seeds": seeds}
    envs = gym.make_vec(
        gym_apibench.gym_id(SCENARIO),
        num_envs=NUM_ENVS,
        vectorization_mode="async",
        **kwargs,
    )
    try:
        observations, _ = envs.reset(seed=123)
        tasks: list[dict[str, Any] | None] = [None] * NUM_ENVS
        episodes = 0
        start = time.perf_counter()
        for step in range(warmup + steps):
            if step == warmup:
                start, episodes = time.perf_counter(), 0
            actions = []
            for i in range(NUM_ENVS):
                action, tasks[i] = act(observations[i], tasks[i])
                actions.append(action)
            observations, _, terminated, truncated, _ = envs.step(tuple(actions))
            episodes += int(sum(terminated) + sum(truncated))
        elapsed = time.perf_counter() - start
    finally:
        envs.close()
    return steps * NUM_ENVS / elapsed, episodes


def run(steps: int) -> tuple[float, float]:
    """Fresh-seed and cached-seed rates, printed with their ratio."""
    cached, _ = steps_per_second(range(NUM_ENVS), steps, warmup=steps // 2)
    fresh, episodes = steps_per_second(None, steps, warmup=4)
    ratio = cached / fresh
    print(
        f"training loop ({NUM_ENVS} envs, AsyncVectorEnv defaults, {SCENARIO}, GET then submit):"
        f" fresh seeds {fresh:,.0f} env-steps/s ({episodes} episodes), cached seeds"
        f" {cached:,.0f} env-steps/s: cached/fresh {ratio:.2f}x (target <= 2x)"
    )
    return fresh, cached


def main() -> None:
    """Command line: the number of vector steps to time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400, help="vector steps timed per run")
    run(parser.parse_args().steps)


if __name__ == "__main__":
    main()
