"""Evaluation reports: the leaderboard, per-category and per-scenario success, failures, faults."""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = [
    "LEADERBOARD_COLUMNS",
    "LeaderboardRow",
    "faults_markdown",
    "leaderboard",
    "leaderboard_markdown",
    "print_leaderboard",
    "render_report",
    "scenario_category",
    "write_report",
]

LEADERBOARD_COLUMNS = ("Rank", "Agent", "Success Rate", "Successful Tasks")
UNKNOWN_CATEGORY = "(unknown)"


@dataclass(frozen=True)
class LeaderboardRow:
    """One agent's standing."""

    rank: int
    agent: str
    successes: int
    episodes: int

    @property
    def rate(self) -> float:
        """Successful episodes over all episodes, in [0, 1]."""
        return self.successes / self.episodes if self.episodes else 0.0

    def cells(self) -> tuple[str, str, str, str]:
        """The row's cells, in :data:`LEADERBOARD_COLUMNS` order."""
        return (
            str(self.rank),
            self.agent,
            _percent(self.successes, self.episodes),
            f"{self.successes}/{self.episodes}",
        )


def _percent(k: int, n: int) -> str:
    return f"{100.0 * k / n:.1f}%" if n else "n/a"


def leaderboard(results: Iterable[EpisodeResult]) -> list[LeaderboardRow]:
    """Agents ranked by success rate (best first); ties go by agent name."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        counts = totals[result.agent]
        counts[0] += int(result.success)
        counts[1] += 1
    order = sorted(totals, key=lambda a: (-totals[a][0] / totals[a][1], a))
    return [LeaderboardRow(i, a, totals[a][0], totals[a][1]) for i, a in enumerate(order, 1)]


def _markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def leaderboard_markdown(results: Iterable[EpisodeResult]) -> str:
    """The leaderboard as a Markdown table."""
    return _markdown_table(LEADERBOARD_COLUMNS, (row.cells() for row in leaderboard(results)))


def scenario_category(scenario_id: str) -> str:
    """The category of a scenario, or ``(unknown)`` for an id no scenario has (any more)."""
    from gym_apibench.scenarios import get_scenario

    try:
        return get_scenario(scenario_id).category
    except KeyError:
        return UNKNOWN_CATEGORY


@dataclass
class _Tally:
    """Episodes, successes and summed reward of one group of results."""

    successes: int = 0
    episodes: int = 0
    reward: float = 0.0

    def add(self, result: EpisodeResult) -> None:
        self.successes += int(result.success)
        self.episodes += 1
        self.reward += result.reward

    def rate_cell(self) -> str:
        """``"40.0% (2/5)"``, or a dash for no episodes."""
        if not self.episodes:
            return "–"
        return f"{_percent(self.successes, self.episodes)} ({self.successes}/{self.episodes})"

    def reward_cell(self) -> str:
        """``"2/5 (0.53)"``: successes over episodes, then the mean reward."""
        if not self.episodes:
            return "–"
        return f"{self.successes}/{self.episodes} ({self.reward / self.episodes:.2f})"


@dataclass
class _FaultTally:
    """One agent's encounters with one fault kind."""

    episodes: int = 0
    successes: int = 0
    faults: int = 0
    recovered: int = 0


FAULTS_NOTE = (
    "A fault counts as recovered when a later request with the same method to the same path "
    "(of the same service) got a 2xx; whether the recovery was correct (no duplicate, say) "
    "is for the checks. Success is over the episodes that met the kind."
)


def faults_markdown(results: Iterable[EpisodeResult]) -> str | None:
    """The faults the episodes met, per agent and kind, as Markdown; ``None`` if none met any.

    Columns: episodes that met the kind, faults of the kind, the share recovered, and the
    success rate of the episodes that met it.
    """
    results = list(results)
    tallies: dict[tuple[str, str], _FaultTally] = defaultdict(_FaultTally)
    for r in results:
        kinds: set[str] = set()
        for fault in r.faults:
            tally = tallies[(r.agent, str(fault["kind"]))]
            tally.faults += 1
            tally.recovered += int(bool(fault.get("recovered")))
            kinds.add(str(fault["kind"]))
        for kind in kinds:
            tallies[(r.agent, kind)].episodes += 1
            tallies[(r.agent, kind)].successes += int(r.success)
    if not tallies:
        return None
    rank = {row.agent: row.rank for row in leaderboard(results)}
    rows = [
        [
            agent,
            kind,
            str(t.episodes),
            str(t.faults),
            f"{_percent(t.recovered, t.faults)} ({t.recovered}/{t.faults})",
            f"{_percent(t.successes, t.episodes)} ({t.successes}/{t.episodes})",
        ]
        for (agent, kind), t in sorted(tallies.items(), key=lambda i: (rank[i[0][0]], i[0][1]))
    ]
    header = ["Agent", "Kind", "Episodes", "Faults", "Recovered", "Success"]
    return _markdown_table(header, rows) + "\n\n" + FAULTS_NOTE


def _format_param(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def render_report(
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> str:
    """The Markdown report: parameters, leaderboard, per-category, per-scenario, failures,
    and the faults met (when any episode met one).

    ``category_of`` maps a scenario id to its category (the scenario files' by default).
    """
    agents = [row.agent for row in leaderboard(results)]
    categories = {sid: category_of(sid) for sid in sorted({r.scenario for r in results})}
    by_category: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    by_scenario: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    failures: Counter[tuple[str, str]] = Counter()
    for r in results:
        by_category[(r.agent, categories[r.scenario])].add(r)
        by_scenario[(r.agent, r.scenario)].add(r)
        if r.failure:
            failures[(r.agent, r.failure)] += 1

    parts = ["# apibench evaluation report", ""]
    if params:
        parts += ["## Parameters", ""]
        parts += [f"- **{key}**: {_format_param(value)}" for key, value in params.items()]
        parts.append("")
    parts += ["## Leaderboard", "", leaderboard_markdown(results), ""]

    category_names = sorted(set(categories.values()))
    parts += ["## Success by category", ""]
    parts.append(
        _markdown_table(
            ["Agent", *category_names],
            (
                [
                    agent,
                    *(by_category.get((agent, c), _Tally()).rate_cell() for c in category_names),
                ]
                for agent in agents
            ),
        )
    )
    parts.append("")

    parts += ["## Success by scenario", "", "Cells: successful/episodes (mean reward).", ""]
    rows = [
        [sid, categories[sid], *(by_scenario.get((a, sid), _Tally()).reward_cell() for a in agents)]
        for sid in categories
    ]
    parts += [_markdown_table(["Scenario", "Category", *agents], rows), ""]

    parts += ["## Failures", ""]
    if failures:
        ordered = sorted(failures.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
        parts.append(
            _markdown_table(
                ["Agent", "Failure", "Episodes"],
                ([agent, failure, str(count)] for (agent, failure), count in ordered),
            )
        )
    else:
        parts.append("No failures.")
    parts.append("")

    faults = faults_markdown(results)
    if faults is not None:
        parts += ["## Faults", "", faults, ""]
    return "\n".join(parts)


def write_report(
    results: Sequence[EpisodeResult],
    path: str | os.PathLike[str],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> Path:
    """Write :func:`render_report` to ``path`` and return it."""
    target = Path(path)
    target.write_text(render_report(results, params, category_of=category_of), encoding="utf-8")
    return target


def print_leaderboard(results: Iterable[EpisodeResult], file: TextIO | None = None) -> None:
    """Print the leaderboard as an aligned plain-text table (the terminal view of ``make demo``)."""
    out = file if file is not None else sys.stdout
    rows = [LEADERBOARD_COLUMNS, *(row.cells() for row in leaderboard(results))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(LEADERBOARD_COLUMNS))]
    numeric = (True, False, True, True)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if right else cell.ljust(w)
            for cell, w, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    print(line(rows[0]), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows[1:]:
        print(line(row), file=out)
