"""The ``apibench`` CLI: list, eval (results, report, resume, parallel) and usage errors."""

from __future__ import annotations

import json
import re

import pytest

import gym_apibench
from gym_apibench.cli import main, parse_seeds

RESULT_KEYS = {
    "attempt",
    "failure_category",
    "scenario",
    "seed",
    "agent",
    "reward",
    "success",
    "steps",
    "checks",
    "failure",
    "elapsed_s",
    "faults",
    "env_version",
}
ATTIO = next(s for s in gym_apibench.scenario_ids() if s.startswith("attio."))


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "FAMILY", "CATEGORY", "SPLIT", "TITLE"]
    assert [line.split()[0] for line in out[1:]] == gym_apibench.scenario_ids()


def test_list_json(capsys):
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == gym_apibench.scenario_ids()
    assert all(set(r) == {"id", "family", "category", "split", "title", "tags"} for r in rows)
    assert all(r["id"].startswith(r["family"] + ".") for r in rows)


def test_eval_writes_results_and_report_and_resumes(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["eval", "--agent", "oracle", "--agent", "noop", "--scenarios", ATTIO]
    argv += ["--seeds", "0-1", "--workers", "2", "--no-progress", "--out", str(out)]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "Success Rate" in stdout and "oracle" in stdout
    # Two episodes where only the oracle succeeded: p = 2 / 2**2, too few to be significant.
    assert "Paired comparisons" in stdout
    assert re.search(
        r"oracle\s+noop\s+2\s+0\s+2\s+0\s+\+100\.0 pp\s+0\.5000\s+not significant", stdout
    )

    results = lines(out / "results.jsonl")
    assert [(r["agent"], r["scenario"], r["seed"]) for r in results] == [
        ("oracle", ATTIO, 0),
        ("oracle", ATTIO, 1),
        ("noop", ATTIO, 0),
        ("noop", ATTIO, 1),
    ]
    assert all(set(r) == RESULT_KEYS for r in results)
    for r in results:
        if r["agent"] == "oracle":
            assert r["success"] is True and r["reward"] == 1.0 and r["failure"] is None
        else:
            assert r["success"] is False and r["steps"] == 1 and r["failure"]
        assert r["checks"] and all(set(c) == {"name", "passed", "detail"} for c in r["checks"])

    report = (out / "report.md").read_text()
    assert "| Rank | Agent | Success Rate [95% CI] | Successful Episodes |" in report
    # 2 of 2: the Wilson interval's lower bound is 1 / (1 + z²/2) = 34.2%
    assert "| 1 | oracle | 100.0% [34.2, 100.0] | 2/2 |" in report
    assert "| 2 | noop | 0.0% [0.0, 65.8] | 0/2 |" in report

    # A second run finds every episode done and adds nothing.
    before = (out / "results.jsonl").read_text()
    assert main(argv) == 0
    assert (out / "results.jsonl").read_text() == before
    assert "- **resumed**: 4" in (out / "report.md").read_text()


def test_eval_resumes_a_partial_run_and_is_worker_independent(tmp_path):
    common = ["--scenarios", ATTIO, "--no-progress", "--workers", "1"]
    partial, full = tmp_path / "partial", tmp_path / "full"
    assert main(["eval", "--agent", "noop", "--seeds", "1", *common, "--out", str(partial)]) == 0
    # A crash mid-write leaves a partial line: it is skipped and the run carries on.
    with (partial / "results.jsonl").open("a") as handle:
        handle.write('{"scenario": "trunc')
    assert main(["eval", "--agent", "noop", "--seeds", "0-2", *common, "--out", str(partial)]) == 0
    assert main(["eval", "--agent", "noop", "--seeds", "0-2", *common, "--out", str(full)]) == 0
    done = lines(partial / "results.jsonl")  # the partial line is gone once the run completes
    assert sorted(r["seed"] for r in done) == [0, 1, 2]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "elapsed_s"} for r in rows]  # noqa: E731
    assert strip(sorted(done, key=lambda r: r["seed"])) == strip(lines(full / "results.jsonl"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenarios", "nomatch.*"], "no scenario matches 'nomatch.*'; known ids: "),
        (["--scenarios", f"{ATTIO},zzz"], "no scenario matches 'zzz'"),
        (["--seeds", "a-b"], "bad seed 'a-b'"),
        (["--seeds", "4-0"], "the end is before the start"),
        (["--seeds", "1,,2"], "empty item in seeds"),
        (["--seeds", "-3"], "bad seed '-3'"),
        (["--agent", "orcale"], "did you mean 'oracle'"),
        (["--workers", "0"], "workers must be at least 1"),
        (["--faults", "/no/such/faults.yaml"], "no such file"),
    ],
)
def test_eval_usage_errors(tmp_path, capsys, args, message):
    argv = ["eval", "--agent", "noop", "--scenarios", ATTIO, "--seeds", "0"]
    argv += ["--no-progress", "--out", str(tmp_path / "out"), *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "usage: apibench eval" in err
    assert not (tmp_path / "out" / "results.jsonl").exists()


def test_faults_file_reaches_the_episodes_and_the_report(tmp_path, capsys):
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {name: first-503, kind: http_error, when: {first: 1}}\n")
    argv = ["eval", "--agent", "oracle", "--scenarios", ATTIO, "--seeds", "0", "--no-progress"]
    assert main([*argv, "--faults", str(faults), "--out", str(tmp_path / "out")]) == 0
    # With faults on, the fault-robust reference plays the same episode beside the agent.
    result, reference = lines(tmp_path / "out" / "results.jsonl")
    assert (result["agent"], reference["agent"]) == ("oracle", "robust")
    for played in (result, reference):
        mine = [f for f in played["faults"] if f["rule"] == "first-503"]  # beside the scenario's
        assert [(f["step"], f["kind"]) for f in mine] == [(1, "http_error")]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Faults" in report and "## Achievable episodes" in report
    assert "- **reference**: robust (run by eval)" in report
    faults.write_text("- {kind: http_eror}\n")
    assert main([*argv, "--faults", str(faults), "--out", str(tmp_path / "bad")]) == 2
    assert "did you mean 'http_error'" in capsys.readouterr().err


def test_glob_error_lists_the_ids(tmp_path, capsys):
    argv = ["eval", "--agent", "noop", "--scenarios", "nomatch", "--out", str(tmp_path)]
    assert main(argv) == 2
    assert ATTIO in capsys.readouterr().err


def test_unknown_command_and_serve_scenario(capsys):
    assert main(["frobnicate"]) == 2
    assert main(["serve", "--scenario", ATTIO + "x"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_parse_seeds():
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4]
    assert parse_seeds("17,101") == [17, 101]
    assert parse_seeds("3, 0-2,3") == [3, 0, 1, 2]
    with pytest.raises(ValueError, match="at most"):
        parse_seeds("0-99999999")


def test_kinds_lists_every_kind_with_its_parameters(capsys):
    from mockapis.faults import KINDS

    assert main(["kinds", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [k["kind"] for k in listed] == sorted(KINDS)
    rate = next(k for k in listed if k["kind"] == "rate_limit")
    assert {p["name"] for p in rate["params"]} == {p.name for p in KINDS["rate_limit"].params}
    assert main(["kinds"]) == 0
    text = capsys.readouterr().out
    assert all(f"{name}" in text for name in KINDS)


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """``apibench list | head -1``: the closed pipe ends the command quietly."""
    import subprocess
    import sys

    with subprocess.Popen(
        [sys.executable, "-m", "gym_apibench.cli", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()  # the reader goes away after its first bytes
        errors = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
