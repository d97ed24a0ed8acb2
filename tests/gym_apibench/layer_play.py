"""Driving a solution (or a solution behind the recovery layer) by hand in tests: the
actions it makes given crafted replies."""

from __future__ import annotations

from typing import Any

from gym_apibench.solving import Solution


def play(solution: Solution, replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The actions ``solution`` makes, given ``replies`` in turn (until it ends)."""
    actions = [next(solution)]
    for reply in replies:
        try:
            actions.append(solution.send(reply))
        except StopIteration:
            break
    return actions
