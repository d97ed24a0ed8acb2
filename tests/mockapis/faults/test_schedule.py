"""The schedule: first/every/after/window/probability, counts per rule over matching requests,
priority order, determinism across runs and processes, and the dose of a sweep."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from mockapis.faults import FaultSpecError, load_rules, with_dose
from mockapis.faults.layer import draw
from tests.mockapis.faults.harness import Harness, fake

THING = "/v1/things/thing_1"
OTHER = "/v1/whoami"


def _error_rule(when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"kind": "http_error", "where": {"path": "/v1/things/*"}, "when": when, **extra}


def _statuses(h: Harness, paths: list[str]) -> list[int]:
    return [h.get(path).status for path in paths]


def _hits(when: dict[str, Any], n: int = 12, seed: int = 7) -> list[int]:
    """Indices of the matching requests (all of them here) that the rule hit."""
    h = fake([_error_rule(when)], seed=seed)
    return [i for i, status in enumerate(_statuses(h, [THING] * n)) if status == 503]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ({}, list(range(12))),
        ({"first": 3}, [0, 1, 2]),
        ({"every": 3}, [2, 5, 8, 11]),
        ({"after": 9}, [9, 10, 11]),
        ({"after": 0}, list(range(12))),
        ({"first": 6, "every": 2}, [1, 3, 5]),
        ({"after": 4, "every": 4}, [7, 11]),
    ],
)
def test_counting_conditions_hit_exactly_the_scheduled_requests(when, expected) -> None:
    assert _hits(when) == expected


def test_counts_are_per_rule_and_only_over_matching_requests() -> None:
    h = fake([_error_rule({"every": 2})])
    paths = [THING, OTHER, OTHER, THING, OTHER, THING, THING]
    statuses = _statuses(h, paths)
    # The 2nd and 4th matching requests (paths 3 and 6); the other path never counts.
    assert statuses == [200, 200, 200, 503, 200, 200, 503]
    assert h.hit() == [3, 6]


def test_two_rules_count_independently() -> None:
    h = fake(
        [
            _error_rule({"first": 1}, name="things", params={"status": 502}),
            {"kind": "http_error", "where": {"path": OTHER}, "when": {"after": 1}},
        ]
    )
    statuses = _statuses(h, [OTHER, THING, OTHER, THING])
    assert statuses == [200, 502, 503, 200]


def test_where_method_and_service_filter() -> None:
    h = fake(
        [
            {"kind": "http_error", "where": {"method": "post"}},
            {"kind": "http_error", "where": {"service": "attio"}, "params": {"status": 500}},
        ]
    )
    assert h.get(THING).status == 200
    assert h.post("/v1/things", {"name": "x"}).status == 503


def test_window_is_on_the_virtual_clock_since_the_episode_start() -> None:
    h = fake([_error_rule({"window": [10, 20]})])
    assert h.get(THING).status == 200  # 0.05 s in
    h.world.clock.advance(9.9)  # the next request ticks to 10.0 s
    assert h.get(THING).status == 503
    h.world.clock.advance(9.9)  # 19.95 s: still inside [10, 20)
    assert h.get(THING).status == 503
    assert h.get(THING).status == 200  # 20.0 s: the window is closed at its end


def test_probability_uses_the_seeded_draw_of_each_match() -> None:
    hits = _hits({"probability": 0.3}, n=200)
    expected = [n for n in range(200) if draw(7, "http_error#0", n) < 0.3]
    assert hits == expected
    assert 40 < len(hits) < 80
    assert _hits({"probability": 0.3}, n=200) == hits  # same seed, same schedule
    assert _hits({"probability": 0.3}, n=200, seed=8) != hits
    assert _hits({"probability": 0.0}, n=20) == []
    assert _hits({"probability": 1.0}, n=20) == list(range(20))


def test_a_renamed_rule_has_its_own_draws() -> None:
    h = fake([_error_rule({"probability": 0.5}, name="other")])
    statuses = _statuses(h, [THING] * 100)
    assert [i for i, s in enumerate(statuses) if s == 503] == [
        n for n in range(100) if draw(7, "other", n) < 0.5
    ]


def test_counts_survive_failed_requests_and_reset_with_the_world() -> None:
    h = fake([_error_rule({"every": 2})])
    snapshot = h.world.snapshot()
    assert _statuses(h, [THING, "/v1/things/nope", THING]) == [200, 503, 200]
    h.world.restore(snapshot)
    assert _statuses(h, [THING, THING]) == [200, 503]


def test_worlds_do_not_share_counts() -> None:
    rules = [_error_rule({"first": 1})]
    one, two = fake(rules), fake(rules)
    assert one.get(THING).status == 503
    assert two.get(THING).status == 503
    assert one.get(THING).status == 200


# -- priority --------------------------------------------------------------------------------


def _renames(first: int, second: int) -> list[dict[str, Any]]:
    """Two drifts: ``a`` renames name -> title, ``b`` renames title -> label."""
    drift = {"kind": "schema_drift", "where": {"path": "/v1/things"}}
    return [
        {
            **drift,
            "name": "a",
            "priority": first,
            "params": {"op": "rename", "field": "data.*.name", "to": "title"},
        },
        {
            **drift,
            "name": "b",
            "priority": second,
            "params": {"op": "rename", "field": "data.*.title", "to": "label"},
        },
    ]


def test_higher_priority_runs_outermost() -> None:
    # b outermost: a renames first, then b sees "title" and renames it again.
    h = fake(_renames(0, 5))
    assert set(h.get("/v1/things").json["data"][0]) == {"id", "label", "token", "created_at"}
    assert h.world.log[-1].faults == (("b", "schema_drift"), ("a", "schema_drift"))
    # a outermost: b runs first on the service's reply and finds no "title".
    h = fake(_renames(5, 0))
    assert set(h.get("/v1/things").json["data"][0]) == {"id", "title", "token", "created_at"}
    assert h.world.log[-1].faults == (("a", "schema_drift"),)


def test_equal_priorities_keep_the_declaration_order() -> None:
    h = fake(_renames(1, 1))
    assert "title" in h.get("/v1/things").json["data"][0]


def test_an_outer_answer_stops_the_inner_rules() -> None:
    h = fake(
        [
            _error_rule({}, name="inner", params={"status": 500}),
            _error_rule({"first": 1}, name="outer", params={"status": 502}, priority=1),
        ]
    )
    assert _statuses(h, [THING, THING]) == [502, 500]
    assert [e.faults for e in h.world.log] == [
        (("outer", "http_error"),),
        (("inner", "http_error"),),
    ]


# -- determinism and dose --------------------------------------------------------------------

_SCRIPT = """
import json, sys
from tests.mockapis.faults.harness import fake
from tests.mockapis.faults.test_schedule import PROFILE, THING, _statuses
h = fake(PROFILE, seed=int(sys.argv[1]))
print(json.dumps([_statuses(h, [THING] * 60), [list(e.faults) for e in h.world.log]]))
"""

PROFILE: list[dict[str, Any]] = [
    _error_rule({"probability": 0.2}, name="flaky", params={"status": 502}),
    _error_rule({"every": 7}, name="sevenths"),
    {"kind": "latency", "when": {"probability": 0.5}, "params": {"distribution": "lognormal"}},
]


def _schedule(seed: int) -> list[Any]:
    h = fake(PROFILE, seed=seed)
    result = [_statuses(h, [THING] * 60), [list(e.faults) for e in h.world.log]]
    return list(json.loads(json.dumps(result)))


def test_same_seed_same_schedule_across_processes() -> None:
    here = _schedule(11)
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "11"], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == here
    assert _schedule(12) != here


def test_dose_sets_every_probability() -> None:
    rules = load_rules(PROFILE)
    assert all(r.when.probability == 0.25 for r in with_dose(rules, 0.25))
    assert [r.when.every for r in with_dose(rules, 0.25)] == [r.when.every for r in rules]
    off = fake(with_dose(rules, 0.0))
    assert _statuses(off, [THING] * 30) == [200] * 30
    assert off.hit() == []
    full = fake(with_dose(load_rules([_error_rule({})]), 1.0))
    assert _statuses(full, [THING] * 5) == [503] * 5


def test_dose_follows_the_draws() -> None:
    rules = with_dose(load_rules([_error_rule({}, name="r")]), 0.4)
    h = fake(rules)
    statuses = _statuses(h, [THING] * 50)
    assert [i for i, s in enumerate(statuses) if s == 503] == [
        n for n in range(50) if draw(7, "r", n) < 0.4
    ]


@pytest.mark.parametrize("dose", [-0.1, 1.5])
def test_dose_outside_zero_one_is_refused(dose: float) -> None:
    with pytest.raises(FaultSpecError, match="dose must be in"):
        with_dose(load_rules(PROFILE), dose)
