"""Slack's documented errors against its vendor description's ``default`` responses (issue 18).

Slack sends failures as HTTP 200 with ``ok: false``; the conformance suite checks a 200 body
against the success schema only, so the error cases of ``tests/conformance/services/slack.py``
(``ERROR_CASES``) are played and checked here, against each method's ``default`` schema, with
the service's allow-list.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.cases import Case, extra_exchanges
from tests.conformance.exchanges import Exchange
from tests.conformance.services import slack as module
from tests.conformance.suite import Allowance
from tests.conformance.vendor import VENDORS, Check, validate, vendor_specs_dir

pytestmark = pytest.mark.skipif(
    vendor_specs_dir() is None,
    reason="no vendor descriptions (../shared/vendor-specs, or $APIBENCH_VENDOR_SPECS)",
)


def _played(monkeypatch: pytest.MonkeyPatch, cases: list[Case]) -> list[Exchange]:
    monkeypatch.setattr(module, "CASES", cases)
    return list(extra_exchanges("slack"))


def _default_errors(exchange: Exchange) -> tuple[str, tuple[str, ...]]:
    """The vendor operation of ``exchange`` and where its body breaks the ``default`` schema."""
    operation = VENDORS["slack"].operation(exchange.method, exchange.path)
    assert operation is not None, exchange.path
    schema: Any = operation.spec["responses"]["default"]["schema"]
    return operation.name, validate(operation.document, schema, exchange.body)


def _allowed(operation: str, code: str, error: str) -> bool:
    """Whether the allow-list covers ``error``; an entry naming an ``error`` code covers only
    that code (the validator's message for a long enum does not show the value)."""
    check = Check("slack", operation, 200, "invalid", (error,))
    return any(
        Allowance("slack", entry["operation"], entry["match"], entry["reason"]).covers(check, error)
        and entry.get("error", code) == code
        for entry in [*module.ALLOWANCES, *module.LATENT_ALLOWANCES]
    )


def test_documented_errors_answer_their_code_and_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    exchanges = _played(monkeypatch, module.ERROR_CASES)
    assert len(exchanges) == len(module.ERROR_CASES)
    failures = []
    for case, exchange in zip(module.ERROR_CASES, exchanges, strict=True):
        expected = case.note.split(":", 1)[0]
        assert exchange.status == 200, exchange
        assert exchange.body["ok"] is False and exchange.body["error"] == expected, exchange
        name, errors = _default_errors(exchange)
        unexplained = [e for e in errors if not _allowed(name, expected, e)]
        if unexplained:
            failures.append(f"{name} {expected}: {unexplained}")
    assert not failures, "\n".join(failures)


def test_the_default_schema_refuses_an_undocumented_error() -> None:
    """The check above can fail: an error code outside the method's enum is reported."""
    body = {"ok": False, "error": "no_such_error"}
    exchange = Exchange("slack", "slack.com", "GET", "/api/auth.test", 200, body, "made up")
    name, errors = _default_errors(exchange)
    assert errors and all(error.startswith("error: ") for error in errors)
    assert not any(_allowed(name, "no_such_error", error) for error in errors)
