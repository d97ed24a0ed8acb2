"""World-seed pools: held-out evaluation seeds, training seeds, and the ``seeds`` argument."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["EVAL_SEEDS", "TRAIN_SEEDS", "SeedPool", "draw_seed", "seed_pool"]

EVAL_SEEDS = range(0, 1_000_000)
"""The seeds evaluations use (``apibench eval --seeds``, the tests): never drawn in training."""

TRAIN_SEEDS = range(1_000_000, 2**31)
"""The seeds an env draws from when reset without a seed and made without ``seeds=``."""

SeedPool = range | tuple[int, ...]
"""A validated, non-empty pool of world seeds (ints >= 0)."""

_ALLOWED = "a non-empty sequence or range of integers >= 0, e.g. range(1_000_000, 1_010_000)"


def seed_pool(value: Any, name: str = "seeds") -> SeedPool:
    """``value`` as a :data:`SeedPool`, or ``ValueError`` naming ``name`` and what is allowed.

    A range is kept as it is (no element is materialised: ``TRAIN_SEEDS`` has two billion).
    """
    if isinstance(value, range):
        # A range's smallest element is one of its ends; min() would walk all of it.
        if len(value) == 0 or min(value[0], value[-1]) < 0:
            raise ValueError(f"{name} must be {_ALLOWED}; got {value!r}")
        return value
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be {_ALLOWED}; got {type(value).__name__} {value!r:.80}")
    if not value:
        raise ValueError(f"{name} must be {_ALLOWED}; got an empty {type(value).__name__}")
    pool: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | np.integer) or item < 0:
            raise ValueError(f"{name} must be {_ALLOWED}; it holds {item!r}")
        pool.append(int(item))
    return tuple(pool)


def draw_seed(pool: SeedPool, rng: np.random.Generator) -> int:
    """A seed of ``pool`` drawn uniformly with ``rng`` (the env's ``np_random``)."""
    return int(pool[int(rng.integers(len(pool)))])
