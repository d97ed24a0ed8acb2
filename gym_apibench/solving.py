"""Helpers for reference solutions: generators that yield actions and receive responses.

A solution is ``def solve(task) -> Solution``; it yields request actions, receives each
observation back, and ends by yielding ``{"submit": answer}``. It sees only what an agent
sees (the task and the HTTP responses), never the world.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from typing import Any

__all__ = ["Solution", "SolutionError", "auth_headers", "expect_json", "request"]

Solution = Generator[dict[str, Any], dict[str, Any], None]


class SolutionError(RuntimeError):
    """A reference solution got a response it cannot go on from."""


def auth_headers(credentials: Mapping[str, str]) -> dict[str, str]:
    """Request headers for a credentials entry of ``task["credentials"]``."""
    kind = credentials.get("type")
    if kind == "bearer":
        return {"Authorization": f"Bearer {credentials['token']}"}
    if kind == "api_key":
        return {credentials["header"]: credentials["key"]}
    if kind == "raw":
        return {"Authorization": credentials["token"]}
    raise SolutionError(f"no header form for credentials of type {kind!r}")


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
) -> dict[str, Any]:
    """A request action."""
    action: dict[str, Any] = {"method": method, "url": url, "headers": dict(headers or {})}
    if json_body is not None:
        action["json"] = json_body
    return action


def expect_json(observation: Mapping[str, Any], status: int | tuple[int, ...] = (200,)) -> Any:
    """The JSON body of ``observation``, which must have one of the ``status`` codes."""
    allowed = (status,) if isinstance(status, int) else status
    if observation["status"] not in allowed:
        raise SolutionError(
            f"expected status {allowed}, got {observation['status']}: {observation['body'][:300]}"
        )
    return json.loads(observation["body"]) if observation["body"] else None
