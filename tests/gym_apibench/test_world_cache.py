"""The world cache: bounded, least recently used first out, small per world, configurable."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from gym_apibench.episode import CACHE_ENV_VAR, Episode, WorldCache, cache_size, generate

SCENARIO = "attio.record-by-id"


def test_the_cache_keeps_at_most_its_capacity_dropping_the_least_recently_used():
    cache = WorldCache(2)
    first = cache.get(SCENARIO, 1)
    cache.get(SCENARIO, 2)
    assert cache.get(SCENARIO, 1) is first  # a hit, now the most recent
    cache.get(SCENARIO, 3)  # evicts seed 2
    assert len(cache) == 2
    assert (cache.hits, cache.misses) == (1, 3)
    assert cache.get(SCENARIO, 1) is first
    cache.get(SCENARIO, 2)
    assert cache.misses == 4


def test_a_zero_capacity_cache_keeps_nothing():
    cache = WorldCache(0)
    a, b = cache.get(SCENARIO, 5), cache.get(SCENARIO, 5)
    assert a is not b and a.inputs == b.inputs and len(cache) == 0


def test_a_cached_world_holds_sources_not_rows():
    built, warm = generate(SCENARIO, 7)
    assert warm  # the truth built people to choose one: handed to the first episode
    size = len(pickle.dumps(built.snapshot))
    assert size < 20_000, f"a cached world's snapshot pickles to {size} bytes"
    assert "attio.people" in built.snapshot.lazy


def test_the_first_episode_of_a_fresh_world_reuses_what_its_truth_built():
    cache = WorldCache(4)
    episode = Episode(SCENARIO, 9, cache=cache)
    built_people = next(s for s in episode.world.built_tables if "attio.people" in s.tables)
    again = Episode(SCENARIO, 9, cache=cache)
    assert not again.world.built_tables  # a cached world: built again on use, never shared
    assert episode.world.state_hash() == again.world.state_hash()
    assert built_people in episode.world.built_tables


@pytest.mark.parametrize("value", [-1, 1.5, "lots", True, None, [3]])
def test_a_bad_capacity_names_the_argument(value):
    with pytest.raises(ValueError, match="world_cache is how many built worlds"):
        cache_size(value, "world_cache")


def test_the_process_cache_reads_its_capacity_from_the_environment():
    code = "from gym_apibench.episode import default_cache; print(default_cache().capacity)"
    env = {**os.environ, CACHE_ENV_VAR: "3"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "3"
    env[CACHE_ENV_VAR] = "many"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode != 0 and CACHE_ENV_VAR in out.stderr
