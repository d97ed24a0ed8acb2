"""apibench as a verifiers environment (Prime Intellect's ``verifiers``, its ``v1`` API).

verifiers 0.4 builds an environment from a *taskset* (the rows and their scoring), run by a
*harness* (the program the model runs in) against an OpenAI-compatible endpoint. This module
is such a package (exported as :mod:`apibench_verifiers`, so ``vf-eval apibench-verifiers``
runs it):

- :class:`ApibenchTaskset` yields one :class:`EpisodeTask` per (scenario, seed): its prompt
  is :meth:`ToolSession.prompt`'s (system and user), its data the scenario, seed and env
  options.
- The tools are a per-rollout tool server (:class:`EpisodeTools`, an MCP server verifiers
  launches for each rollout and stops after it): it opens the rollout's own
  :class:`~gym_apibench.integrations.session.ToolSession` from the task's data, offers the
  session's tools with their JSON Schemas, and carries out each call through
  :meth:`ToolSession.call`; a malformed call is answered with the session's error (an MCP
  tool error), and the rollout goes on.
- After each call the tool server writes the session's :meth:`~ToolSession.result` into the
  rollout's state, which verifiers syncs back to the trace: the rollout stops once the
  episode has ended (a submit, or the step limit), and the task's reward *is* apibench's
  reward; success, steps and malformed calls are metrics.
- :class:`ApibenchHarness`, the package's default harness, is verifiers' tool-only chat loop
  (``null``): the model gets the episode's tools and nothing else (no shell on the machine
  that holds the grader).

:func:`load_environment` builds the same environment in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

try:
    import verifiers.v1 as vf
    from verifiers.v1.harnesses import NullHarness
except ImportError as exc:  # pragma: no cover - the message is the point
    raise ImportError(
        "the verifiers environment needs the verifiers extra: pip install 'apibench[verifiers]'"
    ) from exc

from pydantic import Field

from gym_apibench.integrations.session import ToolSession

__all__ = [
    "ApibenchHarness",
    "ApibenchTaskset",
    "EpisodeData",
    "EpisodeState",
    "EpisodeTask",
    "EpisodeTools",
    "load_environment",
]

TASKSET_ID = "apibench-verifiers"
"""What ``vf-eval`` and ``--env.taskset.id`` name this taskset by: the package
:mod:`apibench_verifiers`, which exports it (verifiers imports an id as a top-level module)."""

ToolStyle = Literal["http", "operations", "both"]


class EpisodeData(vf.TaskData):  # type: ignore[misc]
    """One row: the scenario and seed, the tool style, and ``gym.make`` options."""

    scenario: str
    seed: int
    tools: ToolStyle = "both"
    max_result_chars: int = 8_000
    env_options: dict[str, Any] = Field(default_factory=dict)


def open_session(data: EpisodeData) -> ToolSession:
    """The episode of ``data``, reset at its seed."""
    return ToolSession(
        data.scenario,
        data.seed,
        tools=data.tools,
        max_result_chars=data.max_result_chars,
        **data.env_options,
    )


class EpisodeState(vf.State):  # type: ignore[misc]
    """A rollout's state, written by its tool server: the session's result after each call."""

    result: dict[str, Any] | None = None
    done: bool = False


def _raw_arguments_metadata() -> Any:
    """MCPServer argument handling that hands a call's arguments over as they came.

    MCPServer derives a tool's schema and validation from a Python signature; these tools
    have the specs' JSON Schemas, and :meth:`ToolSession.call` checks a call against them
    (a misfit is the model's error to correct, not a protocol error).
    """
    from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
    from pydantic import ConfigDict

    class RawArguments(ArgModelBase):
        model_config = ConfigDict(extra="allow")

        def model_dump_one_level(self) -> dict[str, Any]:
            return {"arguments": dict(self.model_extra or {})}

    return FuncMetadata(arg_model=RawArguments)


class EpisodeTools(vf.Toolset[vf.ToolsetConfig, EpisodeState]):  # type: ignore[misc]
    """The tools of one rollout's episode, as an MCP server (one per rollout)."""

    TOOL_PREFIX = None  # the tools keep their own names (http_request, submit...)

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self.session: ToolSession | None = None

    async def setup_task(self, task: EpisodeData) -> None:
        self.session = open_session(task)
        self._exit_stack.callback(self.session.close)

    def register(self, mcp: Any) -> None:
        from mcp_types import CallToolResult, TextContent

        session = self.session
        assert session is not None, "the tool server has no task"
        metadata = _raw_arguments_metadata()

        def handler(name: str) -> Any:
            async def call(arguments: dict[str, Any]) -> Any:
                result = session.call(name, arguments)
                self.state.result = session.result()
                self.state.done = session.done
                return CallToolResult(
                    content=[TextContent(type="text", text=result.text)],
                    is_error=result.is_error,
                )

            return call

        for tool in session.tools:
            # _with_state syncs the rollout's state around the call, as Toolset.register does.
            mcp.add_tool(
                self._with_state(handler(tool.name)), name=tool.name, description=tool.description
            )
            # mcp==2.0.0 (verifiers pins it) has no public way to give a tool its own schema.
            registered = mcp._tool_manager.get_tool(tool.name)
            registered.parameters = tool.parameters
            registered.fn_metadata = metadata


class EpisodeTaskConfig(vf.TaskConfig):  # type: ignore[misc]
    """Each task's knobs: where its tool server runs (``--env.taskset.task.tools.*``)."""

    tools: vf.ToolsetConfig = vf.ToolsetConfig()


class EpisodeTask(vf.Task[EpisodeData, EpisodeState, EpisodeTaskConfig]):  # type: ignore[misc]
    """An episode: its tools, its end, and apibench's grade as the reward."""

    @property
    def key(self) -> str:
        return f"{self.data.scenario}@{self.data.seed}"

    @classmethod
    def toolsets(cls, config: EpisodeTaskConfig) -> list[Any]:
        return [EpisodeTools(config.tools)]

    async def finalize(self, trace: vf.Trace, runtime: Any) -> None:
        """The episode's outcome (reward, checks, steps...) goes on the trace's info."""
        trace.info["apibench"] = trace.state.result

    @vf.stop  # type: ignore[untyped-decorator]
    async def episode_ended(self, trace: vf.Trace) -> bool:
        """A submit or the step limit ended the episode: no more turns."""
        return bool(trace.state.done)

    @vf.reward  # type: ignore[untyped-decorator]
    async def apibench_reward(self, trace: vf.Trace) -> float:
        """The env's reward at the submit (0 without one), as the eval harness scores it."""
        return float((trace.state.result or {}).get("reward", 0.0))

    @vf.metric  # type: ignore[untyped-decorator]
    async def episode(self, trace: vf.Trace) -> dict[str, float]:
        """Success, whether it submitted, env steps and malformed calls."""
        result = trace.state.result or {}
        return {
            key: float(result.get(key, 0))
            for key in ("success", "submitted", "truncated", "steps", "malformed")
        }


class ApibenchConfig(vf.TasksetConfig):  # type: ignore[misc]
    """The taskset's knobs (``--env.taskset.*``)."""

    scenarios: str = "all"
    """Scenario ids or globs, comma-separated (``all``, ``stripe.*``, ``attio.*.faulty``)."""
    seeds: str = "0-4"
    """Seeds, as ``apibench eval --seeds`` takes them (``0-4``, ``17,101``)."""
    tools: ToolStyle = "both"
    """``both`` (one tool per operation and ``http_request``), ``operations`` or ``http``."""
    faults: str | list[dict[str, Any]] | None = None
    """Fault rules on top of each scenario's own: a YAML file's path, or rule mappings."""
    max_result_chars: int = 8_000
    """The length a tool result is cut to."""
    max_episode_steps: int | None = None
    """The episode's step limit (the scenario's own when unset)."""
    task: EpisodeTaskConfig = EpisodeTaskConfig()


class ApibenchTaskset(vf.Taskset[EpisodeTask, ApibenchConfig]):  # type: ignore[misc]
    """apibench's scenarios at the given seeds, one task per (scenario, seed)."""

    def load(self) -> Iterator[EpisodeTask]:
        from gym_apibench.cli import parse_seeds
        from gym_apibench.harness import resolve_scenarios

        config = self.config
        options: dict[str, Any] = {}
        if config.faults is not None:
            options["faults"] = config.faults
        if config.max_episode_steps is not None:
            options["max_episode_steps"] = config.max_episode_steps
        seeds = parse_seeds(config.seeds)
        for scenario in resolve_scenarios(config.scenarios.split(",")):
            for seed in seeds:
                data = EpisodeData(
                    scenario=scenario,
                    seed=seed,
                    name=f"{scenario}@{seed}",
                    tools=config.tools,
                    max_result_chars=config.max_result_chars,
                    env_options=options,
                )
                # In process a world is the seed's alone, so the rollout's session (made
                # again from this data by its tool server) has the task this prompt states.
                with open_session(data) as session:
                    system, user = session.prompt()
                yield EpisodeTask(
                    data.model_copy(update={"prompt": user, "system_prompt": system}),
                    config.task,
                )


class ApibenchHarness(NullHarness):  # type: ignore[misc]
    """The default harness: verifiers' tool-only chat loop, offering the episode's tools."""


def load_environment(
    scenarios: str = "all",
    seeds: str = "0-4",
    tools: ToolStyle = "both",
    faults: str | list[dict[str, Any]] | None = None,
    **taskset_options: Any,
) -> Any:
    """A verifiers ``SingleAgentEnv`` over apibench's episodes (``taskset_options``: the
    other :class:`ApibenchConfig` fields), its agent the tool-only chat loop on this machine.
    """
    taskset = ApibenchConfig(
        id=TASKSET_ID,
        scenarios=scenarios,
        seeds=seeds,
        tools=tools,
        faults=faults,
        **taskset_options,
    )
    agent = vf.AgentConfig(
        harness=vf.default_agent_harness(TASKSET_ID), runtime=vf.SubprocessConfig()
    )
    return vf.SingleAgentEnv(vf.SingleAgentEnvConfig(taskset=taskset, agent=agent))


if __name__ == "__main__":  # how verifiers starts each rollout's tool server
    EpisodeTools.run()
