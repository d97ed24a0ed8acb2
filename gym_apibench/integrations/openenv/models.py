"""What an apibench OpenEnv environment speaks: OpenEnv's MCP-style tool actions, and the
observation of a reset and the state that are apibench's own."""

from __future__ import annotations

from typing import Any

from openenv.core.env_server.mcp_types import (
    CallToolAction,
    CallToolObservation,
    ListToolsAction,
    ListToolsObservation,
    Tool,
    ToolError,
    ToolErrorType,
)
from openenv.core.env_server.types import Observation, State
from pydantic import Field

__all__ = [
    "ApibenchObservation",
    "ApibenchState",
    "CallToolAction",
    "CallToolObservation",
    "ListToolsAction",
    "ListToolsObservation",
    "Tool",
    "ToolError",
    "ToolErrorType",
]


class ApibenchObservation(Observation):
    """What ``reset`` answers: the episode's task, and its prompt for a tool-calling model.

    The tools are listed by a ``ListToolsAction`` (``list_tools()`` on the client); each
    ``CallToolAction`` then answers a ``CallToolObservation``.
    """

    scenario: str = Field(description="The scenario's id")
    seed: int = Field(description="The seed of the episode's world")
    system: str = Field(
        description="The system prompt: the services' base URLs and the agent's credentials"
    )
    prompt: str = Field(description="The user's message: the task's instruction")
    task: dict[str, Any] = Field(
        description="The task as env.reset gives it (instruction, inputs, services, "
        "credentials, docs, max_steps)"
    )


class ApibenchState(State):
    """The episode's progress (``episode_id`` and ``step_count``, every tool call, are
    OpenEnv's), and its outcome once it has ended. No check of the grade is shown: they name
    the expected answers."""

    scenario: str | None = Field(default=None, description="The scenario's id")
    seed: int | None = Field(default=None, description="The seed of the episode's world")
    env_steps: int = Field(default=0, description="Steps the env took: requests, waits, the submit")
    malformed: int = Field(default=0, description="Calls answered with a tool error")
    done: bool = Field(default=False, description="Whether the episode has ended")
    submitted: bool = Field(default=False, description="Whether it ended with a submit")
    truncated: bool = Field(default=False, description="Whether the step limit ended it")
    reward: float = Field(default=0.0, description="The reward (the grade at the submit)")
    success: bool = Field(default=False, description="Whether every check of the grade passed")
