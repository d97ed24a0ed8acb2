"""The sweep's ceiling: the reference's achievable episodes per dose, agents' success on them,
recovery per fault kind, and the intervals in sweep.md and on the plot."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import gym_apibench
from gym_apibench.ceiling import (
    Ceiling,
    DoseCeiling,
    KindRecovery,
    RelativePoint,
    fault_label,
    kind_recovery,
    marked_impossible,
    reference_agent,
)
from gym_apibench.cli import main
from gym_apibench.harness import EpisodeResult
from gym_apibench.stats import wilson_interval
from gym_apibench.sweep import render_sweep, rule_statuses, sweep_points
from mockapis.faults import load_rules

SVG = "{http://www.w3.org/2000/svg}"
DROP = {"step": 1, "rule": "lost-write", "kind": "commit_then_drop", "recovered": True}
DOWN = {"step": 1, "rule": "unavailable", "kind": "http_error", "recovered": True}
GATEWAY = {"step": 2, "rule": "bad-gateway", "kind": "http_error", "recovered": False}


def result(agent, seed, dose, success, faults=(), impossible=None, scenario="s.a"):
    stats = None if impossible is None else {"impossible": impossible}
    return EpisodeResult(
        scenario,
        seed,
        agent,
        float(success),
        success,
        3,
        faults=list(faults),
        dose=dose,
        agent_stats=stats,
    )


def crafted() -> list[EpisodeResult]:
    """Four seeds at doses 0 and 0.3: the robust reference wins all but seed 3 at 0.3, which
    it marks impossible; agent ``a`` fails seeds 1 and 2 at 0.3 and wins seed 3 there."""
    ref = [result("robust", seed, 0.0, True) for seed in range(4)]
    ref += [
        result("robust", 0, 0.3, True, [DOWN]),
        result("robust", 1, 0.3, True, [DOWN, GATEWAY]),
        result("robust", 2, 0.3, True, [DROP]),
        result("robust", 3, 0.3, False, [DOWN], impossible="outage: 503 never cleared"),
    ]
    agent = [result("a", seed, 0.0, True) for seed in range(4)]
    agent += [
        result("a", 0, 0.3, True, [DOWN]),
        result("a", 1, 0.3, False, [DOWN, GATEWAY]),
        result("a", 2, 0.3, False, [DROP]),
        result("a", 3, 0.3, True, [DOWN]),
    ]
    return agent + ref


def test_the_reference_is_robust_where_it_exists_else_the_oracle():
    assert reference_agent(["oracle", "robust", "noop"]) == "robust"
    assert reference_agent(["oracle", "noop"]) == "oracle"
    assert reference_agent() in ("robust", "oracle")


def test_marks_leave_impossible_episodes_out_of_the_achievable():
    results = crafted()
    assert marked_impossible(results[-1]) == "outage: 503 never cleared"
    assert marked_impossible(results[0]) is None
    ceiling = Ceiling.of(results, "robust")
    assert ceiling.marked and ceiling.excluded == {("s.a", 3, 0.3, 0)}
    assert ceiling.per_dose(results, [0.3, 0.0]) == [
        DoseCeiling(0.0, 4, 4, 4),
        DoseCeiling(0.3, 4, 3, 3),
    ]
    assert ceiling.per_dose(results, [0.3])[0].excluded == 1
    assert ceiling.relative(results, ["a", "robust"], [0.0, 0.3]) == [
        RelativePoint("a", 0.0, 4, 4, 0),
        RelativePoint("a", 0.3, 1, 3, 1),  # seed 3 won though marked impossible: beyond
        RelativePoint("robust", 0.0, 4, 4, 0),
        RelativePoint("robust", 0.3, 3, 3, 0),
    ]


def test_a_marking_reference_that_fails_unmarked_counts_its_failure():
    results = [result("robust", 0, 0.3, False), result("robust", 1, 0.3, True)]
    ceiling = Ceiling.of(results, "robust")
    assert ceiling.marked and not ceiling.excluded
    assert ceiling.per_dose(results, [0.3]) == [DoseCeiling(0.3, 2, 2, 1)]


def test_without_marks_the_references_failures_are_taken_as_not_achievable():
    results = [
        result("oracle" if r.agent == "robust" else r.agent, r.seed, r.dose, r.success, r.faults)
        for r in crafted()
    ]
    ceiling = Ceiling.of(results, "oracle")
    assert not ceiling.marked and ceiling.excluded == {("s.a", 3, 0.3, 0)}
    assert ceiling.relative(results, ["oracle"], [0.3]) == [RelativePoint("oracle", 0.3, 3, 3, 0)]
    points = sweep_points(results, ["a", "oracle"], [0.0, 0.3])
    text = render_sweep(points, results, {}, reference="oracle")
    assert "oracle does not mark impossible episodes, so its failures are taken" in text


def test_kind_recovery_counts_episodes_hit_and_won():
    results = crafted()
    statuses = {"unavailable": 503, "bad-gateway": 502, "lost-write": None}
    assert fault_label(DOWN, statuses) == "http_error 503"
    assert fault_label(DROP, statuses) == "commit_then_drop"
    own = {"step": 1, "rule": "scenario-outage", "kind": "http_error", "recovered": None}
    assert fault_label(own, statuses) == "http_error (scenario's own)"
    assert fault_label(own, {}) == "http_error"  # no profile known: kinds alone
    rows = kind_recovery(results, ["robust", "a"], statuses)
    assert rows == [
        KindRecovery("robust", "commit_then_drop", 1, 1),
        KindRecovery("a", "commit_then_drop", 1, 0),
        KindRecovery("robust", "http_error 502", 1, 1),
        KindRecovery("a", "http_error 502", 1, 0),
        KindRecovery("robust", "http_error 503", 3, 2),
        KindRecovery("a", "http_error 503", 3, 2),
    ]
    impossible = Ceiling.of(results, "robust").excluded
    left = kind_recovery(results, ["robust", "a"], statuses, impossible)
    assert [r for r in left if r.kind == "http_error 503"] == [
        KindRecovery("robust", "http_error 503", 2, 2),
        KindRecovery("a", "http_error 503", 2, 1),
    ]


def test_sweep_md_shows_intervals_the_ceiling_and_kinds():
    results = crafted()
    points = sweep_points(results, ["a", "robust"], [0.0, 0.3])
    statuses = {"unavailable": 503, "bad-gateway": 502, "lost-write": None}
    text = render_sweep(points, results, {}, agents=["a"], reference="robust", statuses=statuses)

    def cell(k, n):
        low, high = wilson_interval(k, n)
        return f"{100 * k / n:.1f}% [{100 * low:.1f}, {100 * high:.1f}] ({k}/{n})"

    assert f"| a | {cell(4, 4)} | {cell(2, 4)} |" in text
    assert "| achievable (robust) | 100.0% (4/4; 0 left out) | 75.0% (3/4; 1 left out) |" in text
    # Seed 3 at 0.3 is left out of a's achievable episodes, and its win there noted.
    assert f"| a | {cell(4, 4)} | {cell(1, 3)}, +1 not achievable |" in text
    assert "The reference is robust (run by the sweep)" in text
    assert "episodes robust marked impossible" in text
    # Columns a, robust; the impossible episode is left out of the kinds too (503: 2, not 3).
    assert "| Fault kind | a | robust |" in text
    assert f"| http_error 503 | {cell(1, 2)} | {cell(2, 2)} |" in text
    assert f"| http_error 502 | {cell(0, 1)} | {cell(1, 1)} |" in text
    assert f"| commit_then_drop | {cell(0, 1)} | {cell(1, 1)} |" in text


def test_rule_statuses_of_the_flaky_profile():
    from gym_apibench.sweep import resolve_profile

    rules = load_rules(resolve_profile("flaky"))
    statuses = rule_statuses(rules)
    assert statuses.keys() == {r.name for r in rules}
    assert {statuses[r.name] for r in rules if r.kind.name == "http_error"} >= {502, 503}
    assert {statuses[r.name] for r in rules if r.kind.name != "http_error"} == {None}


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    scenarios = [s for s in gym_apibench.scenario_ids() if s.startswith("attio.")][:2]
    out = tmp_path_factory.mktemp("ceiling")
    argv = ["sweep", "--agent", "no-retry", "--scenarios", ",".join(scenarios)]
    argv += ["--fault-profile", "flaky", "--doses", "0,0.3", "--seeds", "0-1"]
    argv += ["--workers", "1", "--no-progress", "--out", str(out)]
    assert main(argv) == 0
    return out


def test_a_real_sweep_runs_the_reference_and_shows_its_ceiling(small_sweep, capsys):
    reference = reference_agent()
    text = (small_sweep / "sweep.md").read_text()
    assert f"- **reference**: {reference} (run by the sweep)" in text
    assert "## Against the reference (the ceiling)" in text
    assert f"| achievable ({reference}) |" in text
    assert "left out) |" in text and "| no-retry | " in text
    assert "## Recovery by fault kind" in text
    root = ET.parse(small_sweep / "sweep.svg").getroot()
    ids = {e.get("id") for e in root.iter(f"{SVG}g")}
    assert {"interval-no-retry", f"interval-{reference}", "ceiling"} <= ids
