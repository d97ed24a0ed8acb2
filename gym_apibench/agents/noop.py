"""The no-op baseline: submits ``null`` at once and touches nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["NoopAgent"]


class NoopAgent:
    """Submits ``null`` as its first action; every scenario's checks must fail it."""

    name = "noop"

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Nothing to prepare."""

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """Always ``{"submit": None}``."""
        return {"submit": None}
