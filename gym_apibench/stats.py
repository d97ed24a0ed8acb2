"""Uncertainty in success rates, and whether two agents differ: the statistics of the reports.

A success rate over ``n`` episodes carries a 95% Wilson score interval
(:func:`wilson_interval`): unlike the normal approximation it stays inside [0, 1] and is
sound for the small ``n`` and the rates near 0% or 100% that benchmark tables are full of
(Brown, Cai and DasGupta, *Interval Estimation for a Binomial Proportion*, 2001).

Two agents (or two runs) are compared on the same episodes, matched by (scenario, seed,
attempt, dose): only the episodes where exactly one of them succeeded say anything about
which is better, and :func:`mcnemar_exact` is the exact two-sided McNemar test on those
discordant pairs (a binomial test of ``b`` against ``b + c`` at one half).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "Z95",
    "PairedComparison",
    "mcnemar_exact",
    "paired_comparison",
    "rate_with_interval",
    "wilson_interval",
]

K = TypeVar("K", bound=Hashable)

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` in ``n`` trials (``(0, 1)`` when ``n`` is 0)."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n; got {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At 0 or n successes a bound is exactly 0 or 1; rounding must not leave it a hair off.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def rate_with_interval(successes: int, n: int) -> str:
    """``"62.5% [42.7, 78.8]"``: the success rate and its 95% Wilson interval, in percent
    to one decimal; ``"n/a"`` for no trials."""
    if n == 0:
        return "n/a"
    low, high = wilson_interval(successes, n)
    return f"{100.0 * successes / n:.1f}% [{100.0 * low:.1f}, {100.0 * high:.1f}]"


def mcnemar_exact(b: int, c: int) -> float:
    """The two-sided p-value of the exact McNemar test: ``b`` pairs where only the first
    succeeded, ``c`` where only the second did (1.0 when there are none)."""
    if b < 0 or c < 0:
        raise ValueError(f"discordant counts are >= 0; got {b} and {c}")
    n = b + c
    if n == 0:
        return 1.0
    tail: float = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class PairedComparison:
    """Two agents on the same ``pairs`` episodes: ``only_first`` and ``only_second``
    succeeded alone, ``both`` together; the exact McNemar ``p_value`` at level ``alpha``."""

    pairs: int
    both: int
    only_first: int
    only_second: int
    p_value: float
    alpha: float = 0.05

    @property
    def significant(self) -> bool:
        """Whether the difference is significant at ``alpha``."""
        return self.p_value < self.alpha

    @property
    def difference(self) -> float:
        """First's success rate minus second's, over the paired episodes."""
        return (self.only_first - self.only_second) / self.pairs if self.pairs else 0.0


def paired_comparison(
    first: Mapping[K, bool], second: Mapping[K, bool], alpha: float = 0.05
) -> PairedComparison:
    """Compare two agents' outcomes (success by episode key) on the keys both have."""
    keys = first.keys() & second.keys()
    both = sum(1 for k in keys if first[k] and second[k])
    only_first = sum(1 for k in keys if first[k] and not second[k])
    only_second = sum(1 for k in keys if second[k] and not first[k])
    return PairedComparison(
        len(keys), both, only_first, only_second, mcnemar_exact(only_first, only_second), alpha
    )
