"""Fresh-seed resets: the cost of a world the process has never built, per scenario.

For each scenario: the median ``env.reset`` on never-seen seeds (a world generated, its truth
computed), the median reset on seeds already built (the cache's path: a new episode on a
cached world, as autoreset over a seed pool takes it), their ratio, and the rows the fresh
resets built. A fresh reset meets the target when its median is at most 5 ms (2 µs a row for
a world of more than 2,500 built rows) and at most 25x the cached reset of the same run.

Run alone: ``python benchmarks/fresh.py [GLOB ...] [--seeds N]``; ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import fnmatch
import statistics
import time
from dataclasses import dataclass

import gym_apibench
from gym_apibench.env import ApiBenchEnv

TARGET_MS = 5.0
PER_ROW_US = 2.0
LARGE_WORLD = 2500
MAX_RATIO = 25.0
FRESH_BASE = 50_000_000
"""Fresh seeds are drawn from here up: far from the seeds tests and other benchmarks build."""


@dataclass(frozen=True)
class FreshReset:
    """One scenario's fresh and cached reset medians."""

    scenario: str
    fresh_ms: float
    cached_ms: float
    rows: int

    @property
    def ratio(self) -> float:
        """Fresh over cached."""
        return self.fresh_ms / self.cached_ms if self.cached_ms else float("inf")

    @property
    def budget_ms(self) -> float:
        """5 ms, or 2 µs a built row for a world of more than 2,500 built rows."""
        if self.rows > LARGE_WORLD:
            return max(TARGET_MS, PER_ROW_US * self.rows / 1000)
        return TARGET_MS

    @property
    def ok(self) -> bool:
        """Whether both targets hold."""
        return self.fresh_ms <= self.budget_ms and self.ratio <= MAX_RATIO


def _built_rows(env: ApiBenchEnv) -> int:
    """Rows of every table the episode's world holds or built (lazy tables: what was built)."""
    world = env.episode.world
    built = {name for source in world.built_tables for name in source.tables}
    names = set(world._tables) | built
    return sum(len(world._rows_of(name)) for name in names)


def measure(scenario_id: str, seeds: int, offset: int) -> FreshReset:
    """Medians over ``seeds`` never-seen seeds and over as many cached resets."""
    env = ApiBenchEnv(scenario_id)
    env.reset(seed=offset - 1)  # imports, pools and the service apps, once
    fresh, rows = [], []
    # Back to back, as a training loop resets: no gc.collect() in between (collecting before
    # each reset made it ~0.4 ms slower, the freed memory handed back and faulted in again).
    for k in range(seeds):
        start = time.perf_counter()
        env.reset(seed=offset + k)
        fresh.append(time.perf_counter() - start)
        rows.append(_built_rows(env))
    cached = []
    for k in range(seeds):
        # Alternate two built seeds: each reset is a new episode on a cached world.
        start = time.perf_counter()
        env.reset(seed=offset + k % 2)
        cached.append(time.perf_counter() - start)
    env.close()
    return FreshReset(
        scenario_id,
        statistics.median(fresh) * 1000,
        statistics.median(cached) * 1000,
        int(statistics.median(rows)),
    )


def run(patterns: list[str], seeds: int) -> list[FreshReset]:
    """Measure every scenario matching ``patterns`` (all when empty), printing as it goes."""
    ids = [
        sid
        for sid in gym_apibench.scenario_ids()
        if not patterns or any(fnmatch.fnmatch(sid, p) for p in patterns)
    ]
    print(f"{'scenario':44} {'fresh':>9} {'cached':>9} {'ratio':>7} {'rows':>7} {'budget':>8}")
    results = []
    for n, sid in enumerate(ids):
        result = measure(sid, seeds, FRESH_BASE + 1000 * n)
        results.append(result)
        print(
            f"{sid:44} {result.fresh_ms:7.2f}ms {result.cached_ms:7.3f}ms "
            f"{result.ratio:6.1f}x {result.rows:7d} {result.budget_ms:6.1f}ms"
            f"{'' if result.ok else '  MISS'}",
            flush=True,
        )
    missed = [r.scenario for r in results if not r.ok]
    met = len(results) - len(missed)
    print(f"fresh-seed reset: {met}/{len(results)} scenarios meet the target")
    return results


def main() -> None:
    """Command line: scenario globs and the number of seeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="scenario globs (default: all)")
    parser.add_argument("--seeds", type=int, default=20, help="never-seen seeds per scenario")
    args = parser.parse_args()
    run(args.patterns, args.seeds)


if __name__ == "__main__":
    main()
