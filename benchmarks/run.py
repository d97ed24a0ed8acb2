"""``make bench``: env-side speed against a floor measured in the same run.

The floor is a bare Starlette app with one JSON route, driven by the same direct ASGI
driver the env uses (a scope built from the URL, then one call with no event loop); the
ratios say what the simulation adds on top of Starlette itself.
Medians of repeated batches; nothing here is a pass/fail timing test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import episodes
import fresh
import gymnasium as gym
import memory
import served
import training
from walks import WALKS, WalkSpec

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.env import ApiBenchEnv
from mockapis.asgi import build_scope, drive

STEP_SCENARIO = "attio.record-by-id"
RESET_SCENARIO = "attio.companies-founded-before"


def per_call(fn: Callable[[], object], *, calls: int, batches: int) -> list[float]:
    """Seconds per call, one figure per batch."""
    fn()
    results = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        results.append((time.perf_counter() - start) / calls)
    return results


def paired(
    fn: Callable[[], object], floor: Callable[[], object], *, calls: int, batches: int
) -> tuple[list[float], list[float]]:
    """Per-call seconds of ``fn`` and ``floor`` in alternating batches.

    Alternating keeps both under the same machine load, so the ratio of each pair is stable
    on a busy shared machine even when the absolute figures are not.
    """
    ours, base = [], []
    for _ in range(batches):
        base.extend(per_call(floor, calls=calls, batches=1))
        ours.extend(per_call(fn, calls=calls, batches=1))
    return ours, base


def floor_request() -> Callable[[], object]:
    """One JSON GET through a bare Starlette app."""
    app = served.floor_app()
    # The same driver as a step: a scope built from the URL, then the direct ASGI call.
    return lambda: drive(app, build_scope("GET", "https://floor.test/items/42"))


INACTIVE_FAULTS = [
    {"kind": "http_error", "where": {"service": "attio", "path": "/v2/notes*"}},
    {"kind": "latency", "where": {"method": "DELETE"}},
    {"kind": "http_error", "where": {"path": "/v2/objects/*/records/query"}, "when": {"first": 1}},
]
"""Rules that match nothing a single-record GET does: the fault layer's idle cost."""


def env_step(faults: list[dict[str, object]] | None = None) -> Callable[[], object]:
    """One single-record GET through ``env.step`` (the unwrapped env)."""
    # Timed over thousands of steps of one episode: no step limit (past it, steps are refused).
    env = gym.make(
        gym_apibench.gym_id(STEP_SCENARIO), faults=faults, max_episode_steps=-1
    ).unwrapped
    _, info = env.reset(seed=0)
    task = info["task"]
    url = f"{task['services']['attio']}/v2/objects/people/records/{task['inputs']['record_id']}"
    action = {
        "method": "GET",
        "url": url,
        "headers": {"Authorization": f"Bearer {task['credentials']['attio']['token']}"},
    }
    assert env.step(action)[0]["status"] == 200
    return lambda: env.step(action)


def env_reset() -> tuple[Callable[[], object], int]:
    """``env.reset`` of a world with more than 1000 records, after writes."""
    env = gym.make(gym_apibench.gym_id(RESET_SCENARIO)).unwrapped
    env.reset(seed=0)
    world = env.episode.world
    records = sum(len(world.table(name)) for name in world.table_names)
    return (lambda: env.reset(seed=0)), records


def oracle_episodes() -> tuple[float, int]:
    """Oracle episodes per second over the whole suite (worlds already generated)."""
    ids = gym_apibench.scenario_ids()
    envs = {sid: gym.make(gym_apibench.gym_id(sid)) for sid in ids}
    agent = OracleAgent()

    def run_all() -> None:
        for sid, env in envs.items():
            obs, info = env.reset(seed=0)
            agent.reset(info["task"], seed=0)
            done = False
            while not done:
                obs, _, terminated, truncated, info = env.step(agent.act(obs))
                done = terminated or truncated
            assert info["success"], sid

    run_all()
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        run_all()
    return rounds * len(ids) / (time.perf_counter() - start), len(ids)


def walk_rates(floor_s: float) -> list[tuple[str, str, str]]:
    """Rows for each pagination walk: records, steps per second, step time against the floor."""
    rows = []
    known = set(gym_apibench.scenario_ids())
    for spec in WALKS:
        if spec.scenario not in known:
            continue
        env = gym.make(
            gym_apibench.gym_id(spec.scenario), sizes=spec.sizes, max_episode_steps=-1
        ).unwrapped  # walks repeat in one episode, past the step limit
        _, info = env.reset(seed=0)

        def once(
            env: ApiBenchEnv = env, task: dict[str, Any] = info["task"], spec: WalkSpec = spec
        ) -> tuple[int, int]:
            walk = spec.walk(task)
            steps, obs = 0, None
            try:
                action = next(walk)
                while True:
                    obs = env.step(action)[0]
                    steps += 1
                    action = walk.send(obs)
            except StopIteration as done:
                return int(done.value), steps

        records, steps = once()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            once()
            times.append((time.perf_counter() - start) / steps)
        per_step = statistics.median(times)
        rows.append(
            (
                f"walk: {spec.style}, {records} records",
                f"{1 / per_step:.0f} steps/s",
                f"{records / (per_step * steps):,.0f} records/s; {per_step / floor_s:.0f}x floor "
                f"per step ({steps} pages)",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the step and walk figures (no fresh seeds, no served mode)",
    )
    args = parser.parse_args()

    steps, floors = paired(env_step(), floor_request(), calls=args.calls, batches=args.batches)
    floor, step = statistics.median(floors), statistics.median(steps)
    ratio = statistics.median(s / f for s, f in zip(steps, floors, strict=True))
    faulted, plain = paired(
        env_step(INACTIVE_FAULTS), env_step(), calls=args.calls, batches=args.batches
    )
    fault_cost = statistics.median(f / p for f, p in zip(faulted, plain, strict=True)) - 1
    reset_fn, records = env_reset()
    reset = statistics.median(
        per_call(reset_fn, calls=max(args.calls // 10, 50), batches=args.batches)
    )
    eps, scenarios = oracle_episodes()

    rows = [
        ("floor: bare Starlette JSON route", f"{floor * 1e6:.1f} µs", "1.00x"),
        (
            "env.step: single-record GET",
            f"{step * 1e6:.1f} µs",
            f"{ratio:.2f}x floor (target <= 2x)",
        ),
        (
            f"env.step with {len(INACTIVE_FAULTS)} idle fault rules",
            f"{statistics.median(faulted) * 1e6:.1f} µs",
            f"{fault_cost:+.1%} vs no fault layer (target <= +10%)",
        ),
        (f"env.reset: {records} records", f"{reset * 1e6:.1f} µs", "target <= 1000 µs"),
        (f"oracle episodes/s ({scenarios} scenarios)", f"{eps:.0f}", ""),
        *walk_rates(floor),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>12}  ratio")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")
    if args.json:
        print(
            json.dumps(
                {
                    "floor_us": floor * 1e6,
                    "step_us": step * 1e6,
                    "step_ratio": ratio,
                    "fault_layer_cost": fault_cost,
                    "reset_us": reset * 1e6,
                    "reset_records": records,
                    "oracle_eps": eps,
                }
            )
        )
    if args.quick:
        return
    # World generation at scale (issue 14): fresh-seed resets of every scenario, memory per
    # cached world, and a vectorised training loop on fresh against cached seeds.
    print()
    fresh.run([], seeds=20)
    print()
    memory.run([], seeds=memory.SEEDS)
    print()
    training.run(steps=400)
    # Served mode at wire speed (issue 15): kept-alive GETs over loopback against a bare app,
    # and one episode server hosting 256 live episodes.
    print()
    served.run()
    episodes.run()


if __name__ == "__main__":
    main()
