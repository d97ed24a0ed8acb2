"""Every response of every service with a vendor description validates against it (issue 18).

One test per service (see :mod:`tests.conformance.suite`); a service still being brought in
line says ``PENDING = True`` in ``services/<service>.py``: a strict expected failure, so that
it must say otherwise the day it conforms. Skipped where the vendor descriptions are absent.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.cases import seeded_id, seeded_rows, service_module, with_task
from tests.conformance.exchanges import Exchange
from tests.conformance.suite import allowances, check_exchange, check_service, describe, summarise
from tests.conformance.vendor import VENDORS, vendor_specs_dir

pytestmark = pytest.mark.skipif(
    vendor_specs_dir() is None,
    reason="no vendor descriptions (../shared/vendor-specs, or $APIBENCH_VENDOR_SPECS)",
)

PENDING = {name for name in VENDORS if service_module(name).PENDING}
"""Services whose responses do not all conform yet (``PENDING = True`` in their module)."""


@pytest.mark.parametrize(
    "service",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="issue 18: in progress"))
        if name in PENDING
        else name
        for name in sorted(VENDORS)
    ],
)
def test_responses_conform_to_the_vendor_description(service: str) -> None:
    outcomes = check_service(service)
    summary = summarise(service, outcomes)
    assert summary.validated > 0, f"no {service} response was validated"
    failures = sorted({describe(f) for f in summary.failures})
    assert not failures, f"{len(failures)} nonconforming:\n" + "\n".join(failures[:40])
    assert not summary.unexercised, f"emulated, never exercised: {sorted(summary.unexercised)}"
    unused = [
        a.operation + " " + a.match
        for a in allowances(service)
        if not any(a.covers(o.check, e) for o in outcomes for e in o.allowed)
    ]
    assert not unused, f"allow-list entries that excuse nothing: {unused}"


@pytest.mark.parametrize("service", sorted(VENDORS))
def test_the_allow_list_is_reasoned_and_names_real_operations(service: str) -> None:
    for entry in allowances(service):
        assert entry.service in VENDORS and len(entry.reason) > 20, entry
        assert any(op.name == entry.operation for op in VENDORS[entry.service].operations()), entry


def test_the_validator_can_fail() -> None:
    """A response that breaks the vendor's schema is reported (the suite could fail)."""
    stripe = VENDORS["stripe"]
    good = stripe.check("GET", "/v1/customers/cus_1", 200, {"id": "cus_1", "object": "customer"})
    assert good.outcome == "invalid"  # a customer has many required fields
    assert any("required property" in error for error in good.errors)


def test_a_case_answered_with_another_status_fails() -> None:
    """A case's expected status is checked whatever its body: a 200 where the case expects a
    404 fails with both statuses named, though the body is a valid space."""
    path = "/wiki/rest/api/space/ANY"
    space = {"id": 1, "key": "ANY", "name": "Any", "type": "global", "status": "current"}
    wrong = Exchange("confluence", "", "GET", path, 200, space, "a case", expected=(404,))
    outcome = check_exchange(wrong)
    assert outcome.failed and outcome.unexplained == ("status 200, where the case expects 404",)
    right = Exchange("confluence", "", "GET", path, 404, None, "a case", expected=(400, 404))
    assert not check_exchange(right).failed


def test_an_error_status_the_vendor_does_not_list_fails_where_it_lists_them_all() -> None:
    """Confluence's description lists every error status of an operation: a 418 is wrong
    there; ClickUp's lists none, so its 418 is only not validatable."""
    teapot = Exchange("confluence", "", "GET", "/wiki/rest/api/space/ANY", 418, None, "x")
    assert check_exchange(teapot).failed
    clickup = Exchange("clickup", "", "GET", "/api/v2/user", 418, None, "x")
    assert check_exchange(clickup).check.outcome == "undocumented-status"
    assert not check_exchange(clickup).failed


def test_a_case_body_names_task_inputs_in_any_string() -> None:
    task = {"inputs": {"channel": "ops", "ts": "17.5", "count": 3}}
    body: dict[str, Any] = {"channel": "#{task.inputs.channel}", "n": "{task.inputs.count}"}
    body["raw"] = "{"
    body["replies"] = [{"thread_ts": "{task.inputs.ts}"}]
    assert with_task(body, task) == {
        "channel": "#ops",
        "n": 3,
        "raw": "{",
        "replies": [{"thread_ts": "17.5"}],
    }
    assert with_task("/x/{task.inputs.ts}?n={task.inputs.count}", task) == "/x/17.5?n=3"
    with pytest.raises(KeyError, match=r"task\.inputs\.nope"):
        with_task({"a": ["{task.inputs.nope}"]}, task)


def test_a_body_that_is_not_json_fails_where_the_vendor_documents_json() -> None:
    """Not JSON where the description has a JSON schema is an error, not a validated None;
    without a documented body (a 204, a bodiless error status) nothing is validated."""
    stripe = VENDORS["stripe"]
    text = stripe.check("GET", "/v1/customers/cus_1", 200, None, json=False)
    assert text.outcome == "invalid" and text.errors == ("<body>: not JSON",)
    confluence = VENDORS["confluence"]
    bodiless = confluence.check("GET", "/wiki/rest/api/space/ANY", 404, None, json=False)
    assert bodiless.outcome == "no-schema"


def test_seeded_ids_name_rows_of_the_world_a_case_plays_in() -> None:
    """Ids a case names are read from its scenario's world at the cases' seed, filtered."""
    rows = seeded_rows("slack.thread-replies", "slack.channels")
    assert list(rows) == sorted(rows) and len(rows) > 1
    assert seeded_id("slack.thread-replies", "slack.channels", 1) == list(rows)[1]
    archived = seeded_id("slack.thread-replies", "slack.channels", where=lambda r: r["is_archived"])
    assert rows[archived]["is_archived"]
    assert archived == min(key for key, row in rows.items() if row["is_archived"])


def test_an_error_status_no_operation_lists_is_held_to_the_vendor_error_schema() -> None:
    """OpenAI's operations list few error statuses; its 4xx bodies are checked against the
    description's ErrorResponse instead of going unvalidated, so a wrong shape fails."""
    openai = VENDORS["openai"]
    error = {"message": "No such model", "type": "invalid_request_error", "param": None}
    assert openai.check("GET", "/v1/models/x", 404, {"error": {**error, "code": None}}).outcome == (
        "valid"
    )
    bare = openai.check("GET", "/v1/models/x", 404, {**error, "code": None})
    assert bare.outcome == "invalid" and "<body>: 'error' is a required property" in bare.errors
    unwrapped = openai.check("GET", "/v1/models/x", 404, {"error": error})
    assert unwrapped.errors == ("error: 'code' is a required property",)
