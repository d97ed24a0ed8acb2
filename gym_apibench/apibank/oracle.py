"""Reference solutions of the imported API-Bank scenarios: the gold call over HTTP, then the
gold reply. HTTP only (no ``mockapis`` import), as every reference solution."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gym_apibench.apibank.episodes import episode
from gym_apibench.solving import Solution, request

__all__ = ["solution_functions"]


def _solve(call: Mapping[str, Any], reply: str | None, task: Mapping[str, Any]) -> Solution:
    base = str(task["services"]["apibank"]).rstrip("/")
    # The parameters as the dialogue wrote them (mostly strings): the service types them as
    # API-Bank's ToolManager does.
    yield request("POST", f"{base}/apis/{call['api_name']}", json_body=call["param_dict_raw"])
    yield {"submit": reply}


def solution_functions(family_dir: Path) -> Callable[[str], Callable[..., Solution]]:
    """The ``__getattr__`` of a generated ``solutions.py``: scenario function name ->
    ``solve(task)`` posting that scenario's gold call and submitting its gold reply."""

    def lookup(name: str) -> Callable[..., Solution]:
        gold = episode(family_dir, name)

        def solve(task: Mapping[str, Any]) -> Solution:
            return _solve(gold.call, gold.reply, task)

        solve.__name__ = name
        return solve

    return lookup
