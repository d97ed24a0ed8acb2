"""The server side: apibench episodes as an OpenEnv ``Environment`` of MCP-style tools."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import EnvironmentMetadata

import gym_apibench
from gym_apibench.integrations.openenv.models import (
    ApibenchObservation,
    ApibenchState,
    CallToolAction,
    CallToolObservation,
    ListToolsAction,
    ListToolsObservation,
    Tool,
    ToolError,
    ToolErrorType,
)
from gym_apibench.integrations.session import ToolResult, ToolSession
from gym_apibench.llm.toolset import ToolStyle
from gym_apibench.scenarios import get_scenario

__all__ = ["RESET_OPTIONS", "SPLITS", "ApibenchEnvironment"]

SPLITS = ("train", "test")
"""The Task API's splits: apibench's train and test scenarios (their ``split``)."""

RESET_OPTIONS = ("faults", "sizes", "max_episode_steps")
"""What ``reset`` takes besides ``scenario``, ``seed`` and ``episode_id``: as ``gym.make``
does (``faults`` as rule mappings only: the server reads no path it is sent)."""


class ApibenchEnvironment(Environment):
    """One apibench episode at a time, played through the task's tools.

    ``reset(scenario=..., seed=...)`` starts a
    :class:`~gym_apibench.integrations.session.ToolSession` (in this process, or, given
    ``server``, on that apibench episode server, which then holds the world and grades it)
    and answers an :class:`ApibenchObservation`: the task and its prompt. Actions are
    OpenEnv's MCP-style ones: ``ListToolsAction`` lists the episode's tools (one per
    documented operation, ``http_request`` for a raw HTTP request, ``submit``, ``wait``,
    ``read_docs``); ``CallToolAction`` calls one, answering a ``CallToolObservation`` whose
    ``result`` carries the rendered response as MCP text content. ``done`` is set when the
    episode ends (at the submit or the step limit), ``reward`` is then apibench's (0 before).

    A call that does not fit its tool (an unknown tool, arguments against its schema) is
    answered with the observation's ``error`` (``invalid_args``, ``tool_not_found``), is
    recorded, and changes nothing; a request that got no HTTP response (a transport fault) is
    a result with ``is_error``, as in MCP.
    """

    SUPPORTS_CONCURRENT_SESSIONS = True  # every session has its own world

    def __init__(
        self,
        *,
        scenario: str | None = None,
        tools: ToolStyle = "both",
        max_result_chars: int = 8_000,
        server: str | None = None,
        server_token: str | None = None,
    ) -> None:
        super().__init__()
        self.default_scenario = scenario
        self.tools: ToolStyle = tools
        self.max_result_chars = max_result_chars
        self.remote = {"server": server, "server_token": server_token} if server else {}
        self.session: ToolSession | None = None
        self.episode_id: str | None = None
        self._made: tuple[str, str] | None = None

    def reset(
        self,
        seed: int | None = None,
        episode_id: str | None = None,
        scenario: str | None = None,
        split: str | None = None,
        index: int | None = None,
        **options: Any,
    ) -> ApibenchObservation:
        """Start an episode of ``scenario`` (or the Task API's task ``index`` of ``split``;
        else the server's default) at ``seed`` (a fresh one if not given); ``options`` are
        among :data:`RESET_OPTIONS`."""
        unknown = sorted(set(options) - set(RESET_OPTIONS))
        if unknown:
            raise ValueError(
                f"unknown reset option(s) {', '.join(map(repr, unknown))}; reset takes "
                f"scenario (or split and index), seed, episode_id, {', '.join(RESET_OPTIONS)}"
            )
        if split is not None or index is not None:
            if scenario is not None or split is None or not isinstance(index, int):
                raise ValueError("reset takes a scenario, or a split and an index, not both")
            scenario = self.get_task(split, index)["id"]
        scenario = scenario or self.default_scenario
        if not isinstance(scenario, str):
            raise ValueError(
                "reset needs a scenario: reset(scenario=..., seed=...), e.g. "
                f"{gym_apibench.scenario_ids()[0]!r} (`apibench list` names them)"
            )
        try:
            get_scenario(scenario)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        if seed is None:
            # As gym's reset(seed=None): a fresh episode, whose seed the observation and the
            # state report so that it can be played again.
            seed = secrets.randbelow(2**31)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed is an integer >= 0; got {seed!r}")
        faults = options.get("faults")
        if faults is not None and not isinstance(faults, list | dict):
            raise ValueError("faults are rule mappings (a list, or {'rules': [...]}), not a path")
        self.session = self._session(scenario, seed, options)
        self.episode_id = episode_id or uuid.uuid4().hex
        self._reset_rubric()
        system, user = self.session.prompt()
        return ApibenchObservation(
            scenario=scenario,
            seed=seed,
            system=system,
            prompt=user,
            task=self.session.task,
            metadata={"episode_id": self.episode_id},
        )

    def _session(self, scenario: str, seed: int, options: Mapping[str, Any]) -> ToolSession:
        """A session at ``seed``: on the env of the last one when nothing but the seed changed
        (no second world build or remote episode), else on a new env."""
        made = (scenario, repr(sorted(options.items())))
        env = None
        if self.session is not None and self._made == made:
            env = self.session.env
        elif self.session is not None:
            self.session.close()
        self._made = made
        return ToolSession(
            scenario,
            seed,
            tools=self.tools,
            max_result_chars=self.max_result_chars,
            env=env,
            **({} if env is not None else {**self.remote, **options}),
        )

    def step(
        self,
        action: Any,
        timeout_s: float | None = None,
        **kwargs: Any,
    ) -> ListToolsObservation | CallToolObservation:
        """List the tools (``ListToolsAction``) or call one (``CallToolAction``)."""
        if isinstance(action, ListToolsAction):
            return self._list_tools()
        if not isinstance(action, CallToolAction):
            raise TypeError(
                f"apibench takes a ListToolsAction or a CallToolAction, got {type(action)}"
            )
        if self.session is None:
            return _failed(action.tool_name, "no episode yet: reset(scenario=..., seed=...) first")
        session = self.session
        known = {tool.name for tool in session.tools}
        result = session.call(action.tool_name, action.arguments)
        if session.history[-1].error is not None:
            kind = _refusal(action.tool_name in known, result)
            observation = _failed(action.tool_name, result.text.removeprefix("Error: "), kind)
        else:
            observation = CallToolObservation(
                tool_name=action.tool_name, result=_content(result), metadata=_status(result)
            )
        observation.done = session.done
        observation.reward = session.reward if session.done else 0.0
        if session.done:
            observation.metadata["result"] = _outcome(session)
        return observation

    def _list_tools(self) -> ListToolsObservation:
        if self.session is None:
            return ListToolsObservation(
                tools=[],
                metadata={
                    "error": "no episode yet: its tools depend on the scenario; reset first",
                    "error_type": "list_tools_failed",
                },
            )
        return ListToolsObservation(
            tools=[
                Tool(name=tool.name, description=tool.description, input_schema=tool.parameters)
                for tool in self.session.tools
            ]
        )

    @property
    def state(self) -> ApibenchState:
        """The episode's ids, counts and, once it has ended, its outcome."""
        session = self.session
        if session is None:
            return ApibenchState()
        outcome = _outcome(session)
        return ApibenchState(
            episode_id=self.episode_id,
            step_count=len(session.history),
            env_steps=outcome.pop("steps"),
            done=session.done,
            **outcome,
        )

    def list_splits(self) -> list[str]:
        """The Task API's splits (:data:`SPLITS`)."""
        return list(SPLITS)

    def list_tasks(self, split: str) -> list[dict[str, Any]]:
        """The tasks of ``split``: its scenarios, in id order."""
        return [{"id": scenario, "index": i} for i, scenario in enumerate(_scenarios(split))]

    def num_tasks(self, split: str) -> int:
        """How many scenarios ``split`` has."""
        return len(_scenarios(split))

    def get_task(self, split: str, index: int) -> dict[str, Any]:
        """Task ``index`` of ``split`` (``IndexError`` out of range)."""
        scenarios = _scenarios(split)
        if not 0 <= index < len(scenarios):
            raise IndexError(f"split {split!r} has tasks 0 to {len(scenarios) - 1}, not {index}")
        return {"id": scenarios[index], "index": index}

    def get_task_range(
        self, split: str, start: int | None = None, stop: int | None = None
    ) -> list[dict[str, Any]]:
        """Tasks ``start`` to ``stop`` (exclusive) of ``split``, as a slice takes them."""
        return self.list_tasks(split)[start:stop]

    def get_metadata(self) -> EnvironmentMetadata:
        """The environment's name and description, for OpenEnv's ``/metadata``."""
        from importlib.metadata import version

        return EnvironmentMetadata(
            name="apibench",
            description="Local, deterministic simulations of real HTTP APIs with injectable "
            "faults: a task per scenario, played through its tools and graded by apibench.",
            version=version("apibench"),
        )

    def close(self) -> None:
        """End the episode (a remote one is ended on its server)."""
        if self.session is not None:
            self.session.close()
            self.session = None


def _scenarios(split: str) -> list[str]:
    if split not in SPLITS:
        raise ValueError(f"the splits are {', '.join(SPLITS)}; got {split!r}")
    return gym_apibench.scenario_ids(split=split)


def _content(result: ToolResult) -> dict[str, Any]:
    """A tool result as MCP's ``CallToolResult`` (as FastMCP's tools answer in OpenEnv): the
    text as content, and as ``data``, which OpenEnv's ``MCPToolClient.call_tool`` returns."""
    return {
        "content": [{"type": "text", "text": result.text}],
        "structured_content": None,
        "meta": None,
        "data": result.text,
        "is_error": result.is_error,
    }


def _status(result: ToolResult) -> dict[str, Any]:
    status = (result.observation or {}).get("status")
    return {"status": int(status)} if status is not None else {}


def _refusal(known: bool, result: ToolResult) -> ToolErrorType:
    """OpenEnv's error type for a call the session refused (``known``: the tool exists)."""
    if result.done:  # the episode had already ended
        return ToolErrorType.EXECUTION_ERROR
    return ToolErrorType.INVALID_ARGS if known else ToolErrorType.TOOL_NOT_FOUND


def _failed(
    tool: str, message: str, kind: ToolErrorType = ToolErrorType.EXECUTION_ERROR
) -> CallToolObservation:
    return CallToolObservation(
        tool_name=tool, result=None, error=ToolError(error_type=kind, message=message)
    )


def _outcome(session: ToolSession) -> dict[str, Any]:
    """The session's result without the grade's checks (they name the expected answers)."""
    return {k: v for k, v in session.result().items() if k != "checks"}
