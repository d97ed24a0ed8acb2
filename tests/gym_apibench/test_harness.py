"""run_episode's failure taxonomy, agent crashes, and reading results."""

from __future__ import annotations

import textwrap

import pytest

import gym_apibench
from gym_apibench.harness import (
    EpisodeResult,
    EvalError,
    load_results,
    resolve_scenarios,
    run_episode,
)
from gym_apibench.scenarios import get_scenario

ATTIO = next(s for s in gym_apibench.scenario_ids() if s.startswith("attio."))

AGENTS = '''
class Looper:
    """Never submits: reads the docs until the step limit."""

    name = "looper"

    def reset(self, task, *, seed):
        self.url = next(iter(task["docs"].values()))

    def act(self, observation):
        return {"method": "GET", "url": self.url}


class Crasher:
    name = "crasher"

    def reset(self, task, *, seed):
        pass

    def act(self, observation):
        raise ZeroDivisionError("boom")
'''


@pytest.fixture
def agents_module(tmp_path, monkeypatch) -> str:
    (tmp_path / "harness_agents_for_test.py").write_text(textwrap.dedent(AGENTS))
    monkeypatch.syspath_prepend(str(tmp_path))
    return "harness_agents_for_test"


def test_oracle_succeeds():
    result = run_episode("oracle", ATTIO, 0)
    assert result.success and result.failure is None and result.reward == 1.0
    assert result.steps >= 2 and result.elapsed_s >= 0


def test_noop_failure_names_what_failed():
    result = run_episode("noop", ATTIO, 0)
    assert not result.success and result.steps == 1
    kinds = {c.name: c.kind for c in get_scenario(ATTIO).checks}
    failed = [c["name"] for c in result.checks if not c["passed"]]
    if any(kinds[name] == "answer" for name in failed):
        assert result.failure.startswith("wrong_answer")
    else:
        assert result.failure.startswith("state_check_failed: ")
        assert all(name in result.failure for name in failed)


def test_step_limit(agents_module):
    result = run_episode(f"{agents_module}:Looper", ATTIO, 0)
    assert result.failure == "step_limit"
    assert result.steps == get_scenario(ATTIO).max_steps
    assert result.reward == 0.0 and not result.success
    assert result.checks  # the state reached is graded for the report


def test_agent_crash_is_recorded(agents_module):
    result = run_episode(f"{agents_module}:Crasher", ATTIO, 0)
    assert result.failure == "agent_error: ZeroDivisionError: boom"
    assert result.steps == 0 and not result.success


def test_resolve_scenarios():
    assert resolve_scenarios(["all"]) == gym_apibench.scenario_ids()
    assert resolve_scenarios(["attio.*", ATTIO]) == [
        s for s in gym_apibench.scenario_ids() if s.startswith("attio.")
    ]
    with pytest.raises(EvalError, match="known ids"):
        resolve_scenarios(["nope*"])


def test_load_results_roundtrip_and_skips_garbage(tmp_path, capsys):
    result = EpisodeResult(ATTIO, 3, "noop", 0.0, False, 1, [], "wrong_answer", 0.01)
    path = tmp_path / "results.jsonl"
    path.write_text(result.to_json() + "\n\n{broken\n" + '{"seed": 1}\n')
    assert load_results(path) == [result]
    err = capsys.readouterr().err
    assert ":3:" in err and ":4:" in err
    assert load_results(tmp_path / "missing.jsonl") == []
