"""Slack's documented errors answer the code their case names (issue 18).

The conformance suite validates Slack's ``ok: false`` bodies (HTTP 200) against each method's
``default`` response; it cannot tell one documented code from another, so here each error
case of ``tests/conformance/services/slack.py`` (its note starts with the ``error`` code) must
answer that code, and every ``ok: false`` answer must be a case naming its code.
"""

from __future__ import annotations

import re

import pytest

from tests.conformance.cases import extra_exchanges
from tests.conformance.services import slack as module
from tests.conformance.vendor import VENDORS, vendor_specs_dir

CODE = re.compile(r"^([a-z_]+): ")
"""A note naming the error code its case answers (Slack's codes are snake_case words)."""


def test_error_cases_answer_the_code_they_name() -> None:
    named = 0
    for case, exchange in zip(module.CASES, extra_exchanges("slack"), strict=True):
        code = CODE.match(case.note)
        assert exchange.body["ok"] is (code is None), (case.note, exchange.body)
        if code is not None:
            assert exchange.body["error"] == code[1], (case.note, exchange.body)
            named += 1
    assert named >= 10


@pytest.mark.skipif(vendor_specs_dir() is None, reason="no vendor descriptions")
def test_an_error_body_is_checked_against_the_default_response() -> None:
    """The suite reads ``ok: false`` as Slack documents it: a code outside the method's enum
    fails, a documented one passes, and an ``ok: true`` body is still held to the success
    schema (which has no ``error``)."""
    slack = VENDORS["slack"]
    unknown = slack.check("GET", "/api/auth.test", 200, {"ok": False, "error": "no_such_error"})
    assert unknown.outcome == "invalid"
    assert unknown.errors and all(e.startswith("error: ") for e in unknown.errors)
    known = slack.check("GET", "/api/auth.test", 200, {"ok": False, "error": "invalid_auth"})
    assert known.outcome == "valid", known.errors
    success = slack.check("GET", "/api/auth.test", 200, {"ok": True, "error": "invalid_auth"})
    assert success.outcome == "invalid"
