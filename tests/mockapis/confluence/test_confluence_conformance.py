"""The documented errors among Confluence's conformance cases answer the status they name.

The vendor's description lists error statuses without bodies, so the conformance suite can
only count them; here each case whose note starts with a status (``"404: ..."``) is played
and must answer that status.
"""

from __future__ import annotations

import pytest

from tests.conformance.cases import extra_exchanges
from tests.conformance.services import confluence as module
from tests.conformance.vendor import VENDORS, vendor_specs_dir


@pytest.mark.skipif(vendor_specs_dir() is None, reason="no vendor descriptions")
def test_error_cases_answer_the_documented_status(monkeypatch: pytest.MonkeyPatch) -> None:
    errors = [case for case in module.CASES if case.note[:3].isdigit()]
    assert errors
    monkeypatch.setattr(module, "CASES", errors)
    for case, exchange in zip(errors, extra_exchanges("confluence"), strict=True):
        status = int(case.note[:3])
        assert exchange.status == status, (case.path, exchange.status, exchange.body)
        operation = VENDORS["confluence"].operation(exchange.method, exchange.path)
        assert operation is not None and operation.response(status) is not None, case.path
