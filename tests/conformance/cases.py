"""Requests the reference solutions never send: documented errors, operations no solution needs.

Each :class:`Case` is a request an agent could send, played in a fresh episode of a scenario
using its service (seed 0), with the task's credentials applied unless ``auth`` is off. A
service's cases are ``CASES`` in ``tests/conformance/services/<service>.py``; where they need
ids of the world no task input names, :class:`Deferred` builds them on first use from
:func:`seeded_id` (rather than ids copied from one seed's world). Path
and body may name ``{task.inputs.<key>}`` values. Add a case for each documented error of an
emulated operation and for each emulated operation no scenario's solution sends; the suite
(:mod:`tests.conformance.suite`) validates its response like any other, and fails a case
answered with another status than its own.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import gymnasium as gym

import gym_apibench
from gym_apibench.solving import auth_headers
from tests.conformance.exchanges import Exchange, parse_body

__all__ = ["Case", "Deferred", "cases_of", "extra_exchanges", "seeded_id", "service_module"]


SEED = 0
"""The seed every case is played at."""

USER_AGENT = "apibench-conformance/1.0"
"""Sent with every case, as every HTTP client sends one (GitHub refuses a request without)."""


@dataclass(frozen=True)
class Case:
    """One request: ``method`` on ``path`` (under the service's base URL) of ``scenario``,
    answered with ``status`` (or one of them): what the real API answers, written by hand,
    never read off the response."""

    scenario: str
    method: str
    path: str
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: bool = True
    note: str = ""
    status: int | tuple[int, ...] = field(kw_only=True)

    @property
    def statuses(self) -> tuple[int, ...]:
        """The statuses the case accepts."""
        return (self.status,) if isinstance(self.status, int) else tuple(self.status)


def service_module(service: str) -> Any:
    """``tests/conformance/services/<service>.py``: the service's ``CASES``, its
    ``ALLOWANCES`` (the reviewed allow-list) and ``PENDING`` (still being brought in line)."""
    return importlib.import_module(f"tests.conformance.services.{service}")


def cases_of(service: str) -> list[Case]:
    """The extra cases of ``service``."""
    return list(service_module(service).CASES)


@functools.cache
def seeded_id(scenario: str, table: str, index: int = 0) -> str:
    """The ``index``-th id (in sorted order) of ``table`` in ``scenario``'s world at the
    cases' seed: the world each case is played in, so the id exists there."""
    env = gym.make(gym_apibench.gym_id(scenario))
    try:
        env.reset(seed=SEED)
        world = env.unwrapped.episode.world  # type: ignore[attr-defined]
        keys = sorted(world.table(table).keys())
    finally:
        env.close()
    return str(keys[index])


class Deferred:
    """Cases built on first iteration by ``build`` (which may look up seeded ids)."""

    def __init__(self, build: Callable[[], list[Case]]) -> None:
        self._build = build

    @functools.cached_property
    def cases(self) -> list[Case]:
        return self._build()

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)


def extra_exchanges(service: str) -> Iterator[Exchange]:
    """The exchanges of ``service``'s extra cases."""
    for case in cases_of(service):
        yield _play(service, case)


def _play(service: str, case: Case) -> Exchange:
    env = gym.make(gym_apibench.gym_id(case.scenario))
    try:
        _, info = env.reset(seed=SEED)
        task = info["task"]
        base = str(task["services"][service]).rstrip("/")
        try:
            path = case.path.format(task=_Dotted(task))
        except (KeyError, AttributeError) as exc:
            raise ValueError(f"{service} case {case}: its task has no {exc}") from None
        headers = {"User-Agent": USER_AGENT, **case.headers}
        if case.auth:
            headers.update(auth_headers(task["credentials"][service]))
        action: dict[str, Any] = {"method": case.method, "url": base + path, "headers": headers}
        if case.body is not None:
            action["body"] = json.dumps(case.body) if not isinstance(case.body, str) else case.body
            headers.setdefault("Content-Type", "application/json")
        observation, *_ = env.step(action)
    finally:
        env.close()
    parts = urlsplit(base + path)
    return Exchange(
        service,
        parts.hostname or "",
        case.method,
        parts.path,
        int(observation["status"]),
        parse_body(observation),
        f"{case.scenario}@0:case {case.note or case.path}",
        expected=case.statuses,
    )


class _Dotted:
    """``{task.inputs.key}`` in a case's path: attribute access over the task's mappings."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def __getattr__(self, name: str) -> Any:
        found = self._value[name]
        return _Dotted(found) if isinstance(found, Mapping) else found
