"""Agents compared on the same episodes: in pairs, who succeeded where the other did not,
and against the fault-robust reference, on the episodes it found achievable.

Two agents are compared on the episodes both ran, matched on (scenario, seed, attempt,
dose): an agent's success rate over the paired episodes, how many succeeded for both, for
the first only and for the second only, and the exact McNemar test on the last two
(:mod:`gym_apibench.stats`). Episodes an agent does not apply to are left out.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, TextIO

from gym_apibench.ceiling import MARKING_AGENTS, Ceiling, episode_key, marked_impossible
from gym_apibench.results import applicable
from gym_apibench.stats import PairedComparison, paired_comparison
from gym_apibench.tables import Table, print_table, rate_cell

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = [
    "ALL_PAIRS_UP_TO",
    "COMPARISON_COLUMNS",
    "COMPARISON_NUMERIC",
    "PAIRED_NOTE",
    "AgentPair",
    "EpisodeKey",
    "ceiling_table",
    "compare_agents",
    "comparison_cells",
    "outcomes",
    "paired_table",
    "pairwise",
    "print_pairs",
]

EpisodeKey = tuple[str, int, int, float | None]
"""(scenario, seed, attempt, dose): what makes two agents' episodes the same episode."""

ALL_PAIRS_UP_TO = 4
"""With at most this many agents every pair is compared; with more, each against the first."""

COMPARISON_COLUMNS = (
    "First",
    "Second",
    "Paired",
    "Both",
    "Only first",
    "Only second",
    "Difference",
    "p (McNemar)",
    "Verdict",
)
COMPARISON_NUMERIC = (False, False, True, True, True, True, True, True, False)
"""Which of :data:`COMPARISON_COLUMNS` are numbers (right-aligned in plain text)."""

PAIRED_NOTE = (
    "Each pair of agents on the episodes both ran, matched on (scenario, seed, attempt, "
    "dose). Both / Only first / Only second: episodes that succeeded for both, for one alone; "
    "Difference: the first's success rate minus the second's over the paired episodes, in "
    "percentage points. p: the exact two-sided McNemar test on the episodes where only one "
    "succeeded (a binomial test at one half); significant at 5% when p < 0.05. Episodes "
    "where both agents agree say nothing about which is better."
)


@dataclass(frozen=True)
class AgentPair:
    """Two agents (``first`` and ``second``) compared on their shared episodes."""

    first: str
    second: str
    comparison: PairedComparison
    unpaired_first: int = 0
    """Episodes of the first agent the second did not run (left out)."""
    unpaired_second: int = 0

    @property
    def verdict(self) -> str:
        """``"significant at 5%"``, ``"not significant"``, or ``"no paired episodes"``."""
        if not self.comparison.pairs:
            return "no paired episodes"
        level = f"{100 * self.comparison.alpha:g}%"
        return f"significant at {level}" if self.comparison.significant else "not significant"


def outcomes(results: Iterable[EpisodeResult]) -> dict[str, dict[EpisodeKey, bool]]:
    """Agent -> success by episode key, over the applicable results."""
    by_agent: dict[str, dict[EpisodeKey, bool]] = defaultdict(dict)
    for r in applicable(results):
        by_agent[r.agent][(r.scenario, r.seed, r.attempt, r.dose)] = r.success
    return dict(by_agent)


def compare_agents(
    first: dict[EpisodeKey, bool], second: dict[EpisodeKey, bool], names: tuple[str, str]
) -> AgentPair:
    """The paired comparison of two agents' outcomes (see :func:`outcomes`)."""
    shared = first.keys() & second.keys()
    return AgentPair(
        names[0],
        names[1],
        paired_comparison(first, second),
        len(first) - len(shared),
        len(second) - len(shared),
    )


def pairwise(results: Sequence[EpisodeResult], agents: Sequence[str]) -> list[AgentPair]:
    """``agents`` (best first) compared on shared episodes: every pair for up to
    :data:`ALL_PAIRS_UP_TO` agents, else each against the first. Pairs with no episode in
    common are left out."""
    by_agent = outcomes(results)
    present = [a for a in agents if a in by_agent]
    if len(present) <= ALL_PAIRS_UP_TO:
        pairs = list(combinations(present, 2))
    else:
        pairs = [(present[0], other) for other in present[1:]]
    compared = [compare_agents(by_agent[a], by_agent[b], (a, b)) for a, b in pairs]
    return [pair for pair in compared if pair.comparison.pairs]


def _points(difference: float) -> str:
    return f"{100.0 * difference:+.1f} pp"


def _p_value(p: float) -> str:
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def comparison_cells(pair: AgentPair) -> list[str]:
    """The pair's cells, in :data:`COMPARISON_COLUMNS` order."""
    c = pair.comparison
    return [
        pair.first,
        pair.second,
        str(c.pairs),
        str(c.both),
        str(c.only_first),
        str(c.only_second),
        _points(c.difference),
        _p_value(c.p_value),
        pair.verdict,
    ]


def paired_table(results: Sequence[EpisodeResult], agents: Sequence[str]) -> Table | None:
    """Agents (best first) compared pairwise on the episodes they share (every pair of a few,
    else each against the first; :func:`pairwise`); ``None`` when no
    two agents share an episode."""
    pairs = pairwise(results, agents)
    if not pairs:
        return None
    return Table(COMPARISON_COLUMNS, [comparison_cells(pair) for pair in pairs])


def ceiling_table(
    results: Sequence[EpisodeResult], agents: Sequence[str]
) -> tuple[Table, str] | None:
    """Each agent's success on the episodes the fault-robust reference found achievable, and
    relative to the reference's, with a note; ``None`` unless a marking reference (``robust``)
    ran beside another agent. The reference marks an episode impossible when its faults left
    no way to succeed (:mod:`gym_apibench.ceiling`)."""
    reference = next((a for a in agents if a in MARKING_AGENTS), None)
    if reference is None or len(agents) < 2:
        return None
    ceiling = Ceiling.of(results, reference)
    won = {episode_key(r) for r in results if r.agent == reference and r.success}
    rows = []
    for agent in agents:
        mine = [r for r in results if r.agent == agent and episode_key(r) in ceiling.achievable]
        k = sum(r.success for r in mine)
        ref = sum(episode_key(r) in won for r in mine)
        relative = f"{100.0 * k / ref:.1f}%" if ref else "n/a"
        rows.append([agent, str(len(mine)), rate_cell(k, len(mine)), relative])
    header = [
        "Agent",
        "Achievable episodes",
        "Success on them [95% CI]",
        f"Relative to {reference}",
    ]
    total = len(ceiling.achievable) + len(ceiling.excluded)
    reasons = Counter(
        (marked_impossible(r) or "").split(":")[0]
        for r in results
        if r.agent == reference and episode_key(r) in ceiling.excluded
    )
    why = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
    note = (
        f"The fault-robust reference `{reference}` ran the same episodes and marked "
        f"{len(ceiling.excluded)} of its {total} impossible under their faults"
        f"{f' ({why})' if why else ''}: by its account no agent could succeed there, so "
        "they are left out. "
        f"Relative: the agent's successes over {reference}'s on the achievable episodes the "
        "agent ran."
    )
    return Table(header, rows), note


def print_pairs(pairs: Sequence[AgentPair], file: TextIO | None = None) -> None:
    """Print ``pairs`` as an aligned plain-text table, then the episodes left without a
    partner, pair by pair."""
    out = file if file is not None else sys.stdout
    rows = [comparison_cells(pair) for pair in pairs]
    print_table(Table(COMPARISON_COLUMNS, rows), COMPARISON_NUMERIC, out)
    for pair in pairs:
        if pair.unpaired_first or pair.unpaired_second:
            print(
                f"  left out, without a partner: {pair.unpaired_first} episodes of "
                f"{pair.first}, {pair.unpaired_second} of {pair.second}",
                file=out,
            )
