"""A run names the fault rules it was given that matched no request: such a rule never
fired, and the run went without the faults the user asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gym_apibench.cli import main
from gym_apibench.results import EpisodeResult, unmatched_rules

SCENARIO = "stripe.all-customers"
RULES = """\
- name: on-customers
  kind: http_error
  params: {status: 503}
  where: {service: stripe, path: /v1/customers}
  when: {first: 1}
- name: on-products
  kind: http_error
  params: {status: 503}
  where: {service: stripe, path: /v1/products}
"""


def results_of(folder: Path) -> list[EpisodeResult]:
    lines = (folder / "results.jsonl").read_text().splitlines()
    return [EpisodeResult.from_dict(json.loads(line)) for line in lines]


def test_eval_names_the_rule_that_never_matched(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    faults = tmp_path / "faults.yaml"
    faults.write_text(RULES)
    out = tmp_path / "run"
    grid = ["--agent", "oracle", "--scenarios", SCENARIO, "--seeds", "0-1", "--no-trace"]
    assert main(["eval", *grid, "--faults", str(faults), "--out", str(out), "--no-progress"]) == 0
    results = results_of(out)
    assert all(r.rule_matches and r.rule_matches["on-customers"] > 0 for r in results)
    assert all(r.rule_matches and r.rule_matches["on-products"] == 0 for r in results)
    assert unmatched_rules(results) == ["on-products"]
    err = capsys.readouterr().err
    assert (
        "warning: Fault rules that matched no request in this run, so never fired: on-products"
        in err
    )
    report = (out / "report.md").read_text()
    assert "## Fault rules that never fired" in report and "on-products" in report


def test_no_note_without_added_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "run"
    grid = ["--agent", "noop", "--scenarios", SCENARIO, "--seeds", "0", "--no-trace"]
    assert main(["eval", *grid, "--out", str(out), "--no-progress"]) == 0
    assert results_of(out)[0].rule_matches is None
    assert "never fired" not in capsys.readouterr().err
    assert "never fired" not in (out / "report.md").read_text()


def test_a_sweep_names_it_too(tmp_path: Path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(RULES)
    out = tmp_path / "sweep"
    grid = ["--agent", "oracle", "--scenarios", SCENARIO, "--seeds", "0", "--doses", "0,0.5"]
    code = main(
        ["sweep", *grid, "--fault-profile", str(profile), "--out", str(out), "--no-progress"]
    )
    assert code == 0
    sweep = (out / "sweep.md").read_text()
    assert "## Fault rules that never fired" in sweep and "on-products" in sweep
    assert "on-customers" not in sweep.split("## Fault rules that never fired")[1].split("##")[0]
