"""The requests an agent sends, with their responses: what the conformance suite validates.

:func:`played` runs a scenario's reference solution (or its naive one) in process, as the
oracle agent does, and keeps each request's method, path and status and the response's
parsed JSON body, by service; a response a fault rule shaped (a scenario's own faults: a
renamed field, a 503) is left out, as a deliberate departure from the real API. Every
scenario's solutions together exercise the operations agents use;
:mod:`tests.conformance.cases` adds the requests they never send (documented errors,
operations no solution needs).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import gymnasium as gym

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.bodies import is_base64
from mockapis.registry import services

__all__ = ["Exchange", "parse_body", "played", "service_of_host", "solution_steps"]


@dataclass(frozen=True)
class Exchange:
    """One request and its response: ``body`` is the parsed JSON where ``json`` (else
    ``None``: no body, or one that is not JSON); ``expected``, the statuses a case expects
    (empty for a solution's request)."""

    service: str
    host: str
    method: str
    path: str
    status: int
    body: Any
    source: str
    expected: tuple[int, ...] = ()
    json: bool = True


def service_of_host(host: str) -> str | None:
    """The name of the service emulating ``host``."""
    for service in services().values():
        if host in service.hosts:
            return service.name
    return None


def parse_body(observation: Mapping[str, Any]) -> tuple[bool, Any]:
    """Whether the observation's body is JSON (declared so, and parsing), and its value
    (``None`` where it is not: an empty body, text, bytes)."""
    headers = {k.lower(): v for k, v in (observation.get("headers") or {}).items()}
    text = observation.get("body")
    if is_base64(observation) or "json" not in headers.get("content-type", "") or not text:
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


def solution_steps(
    scenario_id: str, seed: int, *, naive: bool = False
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any], str]]:
    """``(action, observation, source)`` of each request ``scenario_id``'s reference (or
    naive) solution sends at ``seed`` and gets an HTTP response to, no fault rule shaping it
    (a scenario's own faults: a renamed field, a 503)."""
    env = gym.make(gym_apibench.gym_id(scenario_id))
    agent = OracleAgent(naive=naive)
    source = f"{scenario_id}@{seed}:{agent.name}"
    try:
        observation, info = env.reset(seed=seed)
        agent.reset(info["task"], seed=seed)
        for _ in range(10_000):
            action = agent.act(observation)
            observation, _, terminated, truncated, info = env.step(action)
            if "submit" in action or terminated or truncated:
                return
            if "url" not in action or info.get("faults") or not observation.get("status"):
                continue  # a wait; a response a fault shaped on purpose; no response
            yield action, observation, source
    finally:
        env.close()


def played(scenario_id: str, seed: int, *, naive: bool = False) -> Iterator[Exchange]:
    """The exchanges of ``scenario_id``'s reference (or naive) solution at ``seed``."""
    for action, observation, source in solution_steps(scenario_id, seed, naive=naive):
        parts = urlsplit(str(action["url"]))
        service = service_of_host(parts.hostname or "")
        if service is not None:
            is_json, body = parse_body(observation)
            yield Exchange(
                service,
                parts.hostname or "",
                str(action.get("method", "GET")).upper(),
                parts.path,
                int(observation["status"]),
                body,
                source,
                json=is_json,
            )
