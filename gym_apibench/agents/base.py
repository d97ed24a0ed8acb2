"""The agent interface the harness drives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["Agent"]


@runtime_checkable
class Agent(Protocol):
    """Something that turns observations into actions, one episode at a time."""

    name: str

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start an episode on ``task`` (``info["task"]`` of the env)."""

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The next action given the last observation (the reset observation first)."""
