"""Evaluation reports: leaderboard, API-Bank's metrics (with api-bank scenarios), pass@k,
success by category and scenario, failure taxonomy, failures, faults; as Markdown (here) and
HTML (:mod:`gym_apibench.report_html`)."""

from __future__ import annotations

import os
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gym_apibench.comparison import (
    PAIRED_NOTE,
    ceiling_table,
    paired_table,
    pairwise,
    print_pairs,
)
from gym_apibench.metrics import attempt_stats
from gym_apibench.results import applicable, unmatched_rules
from gym_apibench.stats import rate_with_interval
from gym_apibench.tables import (
    Section,
    Table,
    format_param,
    markdown_table,
    percent,
    print_table,
    rate_cell,
)
from gym_apibench.taxonomy import CATEGORIES, CATEGORY_LABELS

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = [
    "APIBANK_NOTE",
    "INTERVALS_NOTE",
    "LEADERBOARD_COLUMNS",
    "REPORT_FILES",
    "LeaderboardRow",
    "Section",
    "Table",
    "apibank_table",
    "category_rates",
    "env_version_note",
    "faults_markdown",
    "leaderboard",
    "leaderboard_markdown",
    "print_ceiling",
    "print_leaderboard",
    "print_pairwise",
    "render_report",
    "report_sections",
    "scenario_category",
    "taxonomy_table",
    "unisolated_note",
    "unmatched_note",
    "write_report",
    "write_reports",
]

LEADERBOARD_COLUMNS = ("Rank", "Agent", "Success Rate [95% CI]", "Successful Episodes")
"""The episode leaderboard: each (scenario, seed, attempt) counts once. A suite run in full
also gets its original's board of tasks (:mod:`gym_apibench.suite_report`)."""
INTERVALS_NOTE = (
    "Success rates carry a 95% Wilson score interval in brackets, over the episodes counted "
    "(each (scenario, seed, attempt) once): the range of true success rates these episodes "
    "are consistent with. Overlapping intervals do not settle a ranking; the paired "
    "comparison of two agents on the same episodes does. The per-scenario cells, a few "
    "episodes each, show counts only: their intervals would span most of 0-100%."
)
UNKNOWN_CATEGORY = "(unknown)"


@dataclass(frozen=True)
class LeaderboardRow:
    """One agent's standing."""

    rank: int
    agent: str
    successes: int
    episodes: int
    name: str | None = None
    """The agent's own name, shown beside its spec when it differs."""

    @property
    def rate(self) -> float:
        """Successful episodes over all episodes, in [0, 1]."""
        return self.successes / self.episodes if self.episodes else 0.0

    def cells(self) -> tuple[str, str, str, str]:
        """The row's cells, in :data:`LEADERBOARD_COLUMNS` order."""
        return (
            str(self.rank),
            f"{self.name} ({self.agent})" if self.name else self.agent,
            rate_with_interval(self.successes, self.episodes),
            f"{self.successes}/{self.episodes}",
        )


def leaderboard(results: Iterable[EpisodeResult]) -> list[LeaderboardRow]:
    """Agents ranked by success rate (best first); ties go by agent name. Episodes an agent
    does not apply to count for nothing."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    names: dict[str, str] = {}
    for result in applicable(results):
        counts = totals[result.agent]
        counts[0] += int(result.success)
        counts[1] += 1
        if result.agent_name:
            names[result.agent] = result.agent_name
    order = sorted(totals, key=lambda a: (-totals[a][0] / totals[a][1], a))
    return [
        LeaderboardRow(i, a, totals[a][0], totals[a][1], names.get(a))
        for i, a in enumerate(order, 1)
    ]


def leaderboard_markdown(results: Iterable[EpisodeResult]) -> str:
    """The leaderboard as a Markdown table."""
    return markdown_table(LEADERBOARD_COLUMNS, (row.cells() for row in leaderboard(results)))


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
    recoverable: int = 0
    """Faults with something to recover from (not a latency's right, late response)."""


FAULTS_NOTE = (
    "A fault counts as recovered when a later request with the same method to the same path "
    "(of the same service) got a 2xx; whether the recovery was correct (no duplicate, say) "
    "is for the checks. A latency fault delays a right response: nothing to recover (n/a). "
    "Success is over the episodes that met the kind, with its 95% Wilson interval; the "
    "recovered share has none, its faults are not independent (one episode meets several)."
)


def _fault_table(results: Sequence[EpisodeResult]) -> Table | None:
    tallies: dict[tuple[str, str], _FaultTally] = defaultdict(_FaultTally)
    for r in results:
        kinds: set[str] = set()
        for fault in r.faults:
            tally = tallies[(r.agent, str(fault["kind"]))]
            tally.faults += 1
            if fault.get("recovered") is not None:
                tally.recoverable += 1
                tally.recovered += int(bool(fault["recovered"]))
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
            (
                f"{percent(t.recovered, t.recoverable)} ({t.recovered}/{t.recoverable})"
                if t.recoverable
                else "n/a"
            ),
            rate_cell(t.successes, t.episodes),
        ]
        for (agent, kind), t in sorted(tallies.items(), key=lambda i: (rank[i[0][0]], i[0][1]))
    ]
    return Table(["Agent", "Kind", "Episodes", "Faults", "Recovered", "Success"], rows)


def faults_markdown(results: Iterable[EpisodeResult]) -> str | None:
    """The faults the episodes met, per agent and kind, as Markdown; ``None`` if none met any.

    Columns: episodes that met the kind, faults of the kind, the share recovered, and the
    success rate of the episodes that met it.
    """
    table = _fault_table(list(results))
    if table is None:
        return None
    return markdown_table(table.header, table.rows) + "\n\n" + FAULTS_NOTE


def _pass_k_table(results: Sequence[EpisodeResult], agents: Sequence[str]) -> Table | None:
    """pass@k and pass^k per agent, for k up to the most attempts any agent made per task."""
    stats = {s.agent: s for s in attempt_stats(results)}
    top = max((s.max_k for s in stats.values()), default=0)
    if top < 2:
        return None
    ks = range(1, top + 1)
    rows = []
    for agent in agents:
        s = stats[agent]
        at = [f"{s.pass_at(k):.3f}" if k <= s.max_k else "n/a" for k in ks]
        hat = [f"{s.pass_hat(k):.3f}" if k <= s.max_k else "n/a" for k in ks]
        rows.append([agent, str(len(s.tasks)), str(s.max_k), *at, *hat])
    header = ["Agent", "Tasks", "Attempts", *(f"pass@{k}" for k in ks), *(f"pass^{k}" for k in ks)]
    return Table(header, rows)


PASS_K_NOTE = (
    "A task is a (scenario, seed); each ran several attempts. pass@k: the chance that at least "
    "one of k attempts succeeds (the unbiased estimator of Chen et al., 2021); pass^k: the "
    "chance that all k succeed, C(c,k)/C(n,k) (tau-bench). Both are means over tasks."
)
TAXONOMY_NOTE = (
    "Each failed episode gets one category, the first whose rule holds, in the order of the "
    "rows; the rules read the episode's HTTP trace and checks (see gym_apibench.taxonomy)."
)
UNCLASSIFIED = "(unclassified)"


def taxonomy_table(results: Sequence[EpisodeResult], agents: Sequence[str]) -> Table | None:
    """Failed episodes per category (rows, in precedence order) and agent; ``None`` if none."""
    counts: Counter[tuple[str, str]] = Counter(
        (r.failure_category or UNCLASSIFIED, r.agent) for r in results if not r.success
    )
    if not counts:
        return None
    categories = [c for c in CATEGORIES if c in {k for k, _ in counts}]
    if any(k == UNCLASSIFIED for k, _ in counts):
        categories.append(UNCLASSIFIED)
    rows = [
        [CATEGORY_LABELS.get(c, c), *(str(counts.get((c, a), 0)) for a in agents)]
        for c in categories
    ]
    totals = Counter(a for _, a in counts.elements())
    rows.append(["failed episodes", *(str(totals.get(a, 0)) for a in agents)])
    return Table(["Category", *agents], rows)


APIBANK_NOTE = (
    "API-call accuracy as API-Bank defines it: the agent's call, executed on the dialogue's "
    "state, gives the gold result by the API's own comparison (the api-call check); over all "
    "gold calls, and over those reproducible at all (tag reproducible: the reference "
    "implementation or the offline ToolSearcher reproduces the gold result). ROUGE-L F1: the "
    "submitted reply against the gold reply, mean over the calls a reply follows (their "
    "count in brackets)."
)


def _scenario_reproducible(scenario_id: str) -> bool | None:
    from gym_apibench.scenarios import get_scenario

    try:
        tags = get_scenario(scenario_id).tags
    except KeyError:
        return None
    return "reproducible" in tags


def _fraction_cell(k: int, n: int) -> str:
    return f"{percent(k, n)} ({k}/{n})" if n else "n/a"


def apibank_table(
    results: Sequence[EpisodeResult],
    agents: Sequence[str],
    reproducible_of: Callable[[str], bool | None] = _scenario_reproducible,
) -> Table | None:
    """API-Bank's API-call accuracy (all calls, reproducible calls) and mean ROUGE-L F1 per
    agent and level; ``None`` when the results have no ``api-bank.*`` scenario."""
    from gym_apibench.apibank.metrics import level_scores

    scores = level_scores(results, reproducible_of, agents)
    if not scores:
        return None
    rows = [
        [
            s.agent,
            str(s.level) if s.level else "all",
            _fraction_cell(s.correct, s.calls),
            _fraction_cell(s.reproducible_correct, s.reproducible),
            "n/a" if s.rouge is None else f"{s.rouge:.4f} ({s.replies})",
        ]
        for s in scores
    ]
    header = [
        "Agent",
        "Level",
        "API-call accuracy",
        "On reproducible calls",
        "ROUGE-L F1 (replies)",
    ]
    return Table(header, rows)


def category_rates(
    results: Sequence[EpisodeResult], category_of: Callable[[str], str] = scenario_category
) -> tuple[list[str], list[str], dict[tuple[str, str], tuple[int, int]]]:
    """``(agents by rank, categories, {(agent, category): (successes, episodes)})``."""
    agents = [row.agent for row in leaderboard(results)]
    categories = {sid: category_of(sid) for sid in sorted({r.scenario for r in results})}
    tally: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for r in results:
        tally[(r.agent, categories[r.scenario])].add(r)
    rates = {key: (t.successes, t.episodes) for key, t in tally.items()}
    return agents, sorted(set(categories.values())), rates


def report_sections(
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> list[Section]:
    """The report's sections: parameters, leaderboard, pass@k (with several attempts), success
    by category and by scenario, the failure taxonomy, failures, and the faults met.

    Episodes an agent does not apply to (``naive`` where a scenario has no naive solution)
    are left out of every table; the leaderboard says how many."""
    skipped = Counter(r.agent for r in results if not r.applicable)
    results = applicable(results)
    agents = [row.agent for row in leaderboard(results)]
    categories = {sid: category_of(sid) for sid in sorted({r.scenario for r in results})}
    by_scenario: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    failures: Counter[tuple[str, str]] = Counter()
    for r in results:
        by_scenario[(r.agent, r.scenario)].add(r)
        if r.failure:
            failures[(r.agent, r.failure)] += 1

    sections: list[Section] = []
    if params:
        bullets = tuple((str(k), format_param(v)) for k, v in params.items())
        sections.append(Section("parameters", "Parameters", [bullets]))
    unmatched = unmatched_note(results)
    if unmatched is not None:
        sections.append(Section("unmatched-rules", "Fault rules that never fired", [unmatched]))
    unisolated = unisolated_note(results)
    if unisolated is not None:
        sections.append(Section("unisolated", "Programs run without the sandbox", [unisolated]))
    board = Table(LEADERBOARD_COLUMNS, [row.cells() for row in leaderboard(results)])
    blocks: list[str | Table | tuple[tuple[str, str], ...]] = [board]
    if skipped:
        blocks.append(
            "Not applicable, left out of every rate: "
            + "; ".join(f"{a}, {n} episodes" for a, n in sorted(skipped.items()))
            + " (no solution of the agent's kind for those scenarios)."
        )
    blocks.append(INTERVALS_NOTE)
    sections.append(Section("leaderboard", "Leaderboard", blocks))
    paired = paired_table(results, agents)
    if paired is not None:
        sections.append(Section("paired", "Paired comparisons", [paired, PAIRED_NOTE]))
    ceiling = ceiling_table(results, agents)
    if ceiling is not None:
        sections.append(Section("ceiling", "Achievable episodes", list(ceiling)))
    # A suite run in full (API-Bench v2) also gets its original's leaderboard: tasks, not episodes.
    from gym_apibench.suite_report import suite_sections

    sections += suite_sections(results)
    apibank = apibank_table(results, agents)
    if apibank is not None:
        sections.append(Section("api-bank", "API-Bank", [apibank, APIBANK_NOTE]))
    passk = _pass_k_table(results, agents)
    if passk is not None:
        sections.append(Section("pass-k", "pass@k and pass^k", [passk, PASS_K_NOTE]))

    _, names, rates = category_rates(results, category_of)
    rows = [[a, *(rate_cell(*rates.get((a, c), (0, 0))) for c in names)] for a in agents]
    sections.append(Section("categories", "Success by category", [Table(["Agent", *names], rows)]))

    rows = [
        [sid, categories[sid], *(by_scenario.get((a, sid), _Tally()).reward_cell() for a in agents)]
        for sid in categories
    ]
    sections.append(
        Section(
            "scenarios",
            "Success by scenario",
            [
                "Cells: successful/episodes (mean reward); no interval, a few episodes each.",
                Table(["Scenario", "Category", *agents], rows),
            ],
        )
    )

    taxonomy = taxonomy_table(results, agents)
    if taxonomy is not None:
        sections.append(Section("taxonomy", "Failure taxonomy", [taxonomy, TAXONOMY_NOTE]))

    if failures:
        ordered = sorted(failures.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
        table = Table(
            ["Agent", "Failure", "Episodes"],
            [[agent, failure, str(count)] for (agent, failure), count in ordered],
        )
        sections.append(Section("failures", "Failures", [table]))
    else:
        sections.append(Section("failures", "Failures", ["No failures."]))

    faults = _fault_table(results)
    if faults is not None:
        sections.append(Section("faults", "Faults", [faults, FAULTS_NOTE]))
    return sections


TITLE = "apibench evaluation report"


def unmatched_note(results: Iterable[EpisodeResult]) -> str | None:
    """A warning naming the run's added fault rules that never matched a request (their
    ``where`` never applied, so the run went without them); ``None`` when every one did."""
    names = unmatched_rules(results)
    if not names:
        return None
    return (
        f"Fault rules that matched no request in this run, so never fired: {', '.join(names)}. "
        "Check their `where` (service, method, path as the service sees it) against the "
        "requests the agents sent."
    )


def unisolated_note(results: Iterable[EpisodeResult]) -> str | None:
    """A warning naming the agents whose programs ran outside the sandbox (the code agent
    with ``sandbox=none``); ``None`` when none did."""
    from gym_apibench.llm.options import OptionsError, split_spec

    agents = set()
    for result in results:
        try:
            _, options = split_spec(result.agent)
        except OptionsError:
            continue
        if options.get("sandbox") == "none":
            agents.add(result.agent)
    if not agents:
        return None
    return (
        f"Programs of {', '.join(sorted(agents))} ran unisolated (`sandbox=none`): they could "
        "read the host's files, the project's source and scenarios' ground truth, and reach "
        "any port. Their results hold only if the programs were trusted."
    )


def env_version_note(results: Iterable[EpisodeResult]) -> str | None:
    """The header line naming the env version(s) that ran ``results``; ``None`` for none.

    Several versions are flagged: their episodes differ, so their rates do not compare.
    """
    versions = sorted({r.env_version for r in results})
    if not versions:
        return None
    if len(versions) == 1:
        return f"Env version: v{versions[0]} (ids `apibench/<scenario-id>-v{versions[0]}`)."
    listed = ", ".join(f"v{v}" for v in versions)
    return f"Env versions: {listed}. Results of different versions are not comparable."


def render_report(
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> str:
    """The Markdown report (see :func:`report_sections`).

    ``category_of`` maps a scenario id to its category (the scenario files' by default).
    """
    parts = [f"# {TITLE}", ""]
    note = env_version_note(results)
    if note is not None:
        parts += [note, ""]
    for section in report_sections(results, params, category_of=category_of):
        parts += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(markdown_table(block.header, block.rows))
            elif isinstance(block, tuple):
                parts += [f"- **{label}**: {text}" for label, text in block]
            else:
                parts.append(block)
            parts.append("")
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


REPORT_FILES = ("report.md", "report.html")


def write_reports(
    results: Sequence[EpisodeResult],
    out_dir: str | os.PathLike[str],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> list[Path]:
    """Write ``report.md`` and the self-contained ``report.html`` into ``out_dir``."""
    from gym_apibench.report_html import render_html

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md = write_report(results, out / REPORT_FILES[0], params, category_of=category_of)
    html = out / REPORT_FILES[1]
    html.write_text(render_html(results, params, category_of=category_of), encoding="utf-8")
    return [md, html]


def print_leaderboard(results: Iterable[EpisodeResult], file: TextIO | None = None) -> None:
    """Print the leaderboard as an aligned plain-text table (the terminal view of ``make demo``)."""
    rows = [row.cells() for row in leaderboard(results)]
    print_table(Table(LEADERBOARD_COLUMNS, rows), (True, False, True, True), file)


def print_pairwise(results: Sequence[EpisodeResult], file: TextIO | None = None) -> None:
    """Print the agents' paired comparisons (the report's section) as plain text, under a
    heading; nothing when no two agents share an episode."""
    results = applicable(results)
    pairs = pairwise(results, [row.agent for row in leaderboard(results)])
    if pairs:
        print("\nPaired comparisons (exact McNemar test on the episodes both ran):", file=file)
        print_pairs(pairs, file)


def print_ceiling(results: Sequence[EpisodeResult], file: TextIO | None = None) -> None:
    """Print the report's "Achievable episodes" section as plain text, under a heading;
    nothing unless the fault-robust reference ran beside another agent."""
    results = applicable(results)
    ceiling = ceiling_table(results, [row.agent for row in leaderboard(results)])
    if ceiling is not None:
        table, note = ceiling
        print("\nAchievable episodes (by the fault-robust reference):", file=file)
        print_table(table, (False, True, True, True), file)
        print(textwrap.fill(note, 92), file=file)
