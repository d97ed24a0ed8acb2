"""A suite's leaderboard in its original's format: tasks, not episodes (API-Bench v2's
Rank | Agent | Success Rate | Successful Tasks, and its per-category rates)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from gym_apibench.scenarios import Scenario, load_scenarios
from gym_apibench.stats import rate_with_interval
from gym_apibench.suites import SUITES, Suite
from gym_apibench.tables import Section, Table, print_table

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = [
    "SuiteRow",
    "print_suite_leaderboard",
    "solved_tasks",
    "suite_leaderboard",
    "suite_section",
    "suite_sections",
]

SUITE_COLUMNS = ("Rank", "Agent", "Success Rate [95% CI]", "Successful Tasks")
"""The original's leaderboard: a task counts once, solved in any of its attempts. The rate
carries a 95% Wilson interval over tasks, which the original did not have."""


@dataclass(frozen=True)
class SuiteRow:
    """One agent's standing on a suite: tasks solved out of the suite's tasks."""

    rank: int
    agent: str
    solved: int
    tasks: int

    def cells(self) -> tuple[str, str, str, str]:
        """The row's cells, in :data:`SUITE_COLUMNS` order."""
        rate = rate_with_interval(self.solved, self.tasks)
        return (str(self.rank), self.agent, rate, f"{self.solved}/{self.tasks}")


def solved_tasks(results: Iterable[EpisodeResult], members: Sequence[str]) -> dict[str, set[str]]:
    """Agent -> the member scenarios it solved: on every seed it ran, at least one attempt
    succeeded. A member an agent never ran is not solved."""
    wanted = set(members)
    # (agent, scenario) -> seed -> any attempt succeeded
    by_seed: dict[tuple[str, str], dict[int, bool]] = defaultdict(dict)
    agents: set[str] = set()
    for r in results:
        agents.add(r.agent)
        if r.scenario in wanted:
            seeds = by_seed[(r.agent, r.scenario)]
            seeds[r.seed] = seeds.get(r.seed, False) or r.success
    solved: dict[str, set[str]] = {agent: set() for agent in agents}
    for (agent, scenario), seeds in by_seed.items():
        if all(seeds.values()):
            solved[agent].add(scenario)
    return solved


def _members(suite: Suite, scenarios: Mapping[str, Scenario] | None) -> list[Scenario]:
    return suite.members((scenarios if scenarios is not None else load_scenarios()).values())


def suite_leaderboard(
    results: Iterable[EpisodeResult],
    suite: Suite,
    scenarios: Mapping[str, Scenario] | None = None,
) -> tuple[list[SuiteRow], Table]:
    """The suite's leaderboard (ranked by tasks solved, ties by name) and its category table
    (one column per category of the original, cells ``rate (solved/tasks)``)."""
    members = _members(suite, scenarios)
    solved = solved_tasks(results, [m.id for m in members])
    order = sorted(solved, key=lambda a: (-len(solved[a]), a))
    rows = [SuiteRow(i, a, len(solved[a]), len(members)) for i, a in enumerate(order, 1)]
    labels = list(suite.categories.values())
    in_category = {
        label: [m.id for m in members if suite.category_of(m) == label] for label in labels
    }
    table_rows = []
    for agent in order:
        cells = []
        for label in labels:
            ids = in_category[label]
            k = sum(1 for sid in ids if sid in solved[agent])
            cells.append(f"{rate_with_interval(k, len(ids))} ({k}/{len(ids)})" if ids else "–")
        table_rows.append([agent, *cells])
    return rows, Table(["Agent", *labels], table_rows)


def _note(suite: Suite, members: int) -> str:
    return (
        f"{suite.title} ({suite.source}) reproduced by the {members} scenarios tagged "
        f"`{suite.tag}` (`apibench list --suite {suite.name}`). A task counts once: solved when "
        "at least one of its attempts succeeded (the original gave each model "
        f"{suite.attempts}), on every seed run; a task not run counts as unsolved. Rates carry "
        "a 95% Wilson interval over tasks."
    )


def suite_section(
    results: Sequence[EpisodeResult],
    suite: Suite,
    scenarios: Mapping[str, Scenario] | None = None,
) -> Section:
    """The suite's report section: its leaderboard, its categories, and how tasks count."""
    rows, categories = suite_leaderboard(results, suite, scenarios)
    board = Table(SUITE_COLUMNS, [row.cells() for row in rows])
    note = _note(suite, len(_members(suite, scenarios)))
    return Section(f"suite-{suite.name}", suite.title, [board, categories, note])


def suite_sections(
    results: Sequence[EpisodeResult], scenarios: Mapping[str, Scenario] | None = None
) -> list[Section]:
    """A section for each suite whose every scenario the results ran (a partial run would
    give a task count that means nothing)."""
    ran = {r.scenario for r in results}
    return [
        suite_section(results, suite, scenarios)
        for suite in SUITES.values()
        if (members := _members(suite, scenarios)) and all(m.id in ran for m in members)
    ]


def print_suite_leaderboard(
    results: Sequence[EpisodeResult], suite: Suite, file: TextIO | None = None
) -> None:
    """Print the suite's leaderboard and category rates as aligned plain-text tables."""
    out = file if file is not None else sys.stdout
    rows, categories = suite_leaderboard(results, suite)
    print(f"{suite.title}: tasks solved in any of their attempts", file=out)
    for table in (Table(SUITE_COLUMNS, [r.cells() for r in rows]), categories):
        print_table(table, [False] * len(table.header), out)
        print(file=out)
