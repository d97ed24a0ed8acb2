"""run_episode's failure taxonomy, agent crashes, the faults met, and reading results."""

from __future__ import annotations

import json
import textwrap

import pytest
import respx

import gym_apibench
from gym_apibench.har import read_har, trace_path
from gym_apibench.harness import (
    EpisodeResult,
    EvalError,
    Job,
    _fault_outcomes,
    agent_seed,
    evaluate,
    load_results,
    plan_jobs,
    resolve_scenarios,
    run_episode,
)
from gym_apibench.scenarios import get_scenario
from mockapis.world import LogEntry

ATTIO = next(s for s in gym_apibench.scenario_ids() if s.startswith("attio."))
# A scenario without faults of its own, so that only the rules a test adds are met.
CLEAN = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("attio.") and not get_scenario(s).faults
)

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


class Counting:
    """Reads the docs twice, then submits; reports its acts and made-up tokens as stats."""

    name = "counting"

    def reset(self, task, *, seed):
        self.url = next(iter(task["docs"].values()))
        self.acts = 0

    def act(self, observation):
        self.acts += 1
        return {"method": "GET", "url": self.url} if self.acts < 3 else {"submit": None}

    def episode_stats(self):
        return {"usage": {"total_tokens": 10 * self.acts}, "acts": self.acts}


class CountingCrasher(Counting):
    def act(self, observation):
        if self.acts == 1:
            raise RuntimeError("model fell over")
        return super().act(observation)


class BadStats(Counting):
    def episode_stats(self):
        raise KeyError("usage")
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
        # noop submits null: the failure and its taxonomy class agree that no answer came.
        assert result.failure.startswith("no_answer")
        assert result.failure_category == "no_answer"
    else:
        assert result.failure.startswith("state_check_failed: ")
        assert all(name in result.failure for name in failed)


def test_step_limit(agents_module):
    result = run_episode(f"{agents_module}:Looper", ATTIO, 0)
    assert result.failure == "step_limit"
    assert result.steps == get_scenario(ATTIO).max_steps
    assert result.reward == 0.0 and not result.success
    assert result.checks  # the state reached is graded (by the env) for the report
    assert all(c["passed"] for c in result.checks if c["name"] == "read-only")


def test_results_record_the_env_version():
    result = run_episode("noop", ATTIO, 0)
    assert result.env_version == gym_apibench.ENV_VERSION
    line = json.loads(result.to_json())
    assert line["env_version"] == gym_apibench.ENV_VERSION
    # Lines written before versions were recorded came from v0.
    del line["env_version"]
    assert EpisodeResult.from_dict(line).env_version == 0
    assert EpisodeResult.from_dict({**line, "env_version": None}).env_version == 0


def test_agent_crash_is_recorded(agents_module):
    result = run_episode(f"{agents_module}:Crasher", ATTIO, 0)
    assert result.failure == "agent_error: ZeroDivisionError: boom"
    assert result.steps == 0 and not result.success


def test_agent_stats_are_recorded_in_the_result_and_the_har(agents_module, tmp_path):
    result = run_episode(f"{agents_module}:Counting", ATTIO, 0, trace_dir=tmp_path)
    assert result.steps == 3
    assert result.agent_stats == {"usage": {"total_tokens": 30}, "acts": 3}
    har = read_har(trace_path(tmp_path, f"{agents_module}:Counting", ATTIO, 0, 0))
    assert har["log"]["_apibench"]["agent_stats"] == result.agent_stats
    line = json.loads(result.to_json())
    assert line["agent_stats"] == result.agent_stats
    assert EpisodeResult.from_dict(line) == result


def test_agent_stats_survive_a_crash_and_a_broken_method(agents_module):
    crashed = run_episode(f"{agents_module}:CountingCrasher", ATTIO, 0)
    assert crashed.failure == "agent_error: RuntimeError: model fell over"
    # the stats as they stood when the agent raised (at its second act)
    assert crashed.steps == 1
    assert crashed.agent_stats == {"usage": {"total_tokens": 10}, "acts": 1}
    broken = run_episode(f"{agents_module}:BadStats", ATTIO, 0)
    assert broken.agent_stats == {"error": "KeyError: 'usage'"}
    assert broken.steps == 3 and broken.failure is not None  # the episode ran as usual
    assert not broken.failure.startswith("agent_error")


def test_agents_without_stats_write_no_stats_key():
    result = run_episode("noop", ATTIO, 0)
    assert result.agent_stats is None
    assert "agent_stats" not in json.loads(result.to_json())
    with pytest.raises(ValueError, match="agent_stats"):
        EpisodeResult.from_dict({**json.loads(result.to_json()), "agent_stats": [1]})


def test_llm_agent_token_usage_reaches_the_result():
    """The model agent against a mocked endpoint (respx): one reply, submitting at once."""
    usage = {"prompt_tokens": 120, "completion_tokens": 7, "total_tokens": 127}
    reply = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "submit", "arguments": '{"answer": 0}'},
                        }
                    ],
                },
            }
        ],
        "usage": usage,
    }
    spec = "llm?model=m&base_url=http://model.test/v1&backoff=0"
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post("http://model.test/v1/chat/completions").respond(200, json=reply)
        result = run_episode(spec, "brewery.count-in-state", 0)
    assert route.call_count == 1 and result.steps == 1
    assert result.failure == "wrong_answer"
    assert result.agent_stats is not None
    assert result.agent_stats["usage"] == {**usage, "calls": 1, "retries": 0}


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


def test_round_trip_with_faults_and_dose(tmp_path):
    fault = {"step": 2, "rule": "r", "kind": "http_error", "recovered": True}
    result = EpisodeResult(ATTIO, 0, "noop", 0.0, False, 3, faults=[fault], dose=0.2)
    path = tmp_path / "results.jsonl"
    path.write_text(result.to_json() + "\n")
    assert load_results(path) == [result]
    assert result.key == ("noop", ATTIO, 0, 0.2, 0)
    # Outside a sweep the line has no dose; an old line without faults still reads.
    plain = json.loads(EpisodeResult(ATTIO, 0, "noop", 0.0, False, 3).to_json())
    assert "dose" not in plain and plain["faults"] == []
    del plain["faults"]
    assert EpisodeResult.from_dict(plain).faults == []


def test_faults_met_and_recovered_in_a_real_episode(agents_module):
    """The looper GETs the docs every step: the first two fail, the third gets a 200."""
    rule = {"name": "flap", "kind": "http_error", "when": {"first": 2}}
    result = run_episode(f"{agents_module}:Looper", CLEAN, 0, [rule])
    assert result.faults == [
        {"step": 1, "rule": "flap", "kind": "http_error", "recovered": True},
        {"step": 2, "rule": "flap", "kind": "http_error", "recovered": True},
    ]


def test_faults_never_recovered_when_every_request_fails(agents_module):
    rule = {"name": "down", "kind": "http_error", "params": {"status": 502, "body": "html"}}
    result = run_episode(f"{agents_module}:Looper", CLEAN, 0, [rule])
    assert [f["step"] for f in result.faults] == list(range(1, result.steps + 1))
    assert not any(f["recovered"] for f in result.faults)
    # With a dose, the rule's probability is the dose: 0 turns it off.
    assert run_episode(f"{agents_module}:Looper", CLEAN, 0, [rule], dose=0.0).faults == []


def test_oracle_meets_no_fault_without_rules():
    assert run_episode("oracle", CLEAN, 0).faults == []


def test_fault_outcomes_match_service_method_and_path():
    def entry(method, path, status, faults=(), service="attio"):
        return LogEntry(0, service, method, path, status, faults)

    hit = (("r", "http_error"),)
    log = [
        entry("GET", "/v2/a", 200),  # step 1: a 2xx before the fault does not count
        entry("GET", "/v2/a", 503, hit),  # step 2
        entry("POST", "/v2/a", 200),  # step 3: another method
        entry("GET", "/v2/b", 200),  # step 4: another path
        entry("GET", "/v2/a", 200, service="other"),  # step 5: another service
        entry("GET", "/v2/b", 0, hit),  # step 6: a transport fault
        entry("GET", "/v2/b", 204),  # step 7: recovers step 6
    ]
    steps = [1, 2, 3, 4, 5, 6, 7]
    met = [
        {"step": 2, "rule": "r", "kind": "http_error"},
        {"step": 6, "rule": "r", "kind": "http_error"},
    ]
    assert [f["recovered"] for f in _fault_outcomes(met, log, steps)] == [False, True]
    assert _fault_outcomes(met, [*log, entry("GET", "/v2/a", 201)], [*steps, 8])[0]["recovered"]


def test_plan_jobs_orders_agent_dose_scenario_seed():
    jobs, ids = plan_jobs(["oracle", "noop"], [ATTIO], [1, 0], doses=[0.5, 0.0])
    assert ids == [ATTIO]
    assert jobs[:4] == [
        ("oracle", ATTIO, 1, 0.5, 0),
        ("oracle", ATTIO, 0, 0.5, 0),
        ("oracle", ATTIO, 1, 0.0, 0),
        ("oracle", ATTIO, 0, 0.0, 0),
    ]
    with pytest.raises(EvalError, match="cannot read the fault file"):
        plan_jobs(["noop"], [ATTIO], [0], faults="/no/such/profile.yaml")


def test_plan_jobs_attempts_come_last_in_the_order():
    jobs, _ = plan_jobs(["noop"], [ATTIO], [3, 1], attempts=2)
    assert jobs == [
        Job("noop", ATTIO, 3, None, 0),
        Job("noop", ATTIO, 3, None, 1),
        Job("noop", ATTIO, 1, None, 0),
        Job("noop", ATTIO, 1, None, 1),
    ]
    with pytest.raises(EvalError, match="attempts must be at least 1"):
        plan_jobs(["noop"], [ATTIO], [0], attempts=0)


def test_agent_seed_per_attempt():
    assert agent_seed(7, 0) == 7  # single-attempt runs are unchanged
    seeds = {agent_seed(7, a) for a in range(5)}
    assert len(seeds) == 5 and agent_seed(7, 3) == agent_seed(7, 3)


SEEDED = '''
class Seeded:
    """Submits the seed it was given: attempts must get different seeds."""

    name = "seeded"

    def reset(self, task, *, seed):
        self.seed = seed

    def act(self, observation):
        return {"submit": self.seed}
'''


def test_attempts_run_with_their_own_agent_seed_and_resume(tmp_path, monkeypatch):
    (tmp_path / "seeded_agents.py").write_text(textwrap.dedent(SEEDED))
    monkeypatch.syspath_prepend(str(tmp_path))
    out = tmp_path / "run"
    agents = ["seeded_agents:Seeded", "oracle"]
    results = evaluate(agents, [CLEAN], [0], 1, out, progress=False, attempts=3)
    assert [(r.agent, r.attempt) for r in results] == [(a, i) for a in agents for i in range(3)]
    oracle = [r for r in results if r.agent == "oracle"]
    assert all(r.success and r.steps == oracle[0].steps for r in oracle)  # identical attempts
    lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [line["attempt"] for line in lines] == [0, 1, 2, 0, 1, 2]
    # Each attempt's agent got its own seed (the trace records what it submitted).
    for attempt in range(3):
        har = read_har(trace_path(out, agents[0], CLEAN, 0, attempt))
        [event] = har["log"]["_apibench"]["events"]
        assert event["type"] == "submit" and event["answer"] == agent_seed(0, attempt)
        assert har["log"]["_apibench"]["attempt"] == attempt
    # Resuming with more attempts runs only the new ones; a line without "attempt" is attempt 0.
    del lines[0]["attempt"]
    (out / "results.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    again = evaluate(agents, [CLEAN], [0], 1, out, progress=False, attempts=4, trace=False)
    assert [r.elapsed_s for r in again if r.attempt < 3] == [r.elapsed_s for r in results]
    assert [(r.agent, r.attempt) for r in again] == [(a, i) for a in agents for i in range(4)]
    assert (out / "report.md").exists() and (out / "report.html").exists()
