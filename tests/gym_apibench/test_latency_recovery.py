"""A latency fault delays a right response: nothing to recover, so the faults table says
n/a rather than "recovered 0%" beside a success."""

from __future__ import annotations

from gym_apibench.harness import run_episode
from gym_apibench.report import faults_markdown

SCENARIO = "stripe.all-customers"
SLOW_AND_FAILING = [
    {"name": "slow", "kind": "latency", "params": {"seconds": 1.0}, "when": {"first": 2}},
    {
        "name": "down",
        "kind": "http_error",
        "params": {"status": 503, "retry_after": 1},
        "when": {"first": 1},
    },
]


def test_latency_has_nothing_to_recover_and_other_kinds_still_count():
    result = run_episode("oracle", SCENARIO, 2, faults=SLOW_AND_FAILING)
    assert result.success
    by_kind = {f["kind"]: f["recovered"] for f in result.faults}
    assert by_kind == {"latency": None, "http_error": True}
    table = faults_markdown([result])
    assert table is not None
    rows = {
        line.split(" | ")[1]: line for line in table.splitlines() if line.startswith("| oracle")
    }
    assert "| n/a |" in rows["latency"] and "100.0% [20.7, 100.0] (1/1)" in rows["latency"]
    assert "100.0% (1/1) | 100.0% [20.7, 100.0] (1/1)" in rows["http_error"]
