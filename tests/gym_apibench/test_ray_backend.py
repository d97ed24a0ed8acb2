"""``apibench eval --backend ray`` on a small local Ray instance: the same results as local."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.har import read_har
from gym_apibench.harness import EvalError, evaluate

ray = pytest.importorskip("ray")

# Cheap scenarios, from three services.
SCENARIOS = ["brewery.count-in-state", "openalex.year-total", "attio.record-by-id"]
TIMINGS = {"elapsed_s"}


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A 2-CPU local Ray instance for the module (the harness reuses a connection it finds)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def untimed(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in TIMINGS} for row in rows]


def test_scenarios_exist():
    assert set(SCENARIOS) <= set(gym_apibench.scenario_ids())


def test_ray_gives_the_local_results_and_resumes(local_ray, tmp_path):
    argv = ["eval", "--agent", "oracle,noop", "--scenarios", ",".join(SCENARIOS)]
    argv += ["--seeds", "0-1", "--no-progress"]
    assert main([*argv, "--workers", "2", "--out", str(tmp_path / "local")]) == 0
    assert main([*argv, "--backend", "ray", "--out", str(tmp_path / "ray")]) == 0
    local = lines(tmp_path / "local" / "results.jsonl")
    on_ray = lines(tmp_path / "ray" / "results.jsonl")
    assert len(on_ray) == 2 * 3 * 2
    assert untimed(on_ray) == untimed(local)
    assert [r["success"] for r in on_ray] == [True] * 6 + [False] * 6

    # the traces came back from the tasks to the run directory, the same files as local
    traces = sorted(p.relative_to(tmp_path / "ray") for p in (tmp_path / "ray").rglob("*.har"))
    assert traces == sorted(
        p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*.har")
    )
    har = read_har(tmp_path / "ray" / traces[0])
    assert har["log"]["_apibench"]["scenario"] in SCENARIOS

    # resuming: a cut file gets its missing episodes back, the kept ones untouched
    results = tmp_path / "ray" / "results.jsonl"
    kept = results.read_text().splitlines()[:5]
    results.write_text("\n".join(kept) + "\n" + kept[5 - 1][:20])  # and a partial line
    assert main([*argv, "--backend", "ray", "--out", str(tmp_path / "ray")]) == 0
    again = results.read_text().splitlines()
    assert again[:5] == kept
    assert untimed([json.loads(line) for line in again]) == untimed(local)
    report = (tmp_path / "ray" / "report.md").read_text()
    assert "- **backend**: ray" in report


def test_ray_runs_with_faults_and_in_flight_limit(local_ray, tmp_path):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {name: first-503, kind: http_error, when: {first: 1}}\n")
    common = dict(faults=faults, progress=False, trace=False)
    local = evaluate(["oracle"], SCENARIOS[:2], [3], out_dir=tmp_path / "l", **common)
    on_ray = evaluate(["oracle"], SCENARIOS[:2], [3], 1, tmp_path / "r", backend="ray", **common)
    assert [r.faults for r in on_ray] == [r.faults for r in local]
    assert any(f["rule"] == "first-503" for r in on_ray for f in r.faults)
    assert not (tmp_path / "r" / "traces").exists()


def test_missing_ray_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(EvalError, match=r"pip install 'apibench\[ray\]'"):
        evaluate(["noop"], SCENARIOS[:1], [0], out_dir=tmp_path, backend="ray", progress=False)
    assert not (tmp_path / "results.jsonl").exists()
