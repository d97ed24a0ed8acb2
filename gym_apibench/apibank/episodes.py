"""The imported API-Bank family's index, read by its truth, solutions and checks.

A family folder ``<home>/scenarios/api-bank`` holds ``episodes.json`` (scenario name -> its
gold call's index, the dialogue's earlier calls, the gold reply); the gold calls are in
``<home>/api-bank/gold_calls.jsonl``. Both are parsed once per process. This module imports
nothing from ``mockapis``: reference solutions use it too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EpisodeData", "episode", "function_name", "scenario_of"]


@dataclass(frozen=True)
class EpisodeData:
    """One scenario's gold: the call (``{api_name, param_dict_raw, gold_result, ...}``), the
    dialogue's earlier gold calls in order, the gold reply and the level."""

    name: str
    level: int
    call: Mapping[str, Any]
    prior: tuple[Mapping[str, Any], ...]
    reply: str | None
    reproducible: bool


@functools.cache
def _index(family_dir: Path) -> Mapping[str, Mapping[str, Any]]:
    data: Mapping[str, Mapping[str, Any]] = json.loads(
        (family_dir / "episodes.json").read_text(encoding="utf-8")
    )
    return data


@functools.cache
def _gold(family_dir: Path) -> tuple[Mapping[str, Any], ...]:
    path = family_dir.parents[1] / "api-bank" / "gold_calls.jsonl"
    with path.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def scenario_of(function: str) -> str:
    """The scenario name a truth or solution function name stands for
    (``l1_get_user_token_0`` -> ``l1-get-user-token-0``)."""
    return function.replace("_", "-")


def function_name(scenario: str) -> str:
    """The function name of a scenario name (the inverse of :func:`scenario_of`)."""
    return scenario.replace("-", "_")


def episode(family_dir: Path, function: str) -> EpisodeData:
    """The gold of the scenario ``function`` names; ``AttributeError`` when there is none
    (module ``__getattr__`` hooks raise it for unknown names)."""
    name = scenario_of(function)
    entry = _index(family_dir).get(name) if not function.startswith("_") else None
    if entry is None:
        raise AttributeError(f"no API-Bank scenario {name!r} in {family_dir}")
    gold = _gold(family_dir)
    return EpisodeData(
        name=name,
        level=int(entry["level"]),
        call=gold[int(entry["call"])],
        prior=tuple(gold[int(i)] for i in entry["prior"]),
        reply=entry.get("reply"),
        reproducible=bool(entry.get("reproducible")),
    )
