"""``apibench report A B``: two runs compared episode by episode, with a significance verdict."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.manifest import FaultsFile, RunManifest
from gym_apibench.results import EpisodeResult
from gym_apibench.runs import paired_runs, settings_differences

# Two scenarios of different families, so that the runs are not one API's quirks.
SCENARIOS = [
    next(s for s in gym_apibench.scenario_ids() if s.startswith(f"{family}."))
    for family in ("attio", "stripe")
]
SEEDS = "0-2"


def eval_run(out, agent: str, *extra: str) -> dict[tuple[str, int, int], bool]:
    """Run ``agent`` on SCENARIOS x SEEDS into ``out``; its success by (scenario, seed, attempt)."""
    argv = ["eval", "--agent", agent, "--scenarios", ",".join(SCENARIOS), "--seeds", SEEDS]
    assert main([*argv, "--no-progress", "--no-trace", "--out", str(out), *extra]) == 0
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return {(r["scenario"], r["seed"], r["attempt"]): r["success"] for r in rows}


def table_row(stdout: str, first: str, second: str | None = None) -> list[str]:
    """The comparison row whose first column is ``first`` (and second ``second``, if given),
    split on runs of spaces."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in stdout.splitlines()]
    [row] = [r for r in rows if r[0] == first and second in (None, r[1] if r[1:] else None)]
    return row


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    oracle = eval_run(root / "oracle", "oracle")
    noop = eval_run(root / "noop", "noop")
    shutil.copytree(root / "oracle", root / "again")
    return root, oracle, noop


def test_report_a_b_pairs_two_runs_and_says_the_difference_is_significant(runs, capsys):
    root, oracle, noop = runs
    capsys.readouterr()
    assert main(["report", str(root / "oracle"), str(root / "noop")]) == 0
    out = capsys.readouterr().out
    assert "Paired comparison, oracle against noop:" in out
    assert "settings differ" not in out  # same env, no faults file: only the agents differ
    keys = oracle.keys() & noop.keys()
    assert len(keys) == 6
    only_oracle = sum(oracle[k] and not noop[k] for k in keys)
    only_noop = sum(noop[k] and not oracle[k] for k in keys)
    both = sum(oracle[k] and noop[k] for k in keys)
    # The reference solves every episode and a no-op none: six discordant pairs, all one way,
    # so the exact McNemar p is 2 / 2**6 = 0.03125.
    assert (only_oracle, only_noop, both) == (6, 0, 0)
    row = table_row(out, "oracle [oracle]")
    assert row == [
        "oracle [oracle]",
        "noop [noop]",
        "6",
        "0",
        "6",
        "0",
        "+100.0 pp",
        "0.0312",
        "significant at 5%",
    ]
    assert "none written" in out  # two runs without --out: printed, no combined report


def test_report_a_b_of_identical_runs_is_not_significant(runs, capsys):
    root, oracle, _ = runs
    out_dir = root / "combined"
    capsys.readouterr()
    assert main(["report", str(root / "oracle"), str(root / "again"), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    row = table_row(out, "oracle [oracle]")
    both = str(sum(oracle.values()))
    assert row[1:] == [
        "oracle [again]",
        "6",
        both,
        "0",
        "0",
        "+0.0 pp",
        "1.0000",
        "not significant",
    ]
    # The combined report holds the same comparison, and says the settings are the same.
    md = (out_dir / "report.md").read_text()
    assert "- **settings**: the same" in md
    assert "| oracle [again] | oracle [oracle] | 6 |" in md  # a tie ranks by name


def test_runs_with_other_faults_are_compared_and_flagged(runs, tmp_path, capsys):
    root, _, _ = runs
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {name: first-503, kind: http_error, when: {first: 1}}\n")
    eval_run(tmp_path / "faulty", "oracle", "--faults", str(faults))
    capsys.readouterr()
    assert main(["report", str(root / "oracle"), str(tmp_path / "faulty")]) == 0
    out = capsys.readouterr().out
    assert "settings differ: faults: oracle none, faulty " in out
    assert "from the settings as well as the agents" in out
    row = table_row(out, "oracle [oracle]", "oracle [faulty]")
    assert row[:3] == ["oracle [oracle]", "oracle [faulty]", "6"]
    # The faulty run played the fault-robust reference beside oracle; it is compared too.
    assert table_row(out, "oracle [oracle]", "robust [faulty]")[2] == "6"


def result(agent: str, scenario: str, seed: int, success: bool) -> EpisodeResult:
    return EpisodeResult(scenario, seed, agent, float(success), success, 1)


def write_run(folder, results) -> None:
    folder.mkdir()
    (folder / "results.jsonl").write_text("".join(r.to_json() + "\n" for r in results))


def test_runs_of_other_env_versions_are_refused(tmp_path, capsys):
    now = [result("oracle", "attio.a", seed, True) for seed in range(3)]
    write_run(tmp_path / "new", now)
    write_run(tmp_path / "old", [replace(r, env_version=0) for r in now])
    assert main(["report", str(tmp_path / "new"), str(tmp_path / "old")]) == 2
    captured = capsys.readouterr()
    version = gym_apibench.ENV_VERSION
    assert "not compared" in captured.err and f"new env version v{version}" in captured.err
    assert "p (McNemar)" not in captured.out
    # Without run.json files the settings are unknown, and the comparison says so.
    assert "settings differ: settings of new and old unknown (no run.json)" in captured.out


def test_pairing_in_runs(tmp_path):
    a = [result("x", "attio.a", seed, True) for seed in range(4)]
    a += [result("y", "attio.a", 0, False)]
    b = [result("x", "attio.a", seed, seed % 2 == 0) for seed in range(2, 6)]
    b.append(replace(result("x", "attio.a", 2, True), attempt=1))
    write_run(tmp_path / "a", a)
    write_run(tmp_path / "b", b)
    paired = paired_runs([tmp_path / "a", tmp_path / "b"])
    assert paired.refusal is None
    # x is in both runs (y only in a): seeds 2 and 3 at attempt 0 pair up; a's seeds 0-1 and
    # b's seeds 4-5 and attempt 1 have no partner.
    [pair] = paired.pairs
    assert (pair.first, pair.second) == ("x [a]", "x [b]")
    c = pair.comparison
    assert (c.pairs, c.both, c.only_first, c.only_second) == (2, 1, 1, 0)
    assert (pair.unpaired_first, pair.unpaired_second) == (2, 3)

    # y, the agent only run a has, shares no episode with b's x: no row for it.

    # A sweep adds its reference beside the agent asked for: the agent each run is about is
    # compared too (robust alone in one run; no-retry, beside robust, in the other).
    write_run(tmp_path / "ref", [result("robust", "attio.a", s, True) for s in range(3)])
    swept = [result("robust", "attio.a", s, True) for s in range(3)]
    swept += [result("no-retry", "attio.a", s, s == 0) for s in range(3)]
    write_run(tmp_path / "swept", swept)
    both = paired_runs([tmp_path / "ref", tmp_path / "swept"]).pairs
    assert [(p.first, p.second, p.comparison.only_first) for p in both] == [
        ("robust [ref]", "robust [swept]", 0),
        ("robust [ref]", "no-retry [swept]", 2),
    ]

    # Two agents each, none in common: nothing to pair, and the refusal names them.
    write_run(tmp_path / "c", [result("p", "attio.a", 0, True), result("q", "attio.a", 0, True)])
    refused = paired_runs([tmp_path / "a", tmp_path / "c"])
    assert refused.pairs == [] and refused.refusal is not None
    assert "a: x, y; c: p, q" in refused.refusal
    # One agent each, different: those two are compared.
    write_run(tmp_path / "d", [result("z", "attio.a", seed, False) for seed in range(4)])
    write_run(tmp_path / "e", [result("x", "attio.a", seed, True) for seed in range(4)])
    [cross] = paired_runs([tmp_path / "e", tmp_path / "d"]).pairs
    assert (cross.first, cross.second, cross.comparison.only_first) == ("x [e]", "z [d]", 4)


def manifest(**changes) -> RunManifest:
    base = RunManifest(
        command="eval",
        agents={"llm": {"model": "m1"}, "oracle": {}},
        scenarios=["attio.a"],
        seeds=[0],
        attempts=1,
        apibench_version="1.0",
    )
    return replace(base, **changes)


def test_settings_differences_name_what_changes_a_results_meaning():
    assert settings_differences(manifest(), manifest(seeds=[0, 1, 2]), ("a", "b")) == []
    flaky = FaultsFile("flaky.yaml", "ab" * 32)
    diffs = settings_differences(
        manifest(),
        manifest(
            fault_profile=flaky,
            env_version=gym_apibench.ENV_VERSION + 1,
            agents={"llm": {"model": "m2"}},
        ),
        ("a", "b"),
    )
    assert diffs == [
        f"env version: a v{gym_apibench.ENV_VERSION}, b v{gym_apibench.ENV_VERSION + 1}",
        f"fault profile: a none, b flaky.yaml (sha256 {'ab' * 6})",
        "agent 'llm' model: a 'm1', b 'm2'",
    ]
    assert settings_differences(None, manifest(), ("a", "b")) == [
        "settings of a unknown (no run.json)"
    ]


def test_sweeps_are_also_compared_dose_by_dose(tmp_path):
    """At dose 0 both succeed on all four seeds; at 0.3 a only on seed 0, b on all: b's
    three wins come at 0.3 alone, so the per-dose rows place the difference."""
    a = [replace(result("x", "attio.a", s, True), dose=0.0) for s in range(4)]
    a += [replace(result("x", "attio.a", s, s == 0), dose=0.3) for s in range(4)]
    b = [replace(result("x", "attio.a", s, True), dose=d) for d in (0.0, 0.3) for s in range(4)]
    write_run(tmp_path / "a", a)
    write_run(tmp_path / "b", b)
    pairs = paired_runs([tmp_path / "a", tmp_path / "b"]).pairs
    counts = {p.first: (p.comparison.pairs, p.comparison.only_second) for p in pairs}
    assert counts == {"x [a]": (8, 3), "x [a] at dose 0": (4, 0), "x [a] at dose 0.3": (4, 3)}
    assert pairs[2].second == "x [b] at dose 0.3"
