"""Debuggable agents: tracebacks in results and HAR (printed once), --retry-failed, --fail-fast."""

from __future__ import annotations

import json
import textwrap

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.har import read_har, trace_path
from gym_apibench.scenarios import get_scenario

CLEAN = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("attio.") and not get_scenario(s).faults
)
AGENTS = '''
import os


class Flaky:
    """Raises in act() while $FLAKY_CRASH is set; else submits nothing."""

    name = "flaky"

    def reset(self, task, *, seed):
        pass

    def act(self, observation):
        if os.environ.get("FLAKY_CRASH"):
            raise RuntimeError(f"boom {os.environ['FLAKY_CRASH']}")
        return {"submit": None}


class Crasher(Flaky):
    """Always raises (worker processes may not see a test's environment)."""

    def act(self, observation):
        raise RuntimeError("boom 1")
'''
FLAKY = "flaky_agents_for_test:Flaky"


@pytest.fixture(autouse=True)
def agents_module(tmp_path, monkeypatch):
    (tmp_path / "flaky_agents_for_test.py").write_text(textwrap.dedent(AGENTS))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)


def argv(out, *extra: str, seeds: str = "0-1", workers: str = "1", agent: str = FLAKY) -> list[str]:
    grid = ["--agent", f"{agent},noop", "--scenarios", CLEAN, "--seeds", seeds]
    return ["eval", *grid, "--workers", workers, "--no-progress", "--out", str(out), *extra]


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_crash_keeps_its_traceback_and_retry_failed_reruns_it(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    monkeypatch.setenv("FLAKY_CRASH", "1")
    assert main(argv(out)) == 0
    first = lines(out / "results.jsonl")
    crashed = [r for r in first if r["agent"] == FLAKY]
    assert [r["failure"] for r in crashed] == ["agent_error: RuntimeError: boom 1"] * 2
    for r in crashed:
        assert r["traceback"].startswith("Traceback (most recent call last):")
        assert "flaky_agents_for_test.py" in r["traceback"] and "in act" in r["traceback"]
        assert r["traceback"].rstrip().endswith("RuntimeError: boom 1")
        har = read_har(trace_path(out, FLAKY, CLEAN, r["seed"], 0))
        assert har["log"]["_apibench"]["traceback"] == r["traceback"]
    assert all("traceback" not in r for r in first if r["agent"] == "noop")
    # The two crashes share their traceback: it is printed once, with a summary.
    err = capsys.readouterr().err
    assert err.count("Traceback (most recent call last)") == 1
    assert "2 agent error(s)" in err and "--retry-failed" in err

    # A plain resume keeps the crashes; --retry-failed runs them (and only them) again.
    monkeypatch.setenv("FLAKY_CRASH", "2")
    assert main(argv(out)) == 0
    assert lines(out / "results.jsonl") == first
    monkeypatch.delenv("FLAKY_CRASH")
    assert main(argv(out, "--retry-failed")) == 0
    again = lines(out / "results.jsonl")
    assert [(r["agent"], r["seed"]) for r in again] == [(r["agent"], r["seed"]) for r in first]
    assert [r for r in again if r["agent"] == "noop"] == [r for r in first if r["agent"] == "noop"]
    retried = [r for r in again if r["agent"] == FLAKY]
    assert all(r["failure"] == "no_answer" and "traceback" not in r for r in retried)
    assert "- **retried**: 2" in (out / "report.md").read_text()
    # Nothing is lost: the replaced lines and traces are kept beside the run.
    assert lines(out / "replaced.jsonl") == crashed
    for r in crashed:
        old = trace_path(out / "replaced", FLAKY, CLEAN, r["seed"], 0).with_suffix(".1.har")
        assert read_har(old)["log"]["_apibench"]["traceback"] == r["traceback"]
    # No agent errors left: a second retry has nothing to do.
    assert main(argv(out, "--retry-failed")) == 0
    assert lines(out / "results.jsonl") == again


@pytest.mark.parametrize("workers", ["1", "2"])
def test_fail_fast_stops_at_the_first_agent_error(tmp_path, capsys, workers):
    out = tmp_path / "run"
    crasher = "flaky_agents_for_test:Crasher"
    assert main(argv(out, "--fail-fast", seeds="0-5", workers=workers, agent=crasher)) == 1
    written = lines(out / "results.jsonl")
    assert 1 <= len(written) <= int(workers) < 12  # not the whole grid
    assert written[0]["failure"] == "agent_error: RuntimeError: boom 1"
    assert written[0]["traceback"]
    err = capsys.readouterr().err
    assert "stopped at the first agent error (--fail-fast)" in err
    assert err.count("Traceback (most recent call last)") == 1
    assert not (out / "report.md").exists()
