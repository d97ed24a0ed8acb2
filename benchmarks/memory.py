"""Memory per cached world: resident-size growth over 100 fresh seeds, divided by 100.

Each scenario runs in a process of its own, with a world cache large enough to keep every
world it builds (``$APIBENCH_WORLD_CACHE``), resetting an env on 100 never-seen seeds. The
growth of its resident set, over 100, is what a cached world costs (its truth, its small
tables, the sources of the large ones; the rows a reset built belong to that episode and go
with it). Target: at most 0.5 MB for the default worlds.

Run alone: ``python benchmarks/memory.py [GLOB ...] [--seeds N]``; ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

TARGET_MB = 0.5
SEEDS = 100

_CHILD = """
import gc, sys
from gym_apibench.env import ApiBenchEnv

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * {page}

env = ApiBenchEnv(sys.argv[1])
seeds = int(sys.argv[2])
env.reset(seed=70_000_000 - 1)
gc.collect()
before = rss()
for k in range(seeds):
    env.reset(seed=70_000_000 + k)
env.reset(seed=70_000_000 - 1)  # drop the last fresh episode's rows: count the cache only
gc.collect()
print((rss() - before) / seeds)
"""


def per_world_bytes(scenario_id: str, seeds: int) -> float:
    """Resident growth per cached world for ``scenario_id``, measured in a new process."""
    env = {**os.environ, "APIBENCH_WORLD_CACHE": str(10 * seeds)}
    code = _CHILD.format(page=os.sysconf("SC_PAGE_SIZE"))
    out = subprocess.run(
        [sys.executable, "-c", code, scenario_id, str(seeds)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(out.stdout.strip())


def run(patterns: list[str], seeds: int, workers: int = 2) -> dict[str, float]:
    """MB per cached world for every scenario matching ``patterns`` (all when empty)."""
    import gym_apibench

    ids = [
        sid
        for sid in gym_apibench.scenario_ids()
        if not patterns or any(fnmatch.fnmatch(sid, p) for p in patterns)
    ]
    with ThreadPoolExecutor(workers) as pool:
        sizes = dict(
            zip(ids, pool.map(lambda s: per_world_bytes(s, seeds) / 1e6, ids), strict=True)
        )
    worst = max(sizes, key=sizes.__getitem__)
    over = [sid for sid, mb in sizes.items() if mb > TARGET_MB]
    for sid in over:
        print(f"  over target: {sid} {sizes[sid]:.3f} MB per cached world")
    print(
        f"memory per cached world ({seeds} fresh seeds, resident growth / {seeds}): median "
        f"{sorted(sizes.values())[len(sizes) // 2]:.3f} MB, largest {sizes[worst]:.3f} MB "
        f"({worst}); {len(sizes) - len(over)}/{len(sizes)} scenarios <= {TARGET_MB} MB"
    )
    return sizes


def main() -> None:
    """Command line: scenario globs and the number of fresh seeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="scenario globs (default: all)")
    parser.add_argument("--seeds", type=int, default=SEEDS, help="fresh seeds per scenario")
    args = parser.parse_args()
    run(args.patterns, args.seeds)


if __name__ == "__main__":
    main()
