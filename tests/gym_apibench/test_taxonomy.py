"""The failure taxonomy: one crafted failure per category, corrections that clear a rule, the
precedence, and real episodes of the naive and scripted baselines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gym_apibench.agents.baselines import FirstPageOnlyAgent, NoRetryAgent
from gym_apibench.har import Trace
from gym_apibench.harness import run_episode
from gym_apibench.taxonomy import CATEGORIES, CATEGORY_LABELS, classify

STRIPE = "https://api.stripe.com"
MS = 1_000_000
Step = tuple[dict[str, Any], dict[str, Any], list[dict[str, str]], float]


def get(
    path: str,
    status: int = 200,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    faults: list[dict[str, str]] | None = None,
    then_wait: float = 0.0,
) -> Step:
    """A GET step to ``STRIPE + path`` answered with ``status`` and ``body`` (JSON)."""
    action = {"method": "GET", "url": path if "://" in path else STRIPE + path}
    text = json.dumps({"data": [], "has_more": False} if body is None else body)
    observation = {
        "status": status,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": text,
    }
    return action, observation, faults or [], then_wait


def har(*steps: Step, answer: Any = "cus_1", **meta: Any) -> dict[str, Any]:
    """The HAR of ``steps`` (50 ms each, then their wait) and a submit of ``answer``."""
    trace = Trace(hosts={"api.stripe.com": "stripe"}, base_urls={"stripe": STRIPE})
    now = 1_700_000_000 * 10**9
    for number, (action, observation, faults, wait) in enumerate(steps, 1):
        trace.record(number, now, now + 50 * MS, action, observation, faults)
        now += 50 * MS + int(wait * 1e9)
    submit = {"status": 200, "headers": {}, "body": "{}"}
    trace.record(len(steps) + 1, now, now, {"submit": answer}, submit)
    return trace.to_har({"submitted": True, "answer": answer, **meta})


FULL = {"data": [{"id": "cus_1"}], "has_more": False}
ERROR = {"error": {"type": "invalid_request_error", "message": "bad"}}

CASES: dict[str, tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = {
    "crash_timeout": ("agent_error: ValueError: boom", [], har(get("/v1/customers", 401))),
    "auth_error": (
        "wrong_answer",
        [],
        har(get("/v1/customers", 401, ERROR), get("/v1/customers", 401, ERROR)),
    ),
    "rate_limit_mishandled": (
        "wrong_answer",
        [],
        # Retried 50 ms after a 429 that asked for 5 s.
        har(get("/v1/customers", 429, ERROR, headers={"Retry-After": "5"}), get("/v1/customers")),
    ),
    "fault_not_recovered": (
        "wrong_answer",
        [],
        har(get("/v1/customers", 503, ERROR, faults=[{"rule": "down", "kind": "http_error"}])),
    ),
    "step_budget_exhausted": ("step_limit", [], har(get("/v1/customers", 200, FULL))),
    "unknown_endpoint": ("wrong_answer", [], har(get("/v1/customer", 404, ERROR))),
    "wrong_parameter": ("wrong_answer", [], har(get("/v1/customers?page_size=5", 400, ERROR))),
    "validation_error_not_corrected": (
        "wrong_answer",
        [],
        har(get("/v1/customers?limit=1000", 400, ERROR)),
    ),
    "incomplete_pagination": (
        "wrong_answer",
        [],
        har(get("/v1/customers?limit=1", 200, {"data": [{"id": "cus_1"}], "has_more": True})),
    ),
    "overshoot": (
        "wrong_answer",
        [],
        har(
            get("/v1/customers", 200, FULL),
            answer=["cus_1", "cus_1"],
            answer_size={"got": 2, "want": 1, "missing": 0, "extra": 1},
        ),
    ),
    "no_answer": ("wrong_answer", [], har(get("/v1/customers", 200, FULL), answer=None)),
    "wrong_answer": ("wrong_answer", [], har(get("/v1/customers", 200, FULL), answer=["x"])),
}


def test_every_category_has_a_case_and_a_label():
    assert list(CASES) == list(CATEGORIES) == list(CATEGORY_LABELS)


@pytest.mark.parametrize("category", CATEGORIES)
def test_crafted_failure(category):
    failure, checks, trace = CASES[category]
    assert classify(failure, checks, trace) == category


def test_success_has_no_category():
    assert classify(None, [], har(get("/v1/customers", 500))) is None


@pytest.mark.parametrize(
    "steps",
    [
        # Corrected: each error is followed by a 2xx for the same request.
        [get("/v1/customers", 401, ERROR), get("/v1/customers", 200, FULL)],
        [get("/v1/customers", 503, ERROR), get("/v1/customers", 200, FULL)],
        [get("/v1/customers?limit=1000", 400, ERROR), get("/v1/customers?limit=100", 200, FULL)],
        [get("/v1/customers?page_size=5", 400, ERROR), get("/v1/customers?limit=5", 200, FULL)],
        [get("/v1/customer", 404, ERROR), get("/v1/customers", 200, FULL)],
        # A 429 whose Retry-After was honoured (the wait is on the episode clock).
        [
            get("/v1/customers", 429, ERROR, headers={"Retry-After": "2"}, then_wait=2.0),
            get("/v1/customers", 200, FULL),
        ],
        # The next page was fetched, through the Link header as much as through has_more.
        [
            get("/v1/customers?limit=1", 200, {"data": [{"id": "a"}], "has_more": True}),
            get("/v1/customers?limit=1&starting_after=a", 200, FULL),
        ],
    ],
)
def test_corrected_errors_are_just_wrong_answers(steps):
    assert classify("wrong_answer", [], har(*steps, answer=["x"])) == "wrong_answer"


def test_more_pagination_signals():
    link = {"Link": '<https://api.stripe.com/v1/customers?page=2>; rel="next"'}
    assert classify("wrong_answer", [], har(get("/v1/customers", 200, FULL, headers=link))) == (
        "incomplete_pagination"
    )
    cursor = {"items": [1], "meta": {"next_cursor": "abc"}}
    assert classify("wrong_answer", [], har(get("/v1/customers", 200, cursor))) == (
        "incomplete_pagination"
    )
    # A full page (as many items as the limit asked for) announces more; a short one does not.
    full = {"data": [{"id": "a"}, {"id": "b"}]}
    assert classify("wrong_answer", [], har(get("/v1/customers?limit=2", 200, full))) == (
        "incomplete_pagination"
    )
    assert classify("wrong_answer", [], har(get("/v1/customers?limit=3", 200, full))) == (
        "wrong_answer"
    )


def test_unknown_host_is_an_unknown_endpoint():
    trace = har(get("https://api.stripe.example/v1/customers", 0, {"error": "connect_error"}))
    assert classify("wrong_answer", [], trace) == "unknown_endpoint"


def test_precedence_auth_before_pagination():
    steps = [
        get("/v1/customers?limit=1", 200, {"data": [{"id": "a"}], "has_more": True}),
        get("/v1/charges", 401, ERROR),
    ]
    assert classify("wrong_answer", [], har(*steps)) == "auth_error"


def test_without_a_trace_the_record_decides():
    assert classify("step_limit", []) == "step_budget_exhausted"
    assert classify("no_submit", []) == "no_answer"
    assert classify("wrong_answer", []) == "wrong_answer"
    rows = [{"name": "n", "passed": False, "detail": "attio.notes: added 6 rows, expected 3"}]
    assert classify("state_check_failed: n", rows) == "overshoot"
    dupes = [
        {"name": "ids", "passed": False, "detail": "0 missing, 0 unexpected, 2 duplicated of 9"}
    ]
    assert classify("wrong_answer", dupes) == "overshoot"


def test_an_action_only_run_is_no_answer():
    trace = Trace(hosts={}, base_urls={})
    trace.record(1, 0, 0, {"submit": None}, {"status": 200, "headers": {}, "body": "{}"})
    meta = {"submitted": True, "answer": None}
    assert classify("state_check_failed: x", [], trace.to_har(meta)) == "no_answer"


# Real episodes: the naive solutions and the scripted baselines fail for the reason they were
# written to fail, and the taxonomy says so.
REAL = [
    ("naive", "attio.retry-503s", "fault_not_recovered"),
    ("naive", "attio.reauth-after-expiry", "auth_error"),
    ("naive", "stripe.all-customers", "incomplete_pagination"),
    ("noop", "stripe.all-customers", "no_answer"),
    (
        "no-retry",
        "attio.paginate-through-429s",
        "rate_limit_mishandled",
    ),
    ("no-retry", "attio.retry-503s", "fault_not_recovered"),
    (
        "first-page-only",
        "github.all-repos",
        "incomplete_pagination",
    ),
    (
        "first-page-only",
        "slack.channels-without-prefix",
        "incomplete_pagination",
    ),
]


@pytest.mark.parametrize(("agent", "scenario", "category"), REAL)
def test_real_failures(agent, scenario, category):
    result = run_episode(agent, scenario, 0)
    assert not result.success
    assert result.failure_category == category


def test_baselines_have_names():
    assert FirstPageOnlyAgent().name == "first-page-only"
    assert NoRetryAgent().name == "no-retry"
