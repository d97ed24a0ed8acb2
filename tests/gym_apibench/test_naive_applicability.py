"""The naive baseline plays only where a scenario defines a naive solution; elsewhere its
episodes are not applicable and no rate counts them (the reference never stands in)."""

from __future__ import annotations

import json

from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.cli import main
from gym_apibench.harness import run_episode
from gym_apibench.report import leaderboard, render_report
from gym_apibench.results import NOT_APPLICABLE, EpisodeResult
from gym_apibench.scenarios import load_scenarios

SCENARIOS = load_scenarios()
WITHOUT = next(sid for sid, s in SCENARIOS.items() if s.naive is None)
WITH = next(sid for sid, s in SCENARIOS.items() if s.naive is not None)


def test_naive_applies_only_where_a_naive_solution_exists():
    naive = OracleAgent(naive=True)
    assert not naive.applies_to(WITHOUT) and naive.applies_to(WITH)
    assert OracleAgent().applies_to(WITHOUT)


def test_an_inapplicable_episode_is_marked_and_not_played():
    result = run_episode("naive", WITHOUT, 3)
    assert (result.applicable, result.failure, result.steps) == (False, NOT_APPLICABLE, 0)
    line = json.loads(result.to_json())
    assert line["applicable"] is False
    assert EpisodeResult.from_dict(line) == result
    played = run_episode("naive", WITH, 3)
    assert played.applicable and played.steps > 0
    assert "applicable" not in json.loads(played.to_json())  # only when false


def test_rates_leave_inapplicable_episodes_out(tmp_path):
    out = tmp_path / "run"
    grid = ["--agent", "naive,oracle", "--scenarios", f"{WITHOUT},{WITH}", "--seeds", "0-1"]
    code = main(["eval", *grid, "--no-trace", "--out", str(out), "--no-progress"])
    assert code == 0
    results = [
        EpisodeResult.from_dict(json.loads(line))
        for line in (out / "results.jsonl").read_text().splitlines()
    ]
    board = {row.agent: (row.successes, row.episodes) for row in leaderboard(results)}
    assert board["oracle"] == (4, 4)
    assert board["naive"][1] == 2  # only its 2 episodes of the scenario with a naive solution
    report = render_report(results)
    assert "Not applicable, left out of every rate: naive, 2 episodes" in report
    assert f"| {WITHOUT} |" in report and "not_applicable" not in report
