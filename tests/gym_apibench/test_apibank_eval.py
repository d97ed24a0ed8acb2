"""The imported API-Bank scenarios through the gym and the harness: the oracle reproduces
every reproducible gold call, a no-op fails, and the report shows API-Bank's metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.apibank.importer import ImportSummary
from gym_apibench.apibank.metrics import level_scores, parse_rouge
from gym_apibench.episode import Episode
from gym_apibench.report import apibank_table, render_report
from gym_apibench.results import EpisodeResult
from gym_apibench.scenarios import HOME_VARIABLE, get_scenario
from mockapis.apibank import search
from tests.gym_apibench import apibank_data

# A subset for speed: every level, writes, tokens, ToolSearcher, random ids, level 3.

# The session import of the shared data, and APIBENCH_HOME pointing at it (fixtures).
apibank_import = apibank_data.apibank_import
apibank_home = apibank_data.apibank_home


def play(episode: Episode, agent: OracleAgent) -> None:
    agent.reset(episode.task, seed=episode.seed)
    observation: dict = {"status": 0, "headers": {}, "body": ""}
    for _ in range(episode.scenario.max_steps):
        action = agent.act(observation)
        if "submit" in action:
            episode.submit(action["submit"])
            return
        observation = episode.request(action)


@pytest.mark.parametrize(
    "scenario_id",
    [
        "api-bank.l1-add-agenda-1",
        pytest.param(
            "api-bank.l2-tool-searcher-0",
            marks=pytest.mark.skipif(
                search.BACKEND != "onnx", reason="ToolSearcher reproduces with ONNX only"
            ),
        ),
        "api-bank.l3-email-reminder-0",
    ],
)
def test_the_oracle_passes_and_doing_nothing_fails(apibank_home: Path, scenario_id: str) -> None:
    for seed in range(3):
        episode = Episode(scenario_id, seed)
        play(episode, OracleAgent())
        grade = episode.grade()
        assert grade.success, grade.checks
        episode.reset()
        episode.submit(None)
        failed = {c["name"] for c in episode.grade().checks if not c["passed"]}
        assert failed == {"api-call"}


def test_a_wrong_call_and_a_collateral_write_fail(apibank_home: Path) -> None:
    episode = Episode("api-bank.l1-add-agenda-1", 0)
    base = episode.task["services"]["apibank"]
    token = "a9s8d7f6g5h4j3k2l1"  # the dialogue's token, from its history
    params = {"token": token, "content": "Something else", "time": "2023-10-26 09:00:00"}
    episode.request({"method": "POST", "url": f"{base}/apis/AddAgenda", "json": params})
    episode.submit("Done.")
    checks = {c["name"]: c for c in episode.grade().checks}
    assert not checks["api-call"]["passed"]
    assert "ROUGE-L F1 " in checks["reply-rouge-l"]["detail"]
    # The right call, after a stray alarm: the call passes, the guard does not.
    episode.reset()
    alarm = {"token": token, "time": "2023-10-26 08:50:00"}
    episode.request({"method": "POST", "url": f"{base}/apis/AddAlarm", "json": alarm})
    play(episode, OracleAgent())
    result = episode.grade()
    checks = {c["name"]: c for c in result.checks}
    assert checks["api-call"]["passed"] and not checks["nothing-else"]["passed"]
    assert result.reward == 0.0


def test_the_reply_is_scored_with_rouge_l(apibank_home: Path) -> None:
    episode = Episode("api-bank.l1-add-agenda-1", 0)
    play(episode, OracleAgent())
    detail = {c["name"]: c["detail"] for c in episode.grade().checks}["reply-rouge-l"]
    assert parse_rouge(detail) == 1.0
    reply = episode.built.expected["reply"]
    episode.submit(" ".join(reply.split()[:4]))
    partial = parse_rouge({c["name"]: c["detail"] for c in episode.grade().checks}["reply-rouge-l"])
    assert partial is not None and 0.0 < partial < 1.0


def _eval(home: Path, out: Path, scenarios: str, *agents: str) -> list[dict]:
    env = {**os.environ, HOME_VARIABLE: str(home)}
    command = [sys.executable, "-m", "gym_apibench.cli", "eval", "--scenarios", scenarios]
    command += ["--seeds", "0", "--out", str(out), "--no-progress", "--no-trace"]
    for agent in agents:
        command += ["--agent", agent]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = (out / "results.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def _assert_oracle_reproduces(apibank_import: ImportSummary, results: list[dict]) -> None:
    oracle = [r for r in results if r["agent"] == "oracle"]
    assert oracle
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(HOME_VARIABLE, str(apibank_import.home))
        from gym_apibench.scenarios import clear_scenarios_cache

        clear_scenarios_cache()
        try:
            reproducible = {
                r["scenario"] for r in oracle if "reproducible" in get_scenario(r["scenario"]).tags
            }
        finally:
            clear_scenarios_cache()
    if search.BACKEND != "onnx":
        # The lexical fallback does not reproduce API-Bank's retrievals (reported as such).
        reproducible = {s for s in reproducible if "-tool-searcher-" not in s}
    failed = [r["scenario"] for r in oracle if r["scenario"] in reproducible and not r["success"]]
    assert not failed
    return None


def test_eval_the_oracle_on_every_call(apibank_import: ImportSummary, tmp_path: Path) -> None:
    """The issue's Done-when: 100% of the reproducible calls, accuracy per level reported
    (about 30 s: not marked slow)."""
    results = _eval(apibank_import.home, tmp_path, "api-bank.*", "oracle")
    assert len(results) == 753
    _assert_oracle_reproduces(apibank_import, results)
    report = (tmp_path / "report.md").read_text()
    assert "## API-Bank" in report and "API-call accuracy" in report
    assert 'id="api-bank"' in (tmp_path / "report.html").read_text()
    if search.BACKEND != "onnx":
        return
    for level, reproducible in ((1, 357), (2, 118), (3, 240)):
        assert f"| oracle | {level} |" in report
        assert f"100.0% ({reproducible}/{reproducible})" in report


def _result(scenario: str, agent: str, passed: bool, rouge: str) -> EpisodeResult:
    checks = [
        {"name": "api-call", "passed": passed, "detail": ""},
        {"name": "reply-rouge-l", "passed": True, "detail": rouge},
    ]
    return EpisodeResult(scenario, 0, agent, float(passed), passed, 2, checks)


def test_level_scores_and_their_table() -> None:
    results = [
        _result(
            "api-bank.l1-a-0", "x", True, "ROUGE-L F1 0.5000 of the reply against the gold reply"
        ),
        _result("api-bank.l1-b-0", "x", False, "no gold reply after this call"),
        _result(
            "api-bank.l2-a-0", "x", False, "ROUGE-L F1 0.2500 of the reply against the gold reply"
        ),
        _result("attio.record-by-id", "x", True, ""),
    ]
    repro = {"api-bank.l1-a-0": True, "api-bank.l1-b-0": False, "api-bank.l2-a-0": True}
    scores = {s.level: s for s in level_scores(results, repro.get)}
    assert sorted(scores) == [0, 1, 2]
    assert (scores[1].correct, scores[1].calls, scores[1].reproducible_correct) == (1, 2, 1)
    assert scores[1].reproducible == 1 and scores[1].rouge == 0.5
    assert scores[0].calls == 3 and scores[0].rouge == pytest.approx(0.375)
    table = apibank_table(results, ["x"], repro.get)
    assert table is not None
    assert table.rows[0] == ["x", "1", "50.0% (1/2)", "100.0% (1/1)", "0.5000 (1)"]
    assert table.rows[-1][1] == "all"
    assert apibank_table(results[3:], ["x"], repro.get) is None
    assert "## API-Bank" not in render_report(results[3:], category_of=lambda _: "c")
