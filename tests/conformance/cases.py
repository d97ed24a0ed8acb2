"""Requests the reference solutions never send: documented errors, operations no solution needs.

Each :class:`Case` is a request an agent could send, played in a fresh episode of a scenario
using its service (seed 0), with the task's credentials applied unless ``auth`` is off, and
the status the real API answers it with. A service's cases are ``CASES`` in
``tests/conformance/services/<service>.py``; where they need ids of the world no task input
names, :class:`Deferred` builds them on first use from :func:`seeded_id` (rather than ids
copied from one seed's world). Path and body (any string in it) may name
``{task.inputs.<key>}`` values (:func:`with_task`); a string body is sent as a form, any
other as JSON, unless the case's headers say otherwise. Add a case for each documented error of an
emulated operation and for each emulated operation no scenario's solution sends; the suite
(:mod:`tests.conformance.suite`) validates its response like any other, and fails a case
answered with another status than its own.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import gymnasium as gym

import gym_apibench
from gym_apibench.solving import auth_headers
from tests.conformance.exchanges import Exchange, parse_body

__all__ = [
    "Case",
    "Deferred",
    "case",
    "cases_of",
    "extra_exchanges",
    "seeded_id",
    "seeded_rows",
    "service_module",
    "with_task",
]


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


def case(
    scenario: str,
    status: int | tuple[int, ...],
    method: str,
    path: str,
    body: Any = None,
    **options: Any,
) -> Case:
    """A :class:`Case`, its status first as the services' case lists read; a module binds
    its scenario once: ``_case = functools.partial(case, SCENARIO)``."""
    return Case(scenario, method, path, body, status=status, **options)


def service_module(service: str) -> Any:
    """``tests/conformance/services/<service>.py``: the service's ``CASES``, its
    ``ALLOWANCES`` (the reviewed allow-list) and ``PENDING`` (still being brought in line)."""
    return importlib.import_module(f"tests.conformance.services.{service}")


def cases_of(service: str) -> list[Case]:
    """The extra cases of ``service``."""
    return list(service_module(service).CASES)


@functools.cache
def seeded_rows(scenario: str, table: str) -> Mapping[str, Mapping[str, Any]]:
    """The rows of ``table`` in ``scenario``'s world at the cases' seed (the world each case
    is played in), by id in sorted order: read, never to be changed."""
    env = gym.make(gym_apibench.gym_id(scenario))
    try:
        env.reset(seed=SEED)
        world = env.unwrapped.episode.world  # type: ignore[attr-defined]
        rows = world.table(table)
        return {str(key): copy.deepcopy(dict(rows[key])) for key in sorted(rows.keys())}
    finally:
        env.close()


def seeded_id(
    scenario: str,
    table: str,
    index: int = 0,
    where: Callable[[Mapping[str, Any]], bool] | None = None,
) -> str:
    """The ``index``-th id (in sorted order) of the rows of ``table`` (those ``where`` holds
    for, if given) in ``scenario``'s world at the cases' seed: the id exists there."""
    rows = seeded_rows(scenario, table)
    return [key for key, row in rows.items() if where is None or where(row)][index]


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
            path = str(with_task(case.path, task))
            body = with_task(case.body, task)
        except KeyError as exc:
            raise ValueError(f"{service} case {case}: its task has no {exc}") from None
        headers = {"User-Agent": USER_AGENT, **case.headers}
        if case.auth:
            headers.update(auth_headers(task["credentials"][service]))
        action: dict[str, Any] = {"method": case.method, "url": base + path, "headers": headers}
        if isinstance(body, str):  # a form, as Stripe and OAuth token endpoints read
            action["body"] = body
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None:
            action["body"] = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        observation, *_ = env.step(action)
    finally:
        env.close()
    parts = urlsplit(base + path)
    is_json, parsed = parse_body(observation)
    return Exchange(
        service,
        parts.hostname or "",
        case.method,
        parts.path,
        int(observation["status"]),
        parsed,
        f"{case.scenario}@0:case {case.note or case.path}",
        expected=case.statuses,
        json=is_json,
    )


PLACEHOLDER = re.compile(r"\{(task(?:\.\w+)+)\}")
"""``{task.inputs.<key>}`` (any path into the task) in a case's path or body."""


def with_task(value: Any, task: Mapping[str, Any]) -> Any:
    """``value`` (a path, or a body: strings in any list or mapping) with each placeholder
    replaced by the task's value; a string that is one placeholder becomes the value itself
    (an integer stays an integer in a JSON body). Other braces (a body that is not JSON on
    purpose) are left as they are."""
    if isinstance(value, Mapping):
        return {key: with_task(item, task) for key, item in value.items()}
    if isinstance(value, list):
        return [with_task(item, task) for item in value]
    if not isinstance(value, str):
        return value
    whole = PLACEHOLDER.fullmatch(value)
    if whole is not None:
        return _lookup(task, whole[1])
    return PLACEHOLDER.sub(lambda match: str(_lookup(task, match[1])), value)


def _lookup(task: Mapping[str, Any], dotted: str) -> Any:
    found: Any = {"task": task}
    for name in dotted.split("."):
        if not isinstance(found, Mapping) or name not in found:
            raise KeyError(dotted)
        found = found[name]
    return found
