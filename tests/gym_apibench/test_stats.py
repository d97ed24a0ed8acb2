"""Wilson intervals and the exact McNemar test against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from gym_apibench.stats import (
    mcnemar_exact,
    paired_comparison,
    rate_with_interval,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Brown, Cai and DasGupta (2001) and R's prop.test(correct=FALSE) / binom::binom.wilson
        (8, 10, 0.4901625, 0.9433178),
        (0, 10, 0.0, 0.2775328),
        (10, 10, 0.7224672, 1.0),
        (1, 2, 0.0945312, 0.9054688),
        (50, 100, 0.4038315, 0.5961685),
    ],
)
def test_wilson_interval_matches_reference_values(
    successes: int, n: int, low: float, high: float
) -> None:
    got = wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=1e-6)


def test_wilson_interval_holds_the_rate_and_narrows_with_n() -> None:
    for n in (1, 5, 24, 120):
        for c in range(n + 1):
            low, high = wilson_interval(c, n)
            assert 0.0 <= low <= c / n <= high <= 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)
    small, large = wilson_interval(12, 24), wilson_interval(120, 240)
    assert large[1] - large[0] < small[1] - small[0]
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_mcnemar_exact_against_the_binomial_tail() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)
    assert mcnemar_exact(6, 0) == pytest.approx(2 / 64)
    assert mcnemar_exact(3, 3) == 1.0
    # b=2, c=10: 2 * P(X <= 2), X ~ Bin(12, 1/2)
    assert mcnemar_exact(2, 10) == pytest.approx(2 * (1 + 12 + 66) / 4096)
    assert math.isclose(mcnemar_exact(1, 4), mcnemar_exact(4, 1))


def test_identical_runs_are_not_significant_and_a_clearly_better_one_is() -> None:
    keys = [(f"s{i}", seed) for i in range(10) for seed in range(3)]
    run = {k: int(k[0][1:]) % 3 != 0 for k in keys}
    same = paired_comparison(run, dict(run))
    assert same.p_value == 1.0 and not same.significant and same.difference == 0.0
    worse = {k: False for k in keys}
    better = paired_comparison(run, worse)
    assert better.only_second == 0 and better.only_first == sum(run.values())
    assert better.significant and better.difference > 0
    assert paired_comparison(worse, run).difference < 0
    partial = paired_comparison(run, {keys[0]: True})
    assert partial.pairs == 1


def test_rate_with_interval_formats_the_wilson_bounds_in_percent() -> None:
    # 15 of 24: centre (0.625 + z²/48) / (1 + z²/24), half-width from the same z = 1.96
    assert rate_with_interval(15, 24) == "62.5% [42.7, 78.8]"
    assert rate_with_interval(0, 10) == "0.0% [0.0, 27.8]"
    assert rate_with_interval(10, 10) == "100.0% [72.2, 100.0]"
    assert rate_with_interval(0, 0) == "n/a"
