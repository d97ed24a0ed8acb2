"""The report: leaderboard format and ranking, per-category and per-scenario tables, faults."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

import gym_apibench
from gym_apibench.harness import EpisodeResult, run_episode
from gym_apibench.metrics import pass_at_k, pass_hat_k
from gym_apibench.report import (
    LEADERBOARD_COLUMNS,
    faults_markdown,
    leaderboard,
    leaderboard_markdown,
    print_leaderboard,
    render_report,
    taxonomy_table,
    write_report,
)
from gym_apibench.scenarios import get_scenario

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
    # 95% Wilson intervals: 3/4 [30.1, 95.4], 1/3 [6.1, 79.2], 0/2 [0, 65.8] (R's
    # binom::binom.wilson; 0 successes put the lower bound at exactly 0)
    assert leaderboard_markdown(synthetic()).splitlines() == [
        "| Rank | Agent | Success Rate [95% CI] | Successful Episodes |",
        "|---|---|---|---|",
        "| 1 | alpha | 75.0% [30.1, 95.4] | 3/4 |",
        "| 2 | zeta | 75.0% [30.1, 95.4] | 3/4 |",
        "| 3 | mid | 33.3% [6.1, 79.2] | 1/3 |",
        "| 4 | none | 0.0% [0.0, 65.8] | 0/2 |",
    ]
    assert LEADERBOARD_COLUMNS == (
        "Rank",
        "Agent",
        "Success Rate [95% CI]",
        "Successful Episodes",
    )


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
        "## Paired comparisons",
        "## Success by category",
        "## Success by scenario",
        "## Failure taxonomy",
        "## Failures",
    ]
    assert lines.index("## Parameters") < lines.index("| 1 | alpha | 75.0% [30.1, 95.4] | 3/4 |")
    assert any(line.startswith("Success rates carry a 95% Wilson score interval") for line in lines)
    # Per category: mid solved 0 of its 2 "writes" episodes and 1 of 1 "filtering".
    assert "| mid | 100.0% [20.7, 100.0] (1/1) | 0.0% [0.0, 65.8] (0/2) |" in lines
    assert "| Agent | filtering | writes |" in lines
    # Per scenario: successes/episodes and mean reward; an agent that never ran it gets a dash.
    assert "| attio.c | writes | 1/1 (1.00) | – | 0/1 (0.25) | – |" in lines
    assert "| zeta | step_limit | 1 |" in lines
    assert "| mid | state_check_failed: x | 1 |" in lines
    # Results of older runs have no category: counted apart, never guessed.
    assert "| (unclassified) | 1 | 1 | 2 | 2 |" in lines
    assert "| failed episodes | 1 | 1 | 2 | 2 |" in lines
    assert "## pass@k and pass^k" not in lines  # one attempt per task: nothing to add


def test_report_header_names_the_env_version():
    results = synthetic()
    text = render_report(results, category_of=CATEGORIES.get)
    version = gym_apibench.ENV_VERSION
    assert text.splitlines()[2] == (
        f"Env version: v{version} (ids `apibench/<scenario-id>-v{version}`)."
    )
    mixed = render_report(
        [*results, replace(results[0], env_version=0)], category_of=CATEGORIES.get
    )
    assert (
        f"Env versions: v0, v{version}. Results of different versions are not comparable." in mixed
    )
    assert "Env version" not in render_report([])


def test_report_without_failures(tmp_path):
    path = write_report(
        [result("oracle", "attio.a", 0, True)], tmp_path / "report.md", category_of=CATEGORIES.get
    )
    text = path.read_text()
    assert "No failures." in text
    assert "| 1 | oracle | 100.0% [20.7, 100.0] | 1/1 |" in text


def test_print_leaderboard_aligned():
    out = io.StringIO()
    print_leaderboard(synthetic(), file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("  ")[0].strip() == "Rank"
    assert [line.split()[1] for line in lines[2:]] == ["alpha", "zeta", "mid", "none"]
    assert "75.0%" in lines[2] and "3/4" in lines[2]
    # Columns line up: every row has the agent at the same offset.
    assert len({line.index(line.split()[1]) for line in lines[2:]}) == 1


def met(*faults: tuple[str, bool]) -> list[dict]:
    """Faults of the given (kind, recovered), one per step."""
    return [
        {"step": step, "rule": f"{kind}-rule", "kind": kind, "recovered": recovered}
        for step, (kind, recovered) in enumerate(faults, 1)
    ]


def test_faults_section_per_agent_and_kind():
    results = [
        replace(result("zeta", "attio.a", 0, True), faults=met(("http_error", True))),
        replace(
            result("zeta", "attio.a", 1, False),
            faults=met(("http_error", False), ("http_error", True), ("latency", False)),
        ),
        replace(result("zeta", "attio.b", 0, True), faults=[]),
        replace(result("alpha", "attio.a", 0, True), faults=met(("latency", True))),
        result("alpha", "attio.b", 0, True),
    ]
    assert faults_markdown(results).splitlines()[:5] == [
        "| Agent | Kind | Episodes | Faults | Recovered | Success |",
        "|---|---|---|---|---|---|",
        "| alpha | latency | 1 | 1 | 100.0% (1/1) | 100.0% [20.7, 100.0] (1/1) |",
        "| zeta | http_error | 2 | 3 | 66.7% (2/3) | 50.0% [9.5, 90.5] (1/2) |",
        "| zeta | latency | 1 | 1 | 0.0% (0/1) | 0.0% [0.0, 79.3] (0/1) |",
    ]
    text = render_report(results, category_of=CATEGORIES.get)
    assert text.splitlines()[-1].startswith("A fault counts as recovered when a later request")
    assert [line for line in text.splitlines() if line.startswith("## ")][-2:] == [
        "## Failures",
        "## Faults",
    ]


def test_no_faults_section_without_faults():
    assert faults_markdown(synthetic()) is None
    assert "## Faults" not in render_report(synthetic(), category_of=CATEGORIES.get)


def test_faults_section_from_a_real_episode():
    """The oracle under a fail-first rule meets it once and retries past it."""
    scenario = next(
        s
        for s in gym_apibench.scenario_ids()
        if s.startswith("attio.") and not get_scenario(s).faults
    )
    rule = {"name": "first-503", "kind": "http_error", "when": {"first": 1}}
    episode = run_episode("oracle", scenario, 0, [rule])
    assert [(f["step"], f["rule"], f["kind"]) for f in episode.faults] == [
        (1, "first-503", "http_error")
    ]
    recovered = episode.faults[0]["recovered"]
    row = faults_markdown([episode]).splitlines()[2]
    rate = "100.0% (1/1)" if recovered else "0.0% (0/1)"
    success = "100.0% [20.7, 100.0] (1/1)" if episode.success else "0.0% [0.0, 79.3] (0/1)"
    assert row == f"| oracle | http_error | 1 | 1 | {rate} | {success} |"


def test_pass_at_k_and_pass_hat_k_estimators():
    # n=5 attempts, c=2 successes: pass@1 = 0.4; pass@2 = 1 - C(3,2)/C(5,2) = 0.7, which is the
    # numerically stable form of Chen et al.: 1 - (1 - 2/4)(1 - 2/5); pass^2 = C(2,2)/C(5,2).
    assert pass_at_k(5, 2, 1) == pytest.approx(0.4)
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - (1 - 2 / 4) * (1 - 2 / 5))
    assert pass_hat_k(5, 2, 2) == pytest.approx(0.1)
    assert pass_hat_k(5, 2, 3) == 0.0
    assert pass_at_k(5, 0, 5) == 0.0 and pass_at_k(5, 1, 5) == 1.0
    assert pass_hat_k(3, 3, 3) == 1.0
    with pytest.raises(ValueError, match="1 <= k <= n"):
        pass_at_k(2, 1, 3)


def attempts(agent: str, scenario: str, seed: int, outcomes: str) -> list[EpisodeResult]:
    """One result per character of ``outcomes`` (``"s"`` success, ``"f"`` failure)."""
    return [
        replace(result(agent, scenario, seed, o == "s"), attempt=i) for i, o in enumerate(outcomes)
    ]


def test_pass_k_section_with_attempts():
    results = [
        *attempts("alpha", "attio.a", 0, "ssf"),  # pass@2 = 1, pass^2 = 1/3
        *attempts("alpha", "attio.b", 0, "fff"),
        *attempts("zeta", "attio.a", 0, "sss"),
        *attempts("zeta", "attio.b", 0, "sfs"),
    ]
    text = render_report(results, category_of=CATEGORIES.get).splitlines()
    at = text.index("## pass@k and pass^k")
    assert text[at + 2] == (
        "| Agent | Tasks | Attempts | pass@1 | pass@2 | pass@3 | pass^1 | pass^2 | pass^3 |"
    )
    assert text[at + 4] == "| zeta | 2 | 3 | 0.833 | 1.000 | 1.000 | 0.833 | 0.667 | 0.500 |"
    assert text[at + 5] == "| alpha | 2 | 3 | 0.333 | 0.500 | 0.500 | 0.333 | 0.167 | 0.000 |"


def test_taxonomy_table_counts_per_agent_and_category():
    results = [
        replace(result("a", "attio.a", 0, False), failure_category="incomplete_pagination"),
        replace(result("a", "attio.a", 1, False), failure_category="incomplete_pagination"),
        replace(result("a", "attio.b", 0, False), failure_category="auth_error"),
        replace(result("b", "attio.a", 0, False), failure_category="no_answer"),
        result("b", "attio.b", 0, True),
    ]
    table = taxonomy_table(results, ["a", "b"])
    assert table.header == ["Category", "a", "b"]
    # Rows follow the precedence order, and only categories that occur.
    assert [list(row) for row in table.rows] == [
        ["auth error", "1", "0"],
        ["incomplete pagination", "2", "0"],
        ["no answer", "0", "1"],
        ["failed episodes", "3", "1"],
    ]
    assert taxonomy_table([result("a", "attio.a", 0, True)], ["a"]) is None


def test_an_agents_own_name_shows_beside_its_spec(tmp_path, monkeypatch):
    """A ``module:factory`` agent that names itself shows its name in the leaderboard (its
    spec stays the key: resumes and other tables use it)."""
    import json

    from gym_apibench.report import leaderboard

    (tmp_path / "named_agent_for_test.py").write_text(
        "class Named:\n"
        "    name = 'react-gpt'\n"
        "    def reset(self, task, *, seed): pass\n"
        "    def act(self, observation): return {'submit': None}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    named = run_episode("named_agent_for_test:Named", "stripe.all-customers", 0)
    plain = run_episode("noop", "stripe.all-customers", 0)
    assert named.agent_name == "react-gpt" and plain.agent_name is None
    assert EpisodeResult.from_dict(json.loads(named.to_json())) == named
    cells = {row.agent: row.cells()[1] for row in leaderboard([named, plain])}
    assert cells == {
        "named_agent_for_test:Named": "react-gpt (named_agent_for_test:Named)",
        "noop": "noop",
    }


def test_paired_comparisons_of_agents_on_shared_episodes():
    """alpha and zeta share attio.a seeds 0-1 and attio.b seed 0: both succeeded on a/0 and
    b/0, only zeta on a/1, so alpha trails by one episode in three (-33.3 pp); one
    discordant pair gives McNemar's p = 1. mid and none share a/0 and b/0: only mid on a/0."""
    text = render_report(synthetic(), category_of=CATEGORIES.get)
    lines = text.splitlines()
    assert (
        "| First | Second | Paired | Both | Only first | Only second | Difference "
        "| p (McNemar) | Verdict |"
    ) in lines
    assert "| alpha | zeta | 3 | 2 | 0 | 1 | -33.3 pp | 1.0000 | not significant |" in lines
    assert "| mid | none | 2 | 0 | 1 | 0 | +50.0 pp | 1.0000 | not significant |" in lines
    # Four agents: every pair, the better-ranked first.
    rows = [line for line in lines if line.startswith("| ") and " pp | " in line]
    assert [tuple(row.split(" | ")[:2]) for row in rows] == [
        ("| alpha", "zeta"),
        ("| alpha", "mid"),
        ("| alpha", "none"),
        ("| zeta", "mid"),
        ("| zeta", "none"),
        ("| mid", "none"),
    ]


def test_one_agent_or_no_shared_episode_has_no_paired_section():
    alone = [result("oracle", "attio.a", 0, True), result("oracle", "attio.b", 0, False)]
    apart = [result("oracle", "attio.a", 0, True), result("noop", "attio.b", 0, False)]
    for results in (alone, apart):
        assert "## Paired comparisons" not in render_report(results, category_of=CATEGORIES.get)


def test_a_clearly_better_agent_is_significant_and_identical_ones_are_not():
    """Ten scenarios by three seeds: ``good`` succeeds on all 30, ``bad`` on the first seed
    only, ``twin`` exactly as ``good``. Twenty discordant pairs all one way: p = 2 / 2**20."""
    results = [
        result(agent, f"attio.s{i}", seed, agent != "bad" or seed == 0)
        for agent in ("good", "twin", "bad")
        for i in range(10)
        for seed in range(3)
    ]
    lines = render_report(results, category_of=lambda _: "x").splitlines()
    assert "| good | twin | 30 | 30 | 0 | 0 | +0.0 pp | 1.0000 | not significant |" in lines
    assert "| good | bad | 30 | 10 | 20 | 0 | +66.7 pp | < 0.0001 | significant at 5% |" in lines


def test_achievable_episodes_beside_the_robust_reference():
    """robust marks seed 3 impossible (a budget) and succeeds on seeds 0-2; no-retry succeeds
    on seed 0 and, out of luck, on the impossible seed 3; oracle on seeds 0 and 1."""

    def played(agent: str, seed: int, success: bool, impossible: str | None = None):
        stats = {"impossible": impossible} if impossible else None
        return replace(result(agent, "attio.a", seed, success), agent_stats=stats)

    results = [
        *(played("robust", seed, True) for seed in range(3)),
        played("robust", 3, False, "budget: 4 of the 5 steps went to retries"),
        *(played("no-retry", seed, seed in (0, 3)) for seed in range(4)),
        *(played("oracle", seed, seed < 2) for seed in range(4)),
    ]
    lines = render_report(results, category_of=CATEGORIES.get).splitlines()
    start = lines.index("## Achievable episodes")
    # Achievable: seeds 0-2. robust 3/3; no-retry 1/3 (its seed-3 luck left out); oracle 2/3.
    # Rows in leaderboard order: no-retry and oracle tie at 2/4 overall, by name.
    assert lines[start + 2 : start + 7] == [
        "| Agent | Achievable episodes | Success on them [95% CI] | Relative to robust |",
        "|---|---|---|---|",
        "| robust | 3 | 100.0% [43.9, 100.0] (3/3) | 100.0% |",
        "| no-retry | 3 | 33.3% [6.1, 79.2] (1/3) | 33.3% |",
        "| oracle | 3 | 66.7% [20.8, 93.9] (2/3) | 66.7% |",
    ]
    assert "marked 1 of its 4 impossible under their faults (budget 1)" in lines[start + 8]
    # Without the marking reference, or with it alone, no such section.
    others = [r for r in results if r.agent != "robust"]
    alone = [r for r in results if r.agent == "robust"]
    for subset in (others, alone):
        assert "## Achievable episodes" not in render_report(subset, category_of=CATEGORIES.get)
