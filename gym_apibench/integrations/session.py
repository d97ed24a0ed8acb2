"""One episode played through tool calls: what every framework adapter wraps.

A :class:`ToolSession` holds a Gymnasium env of a scenario (in process, or on an episode
server with ``server=``), reset at a seed, and the task's :class:`~gym_apibench.llm.toolset.
Toolset`. :meth:`ToolSession.call` carries out one tool call: a well-formed call is one env
step (a request, a wait or the submit), its observation rendered as the result's text; a
malformed one (an unknown tool, arguments that are not an object or do not fit) is answered
with an error result the caller can correct, recorded in :attr:`ToolSession.history`, and
changes nothing. The episode's faults, step limit and grading are the env's, exactly as in
``gym.make``: the reward is the env's at the submit (``0`` without one, as the eval harness
scores an episode that never submits).

The MCP server, and the Inspect AI, verifiers and OpenEnv adapters, are thin layers over it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

import gym_apibench
from gym_apibench.env import ApiBenchEnv
from gym_apibench.episode import Episode
from gym_apibench.llm.prompts import tool_prompt
from gym_apibench.llm.tools import ToolError, render_observation
from gym_apibench.llm.toolset import Tool, Toolset, ToolStyle

__all__ = ["ToolResult", "ToolSession"]


@dataclass(frozen=True)
class ToolResult:
    """What a tool call answers: ``text`` for the model; ``is_error`` when the call was
    malformed (nothing was sent) or got no HTTP response; ``done`` once the episode ended."""

    text: str
    is_error: bool = False
    done: bool = False
    observation: Mapping[str, Any] | None = None


@dataclass
class Step:
    """One call of the session: its tool, arguments, and what came of it."""

    tool: str
    arguments: Any
    error: str | None = None
    status: int | None = None
    faults: list[Any] = field(default_factory=list)


class ToolSession:
    """Scenario ``scenario`` at ``seed``, played through the tools of ``tools`` style.

    ``env`` plays an existing env instead of making one (it is reset at ``seed``); otherwise
    ``env_options`` go to ``gym.make`` (``faults``, ``max_steps``, ``server``,
    ``server_token``, ``sizes``...).
    """

    def __init__(
        self,
        scenario: str,
        seed: int,
        *,
        tools: ToolStyle = "both",
        max_result_chars: int = 8_000,
        max_docs_chars: int = 40_000,
        env: gym.Env[Any, Any] | None = None,
        **env_options: Any,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.env = (
            env if env is not None else gym.make(gym_apibench.gym_id(scenario), **env_options)
        )
        _, info = self.env.reset(seed=seed)
        self._begin(info["task"], tools, max_result_chars, max_docs_chars)

    @classmethod
    def of_episode(
        cls,
        episode: Episode,
        *,
        tools: ToolStyle = "both",
        max_result_chars: int = 8_000,
        max_docs_chars: int = 40_000,
        max_steps: int | None = None,
    ) -> ToolSession:
        """A session on an episode that is already hosted (the episode server's, which also
        scores it): its world as it stands, not reset; the step limit (``max_steps``, by default
        the scenario's) counts this session's steps."""
        session = cls.__new__(cls)
        session.scenario, session.seed = episode.scenario.id, episode.seed
        env = ApiBenchEnv.playing(episode, max_steps=max_steps)
        session.env = env
        task = episode.task
        task["max_steps"] = env.max_steps  # as the env's reset tells it
        session._begin(task, tools, max_result_chars, max_docs_chars)
        return session

    def _begin(
        self, task: dict[str, Any], tools: ToolStyle, max_result_chars: int, max_docs_chars: int
    ) -> None:
        self.task: dict[str, Any] = task
        self.toolset = Toolset(
            self.task, tools, max_result_chars=max_result_chars, max_docs_chars=max_docs_chars
        )
        self.history: list[Step] = []
        self.done = False
        self.submitted = False
        self.truncated = False
        self.reward = 0.0
        self.success = False
        self.checks: list[dict[str, Any]] = []

    @property
    def tools(self) -> list[Tool]:
        """The session's tools, in a stable order."""
        return self.toolset.tools

    def prompt(self) -> tuple[str, str]:
        """``(system, user)``: the task's prompt for a tool-calling model."""
        return tool_prompt(self.task, operations=self.toolset.style != "http")

    def call(self, name: str, arguments: Any) -> ToolResult:
        """Carry out one call of tool ``name`` with ``arguments`` (an object, or its JSON)."""
        step = Step(name, arguments)
        self.history.append(step)
        if self.done:
            step.error = "the episode has ended"
            return ToolResult("Error: the episode has ended; nothing was sent.", True, True)
        try:
            if isinstance(arguments, str | bytes):
                try:
                    arguments = json.loads(arguments or "{}")
                except ValueError as exc:
                    raise ToolError(f"the arguments are not valid JSON: {exc}") from None
                step.arguments = arguments
            action, limit = self.toolset.action(name, arguments)
        except ToolError as exc:
            step.error = str(exc)
            return ToolResult(f"Error: {exc}", is_error=True)
        observation, reward, terminated, truncated, info = self.env.step(action)
        step.status = int(observation.get("status") or 0)
        step.faults = list(info.get("faults") or [])
        if terminated or truncated:
            self.done, self.submitted, self.truncated = True, bool(terminated), bool(truncated)
            self.reward = float(reward)
            self.success = bool(info.get("success", False))
            self.checks = list(info.get("checks") or [])
        text = render_observation(observation, limit)
        if truncated:
            text += "\n[the step limit is reached: the episode has ended without a submit]"
        return ToolResult(text, step.status == 0, self.done, observation)

    def refuse(self, name: str, arguments: Any, reason: str) -> ToolResult:
        """Answer a call its caller found malformed (e.g. against the tool's JSON Schema) as
        :meth:`call` answers one: an error result, recorded in :attr:`history`; nothing is sent."""
        self.history.append(Step(name, arguments, error=reason))
        return ToolResult(f"Error: {reason}", is_error=True, done=self.done)

    @property
    def steps(self) -> int:
        """Env steps taken (malformed calls take none)."""
        return sum(1 for step in self.history if step.error is None)

    def result(self) -> dict[str, Any]:
        """The episode's outcome, JSON-ready: reward, success, whether it submitted, the
        checks of the grade, steps and malformed calls."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "reward": self.reward,
            "success": self.success,
            "submitted": self.submitted,
            "truncated": self.truncated,
            "steps": self.steps,
            "malformed": sum(1 for step in self.history if step.error is not None),
            "checks": self.checks,
        }

    def close(self) -> None:
        """Close the env (and end its remote episode, with ``server=``)."""
        self.env.close()

    def __enter__(self) -> ToolSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
