"""The report: leaderboard format and ranking, per-category and per-scenario tables."""

from __future__ import annotations

import io

from gym_apibench.harness import EpisodeResult
from gym_apibench.report import (
    LEADERBOARD_COLUMNS,
    leaderboard,
    leaderboard_markdown,
    print_leaderboard,
    render_report,
    write_report,
)

CATEGORIES = {"attio.a": "filtering", "attio.b": "writes", "attio.c": "writes"}


def result(agent: str, scenario: str, seed: int, success: bool, failure: str | None = None):
    return EpisodeResult(
        scenario=scenario,
        seed=seed,
        agent=agent,
        reward=1.0 if success else 0.25,
        success=success,
        steps=3,
        checks=[],
        failure=None if success else (failure or "wrong_answer"),
    )


def synthetic() -> list[EpisodeResult]:
    """zeta 3/4, alpha 3/4 (tie: alpha ranks first), mid 1/3, none 0/2."""
    return [
        result("zeta", "attio.a", 0, True),
        result("zeta", "attio.a", 1, True),
        result("zeta", "attio.b", 0, True),
        result("zeta", "attio.b", 1, False, "step_limit"),
        result("alpha", "attio.a", 0, True),
        result("alpha", "attio.a", 1, False),
        result("alpha", "attio.b", 0, True),
        result("alpha", "attio.c", 0, True),
        result("mid", "attio.a", 0, True),
        result("mid", "attio.b", 0, False),
        result("mid", "attio.c", 0, False, "state_check_failed: x"),
        result("none", "attio.a", 0, False),
        result("none", "attio.b", 0, False),
    ]


def test_ranking_by_rate_then_name():
    rows = leaderboard(synthetic())
    assert [(r.rank, r.agent, r.successes, r.episodes) for r in rows] == [
        (1, "alpha", 3, 4),
        (2, "zeta", 3, 4),
        (3, "mid", 1, 3),
        (4, "none", 0, 2),
    ]


def test_leaderboard_markdown_exact():
    assert leaderboard_markdown(synthetic()).splitlines() == [
        "| Rank | Agent | Success Rate | Successful Tasks |",
        "|---|---|---|---|",
        "| 1 | alpha | 75.0% | 3/4 |",
        "| 2 | zeta | 75.0% | 3/4 |",
        "| 3 | mid | 33.3% | 1/3 |",
        "| 4 | none | 0.0% | 0/2 |",
    ]
    assert LEADERBOARD_COLUMNS == ("Rank", "Agent", "Success Rate", "Successful Tasks")


def test_report_sections():
    text = render_report(
        synthetic(), {"agents": ["alpha", "zeta"], "faults": None}, category_of=CATEGORIES.get
    )
    lines = text.splitlines()
    assert lines[0] == "# apibench evaluation report"
    assert "- **agents**: alpha, zeta" in lines
    assert "- **faults**: none" in lines
    sections = [line for line in lines if line.startswith("## ")]
    assert sections == [
        "## Parameters",
        "## Leaderboard",
        "## Success by category",
        "## Success by scenario",
        "## Failures",
    ]
    assert lines.index("## Parameters") < lines.index("| 1 | alpha | 75.0% | 3/4 |")
    # Per category: mid solved 0 of its 2 "writes" episodes and 1 of 1 "filtering".
    assert "| mid | 100.0% (1/1) | 0.0% (0/2) |" in lines
    assert "| Agent | filtering | writes |" in lines
    # Per scenario: successes/episodes and mean reward; an agent that never ran it gets a dash.
    assert "| attio.c | writes | 1/1 (1.00) | – | 0/1 (0.25) | – |" in lines
    assert "| zeta | step_limit | 1 |" in lines
    assert "| mid | state_check_failed: x | 1 |" in lines


def test_report_without_failures(tmp_path):
    path = write_report(
        [result("oracle", "attio.a", 0, True)], tmp_path / "report.md", category_of=CATEGORIES.get
    )
    text = path.read_text()
    assert "No failures." in text
    assert "| 1 | oracle | 100.0% | 1/1 |" in text


def test_print_leaderboard_aligned():
    out = io.StringIO()
    print_leaderboard(synthetic(), file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("  ")[0].strip() == "Rank"
    assert [line.split()[1] for line in lines[2:]] == ["alpha", "zeta", "mid", "none"]
    assert "75.0%" in lines[2] and "3/4" in lines[2]
    # Columns line up: every row has the agent at the same offset.
    assert len({line.index(line.split()[1]) for line in lines[2:]}) == 1
