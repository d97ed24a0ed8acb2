"""The ``call`` fixture: run one kit function on a real request (see ``kit_driver``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.mockapis.kit.kit_driver import Outcome, run


@pytest.fixture
def call() -> Callable[..., Outcome]:
    return run
