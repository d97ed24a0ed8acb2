"""Fresh worlds on seeds from the whole range: the same in any process, different per seed,
solvable by the reference solution and failed by the no-op."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import gym_apibench
from gym_apibench.episode import Episode, WorldCache
from mockapis.world import derive_seed
from tests.gym_apibench.test_env import _grouped, make, run_oracle

IDS = gym_apibench.scenario_ids()


def wide_seeds(scenario_id: str, count: int = 2) -> list[int]:
    """Seeds drawn from the whole seed range, different per scenario (and fixed, so that a
    failure reproduces)."""
    return [derive_seed("wide seeds", scenario_id, k) % 2**31 for k in range(count)]


def fingerprint(scenario_id: str, seed: int) -> str:
    """A fresh world's full state hash (every lazy table built), task and expected values."""
    episode = Episode(scenario_id, seed, cache=WorldCache(0))
    return json.dumps(
        {
            "hash": episode.world.state_hash(),
            "task": episode.task,
            "expected": episode.built.expected,
        },
        sort_keys=True,
        default=str,
    )


def test_fresh_worlds_are_the_same_in_another_process():
    pairs = [(sid, seed) for sid in IDS for seed in wide_seeds(sid, 1)]
    code = (
        "import json, sys\n"
        "from tests.gym_apibench.test_fresh_worlds import fingerprint\n"
        "pairs = json.loads(sys.argv[1])\n"
        "print(json.dumps([fingerprint(s, n) for s, n in pairs]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(pairs)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "4242", "PATH": ""},
        cwd=".",
    )
    theirs = json.loads(out.stdout)
    for (sid, seed), there in zip(pairs, theirs, strict=True):
        assert fingerprint(sid, seed) == there, f"{sid} seed {seed} differs across processes"


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
def test_different_seeds_give_different_worlds_and_truths(scenario_id):
    a, b = (json.loads(fingerprint(scenario_id, s)) for s in wide_seeds(scenario_id))
    assert a["hash"] != b["hash"]
    truth = ("task", "expected")
    assert [a[k] for k in truth] != [b[k] for k in truth]


@pytest.mark.parametrize("scenario_id", _grouped(IDS))
def test_gold_succeeds_and_noop_fails_on_seeds_from_the_whole_range(scenario_id):
    for seed in wide_seeds(scenario_id):
        reward, terminated, info, _ = run_oracle(make(scenario_id), seed)
        assert terminated and info["success"] and reward == 1.0, (seed, info["checks"])
        env = make(scenario_id)
        env.reset(seed=seed)
        _, reward, _, _, info = env.step({"submit": None})
        assert not info["success"] and reward == 0.0, seed
