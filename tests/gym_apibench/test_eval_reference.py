"""``apibench eval`` plays the fault-robust reference beside the agents when faults are on, so
its reports carry the ceiling (the "Achievable episodes" section) as a sweep's do."""

from __future__ import annotations

import json

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.harness import evaluate
from gym_apibench.scenarios import get_scenario

ATTIO = sorted(s for s in gym_apibench.scenario_ids() if s.startswith("attio."))
CLEAN = next(s for s in ATTIO if not get_scenario(s).faults)
FAULTED = next(s for s in ATTIO if get_scenario(s).faults)


def run(tmp_path, agents, scenario, **kwargs):
    results = evaluate(
        agents,
        [scenario],
        [0, 1],
        workers=1,
        out_dir=tmp_path,
        progress=False,
        trace=False,
        **kwargs,
    )
    return results, (tmp_path / "report.md").read_text()


def agents_of(results) -> list[str]:
    return list(dict.fromkeys(r.agent for r in results))


def test_a_scenario_with_faults_of_its_own_gets_the_reference(tmp_path):
    results, report = run(tmp_path, ["no-retry"], FAULTED)
    assert agents_of(results) == ["no-retry", "robust"]
    pairs = {(r.agent, r.seed) for r in results}
    assert pairs == {(a, s) for a in ("no-retry", "robust") for s in (0, 1)}  # same episodes
    assert "- **reference**: robust (run by eval)" in report
    section = report.split("## Achievable episodes")[1].split("\n## ")[0]
    robust = [r for r in results if r.agent == "robust"]
    impossible = sum(r.agent_stats["impossible"] is not None for r in robust)
    assert f"marked {impossible} of its 2 impossible" in section
    assert "| no-retry |" in section


def test_a_clean_run_has_no_reference_unless_asked(tmp_path):
    results, report = run(tmp_path / "auto", ["noop"], CLEAN)
    assert agents_of(results) == ["noop"]
    assert "- **reference**: none" in report and "## Achievable episodes" not in report
    results, report = run(tmp_path / "asked", ["noop"], CLEAN, reference=True)
    assert agents_of(results) == ["noop", "robust"]
    assert "## Achievable episodes" in report


def test_the_reference_can_be_turned_off(tmp_path):
    results, report = run(tmp_path, ["noop"], FAULTED, reference=False)
    assert agents_of(results) == ["noop"]
    assert "## Achievable episodes" not in report


def test_a_reference_among_the_agents_runs_once(tmp_path):
    results, report = run(tmp_path, ["robust", "noop"], FAULTED)
    assert agents_of(results) == ["robust", "noop"] and len(results) == 4
    assert "- **reference**: robust (one of the agents)" in report


@pytest.mark.parametrize("flag", ["--reference", "--no-reference"])
def test_the_cli_flag_and_the_terminal_ceiling(tmp_path, capsys, flag):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {name: first-503, kind: http_error, when: {first: 1}}\n")
    argv = ["eval", "--agent", "no-retry", "--scenarios", CLEAN, "--seeds", "0", "--faults"]
    argv += [str(faults), "--workers", "1", "--no-progress", "--no-trace", flag]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    lines = (tmp_path / "out" / "results.jsonl").read_text().splitlines()
    agents = [json.loads(line)["agent"] for line in lines]
    if flag == "--reference":
        assert agents == ["no-retry", "robust"]
        assert "Achievable episodes (by the fault-robust reference):" in out
    else:
        assert agents == ["no-retry"]
        assert "Achievable episodes" not in out
