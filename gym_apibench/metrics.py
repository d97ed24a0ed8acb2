"""Success over repeated attempts: pass@k (Chen et al., 2021) and pass^k (tau-bench)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import comb
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = ["AttemptStats", "attempt_stats", "pass_at_k", "pass_hat_k"]


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate of pass@k for a task with ``c`` successes in ``n`` attempts:
    the probability that at least one of ``k`` attempts drawn without replacement succeeds,
    ``1 - C(n - c, k) / C(n, k)`` (Chen et al., 2021, "Evaluating Large Language Models
    Trained on Code")."""
    _check(n, c, k)
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """tau-bench's pass^k for a task with ``c`` successes in ``n`` attempts: the probability
    that all of ``k`` attempts drawn without replacement succeed, ``C(c, k) / C(n, k)``
    (Yao et al., 2024, "tau-bench")."""
    _check(n, c, k)
    return comb(c, k) / comb(n, k)


def _check(n: int, c: int, k: int) -> None:
    if not (0 <= c <= n and 1 <= k <= n):
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n; got n={n}, c={c}, k={k}")


@dataclass(frozen=True)
class AttemptStats:
    """One agent's tasks (scenario, seed, dose), each with its attempts and successes."""

    agent: str
    tasks: tuple[tuple[int, int], ...]
    """``(attempts, successes)`` per task."""

    @property
    def max_k(self) -> int:
        """The largest k every task has attempts for."""
        return min((n for n, _ in self.tasks), default=0)

    def pass_at(self, k: int) -> float:
        """Mean pass@k over the tasks."""
        return sum(pass_at_k(n, c, k) for n, c in self.tasks) / len(self.tasks)

    def pass_hat(self, k: int) -> float:
        """Mean pass^k over the tasks."""
        return sum(pass_hat_k(n, c, k) for n, c in self.tasks) / len(self.tasks)


def attempt_stats(results: Iterable[EpisodeResult]) -> list[AttemptStats]:
    """Per agent (in first-seen order), its tasks' attempts and successes."""
    tally: dict[str, dict[tuple[str, int, float | None], list[int]]] = defaultdict(dict)
    for r in results:
        counts = tally[r.agent].setdefault((r.scenario, r.seed, r.dose), [0, 0])
        counts[0] += 1
        counts[1] += int(r.success)
    return [
        AttemptStats(agent, tuple((n, c) for n, c in tasks.values()))
        for agent, tasks in tally.items()
    ]
