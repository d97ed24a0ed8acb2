"""API-Bank's metrics from an evaluation's results: API-call accuracy and ROUGE-L per level.

API-call accuracy is the paper's: the share of gold calls whose predicted call, executed on
the dialogue's state, gives the gold result by the API's own comparison (the ``api-call``
check of each scenario), over all calls and over the calls that are reproducible at all
(tag ``reproducible``). ROUGE-L F1 of the reply is read from the ``reply-rouge-l`` check's
detail, averaged over the calls the dialogue answers with a reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = [
    "API_CALL_CHECK",
    "FAMILY_PREFIX",
    "ROUGE_CHECK",
    "LevelScore",
    "level_of_scenario",
    "level_scores",
    "parse_rouge",
    "rouge_detail",
]

FAMILY_PREFIX = "api-bank."
API_CALL_CHECK = "api-call"
ROUGE_CHECK = "reply-rouge-l"
_LEVEL = re.compile(r"^api-bank\.l(?P<level>[123])-")
_ROUGE = re.compile(r"^ROUGE-L F1 (?P<score>[0-9.]+) ")


def rouge_detail(score: float) -> str:
    """The ``reply-rouge-l`` check's detail stating ``score``."""
    return f"ROUGE-L F1 {score:.4f} of the reply against the gold reply"


def parse_rouge(detail: str) -> float | None:
    """The score a ``reply-rouge-l`` detail states, or None (no gold reply for that call)."""
    found = _ROUGE.match(detail)
    return float(found["score"]) if found else None


def level_of_scenario(scenario_id: str) -> int | None:
    """The API-Bank level of an ``api-bank.l<level>-...`` scenario id, else None."""
    found = _LEVEL.match(scenario_id)
    return int(found["level"]) if found else None


@dataclass
class LevelScore:
    """One agent's API-Bank results at one level (``level`` 0: all levels)."""

    agent: str
    level: int
    calls: int = 0
    correct: int = 0
    reproducible: int = 0
    reproducible_correct: int = 0
    unknown: int = 0
    """Episodes whose scenario is no longer known (reproducibility unknown)."""
    rouge_total: float = 0.0
    replies: int = 0

    @property
    def accuracy(self) -> float | None:
        """Correct calls over all calls."""
        return self.correct / self.calls if self.calls else None

    @property
    def reproducible_accuracy(self) -> float | None:
        """Correct calls over the reproducible calls."""
        return self.reproducible_correct / self.reproducible if self.reproducible else None

    @property
    def rouge(self) -> float | None:
        """Mean ROUGE-L F1 of the replies."""
        return self.rouge_total / self.replies if self.replies else None


def _check(result: EpisodeResult, name: str) -> dict[str, object] | None:
    return next((c for c in result.checks if c.get("name") == name), None)


def level_scores(
    results: Iterable[EpisodeResult],
    reproducible_of: Callable[[str], bool | None],
    agents: Sequence[str] | None = None,
) -> list[LevelScore]:
    """Per agent (in ``agents`` order, else first seen), one :class:`LevelScore` per level
    present and one for all levels (level 0); empty without API-Bank results.
    ``reproducible_of`` says whether a scenario's call is reproducible (None: unknown)."""
    scores: dict[tuple[str, int], LevelScore] = {}
    for r in results:
        level = level_of_scenario(r.scenario)
        if level is None:
            continue
        check = _check(r, API_CALL_CHECK)
        passed = bool(check and check.get("passed"))
        repro = reproducible_of(r.scenario)
        rouge_check = _check(r, ROUGE_CHECK)
        rouge = parse_rouge(str(rouge_check.get("detail", ""))) if rouge_check else None
        for key in ((r.agent, level), (r.agent, 0)):
            s = scores.setdefault(key, LevelScore(*key))
            s.calls += 1
            s.correct += int(passed)
            if repro is None:
                s.unknown += 1
            elif repro:
                s.reproducible += 1
                s.reproducible_correct += int(passed)
            if rouge is not None:
                s.rouge_total += rouge
                s.replies += 1
    order = list(agents or dict.fromkeys(agent for agent, _ in scores))
    return sorted(scores.values(), key=lambda s: (order.index(s.agent), s.level or 9))
