"""apibench as an Inspect AI task: ``inspect eval gym_apibench/integrations/inspect_tasks.py``.

:func:`apibench` is a task whose samples are (scenario, seed) episodes. Each sample's setup
opens a :class:`~gym_apibench.integrations.session.ToolSession` (kept in the sample's store,
closed by the task's cleanup), puts the task's prompt in the conversation and the
episode's tools in ``state.tools``: one Inspect tool per documented operation, plus
``http_request``, ``submit``, ``wait`` and ``read_docs``, with the session's JSON Schemas.
The solver, :func:`episode_agent`, asks the model and carries out its tool calls until the
episode ends (the submit, or the step limit), as apibench's own ``llm`` agent does; the
scorer, :func:`episode_score`, is apibench's grade: the env's reward, with success, the
checks, steps and malformed calls in the score's metadata.

A call whose arguments break the tool's schema gets Inspect's tool error (a ``parsing``
error, from Inspect's own check) and the sample goes on; one apibench rejects on a closer
look (an unknown argument of an operation, an unknown service for ``read_docs``) gets an
Inspect tool error too. Neither costs an env step; both count as malformed.

Needs the ``inspect`` extra: ``pip install 'apibench[inspect]'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

try:
    from inspect_ai import Task, task
    from inspect_ai.dataset import Sample
    from inspect_ai.model import ChatMessageSystem, ChatMessageTool, ChatMessageUser, GenerateConfig
    from inspect_ai.scorer import (
        Metric,
        SampleScore,
        Score,
        Scorer,
        Target,
        mean,
        metric,
        scorer,
        stderr,
    )
    from inspect_ai.solver import Generate, Solver, TaskState, solver
    from inspect_ai.tool import ToolDef, ToolError, ToolParams
    from inspect_ai.util import JSONSchema
except ImportError as exc:  # pragma: no cover - the core install has no Inspect
    raise ImportError(
        "the Inspect AI adapter needs the inspect extra: pip install 'apibench[inspect]'"
    ) from exc

from gym_apibench.cli import parse_seeds
from gym_apibench.harness import resolve_scenarios
from gym_apibench.integrations.session import ToolSession
from gym_apibench.llm.options import LLMOptions
from gym_apibench.llm.prompts import NO_TOOL_CALL
from gym_apibench.llm.toolset import Tool, ToolStyle

__all__ = [
    "apibench",
    "episode_agent",
    "episode_score",
    "episode_setup",
    "inspect_tool",
    "session_of",
    "success_rate",
]

SESSION = "apibench_session"
"""The store key of a sample's :class:`ToolSession` (logged as null: it is not JSON)."""

_KEPT = set(JSONSchema.model_fields)


def _inspect_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` in the JSON Schema that Inspect's :class:`JSONSchema` holds: ``oneOf`` as
    ``anyOf``, ``const`` as a one-value ``enum``, ``allOf`` merged; keywords it has no field
    for (``minItems``, ``maxProperties``...) are left out, and the service answers a request
    that breaks them with its own 400, as the real API does."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {name: _inspect_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = _inspect_schema(value)
        elif key in ("anyOf", "oneOf") and isinstance(value, list):
            out["anyOf"] = [_inspect_schema(sub) for sub in value]
        elif key == "const":
            out["enum"] = [value]
        elif key in _KEPT:
            out[key] = value
    for sub in schema.get("allOf") or []:
        for key, value in _inspect_schema(sub).items():
            if key == "properties":
                out[key] = {**value, **out.get(key, {})}
            elif key == "required":
                out[key] = sorted({*value, *out.get(key, [])})
            else:
                out.setdefault(key, value)
    return out


def inspect_tool(session: ToolSession, tool: Tool) -> ToolDef:
    """``tool`` of ``session`` as an Inspect tool: its schema, and a call carried out by the
    session (an apibench :class:`ToolError` when the session rejects the call)."""
    schema = _inspect_schema(tool.parameters)
    parameters = ToolParams(
        # Inspect requires a description of every argument; the name stands in where the
        # spec gives none.
        properties={
            name: JSONSchema.model_validate({"description": name, **sub})
            for name, sub in schema.get("properties", {}).items()
        },
        required=list(schema.get("required", [])),
        # JSON Schema admits undeclared arguments unless it says otherwise (ToolParams
        # defaults to False); the session rejects those an operation does not take.
        additionalProperties=tool.parameters.get("additionalProperties", True),
    )

    # Inspect passes the arguments through as they are to a function of **kwargs: Any.
    async def call(**kwargs: Any) -> str:
        if session.done:  # calls after the submit in the same reply: dropped, as the llm agent does
            raise ToolError("the episode has ended; nothing was sent")
        result = session.call(tool.name, kwargs)
        if session.history[-1].error is not None:
            raise ToolError(result.text.removeprefix("Error: "))
        return result.text

    return ToolDef(call, name=tool.name, description=tool.description, parameters=parameters)


def session_of(state: TaskState) -> ToolSession:
    """The sample's :class:`ToolSession` (opened by :func:`episode_setup`)."""
    session = state.store.get(SESSION)
    if not isinstance(session, ToolSession):
        raise RuntimeError("the sample has no apibench session: the task's setup opens it")
    return session


@solver
def episode_setup(
    tools: ToolStyle = "both", max_result_chars: int = 8_000, **env_options: Any
) -> Solver:
    """Open the sample's episode (its metadata's scenario and seed): the session in the
    store, the task's prompt as the conversation, its tools as ``state.tools``."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        scenario, seed = state.metadata["scenario"], int(state.metadata["seed"])
        session = ToolSession(
            scenario, seed, tools=tools, max_result_chars=max_result_chars, **env_options
        )
        state.store.set(SESSION, session)
        system, user = session.prompt()
        state.messages = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
        state.tools = [inspect_tool(session, tool) for tool in session.tools]
        return state

    return solve


@solver
def episode_agent(max_malformed: int = LLMOptions.max_malformed) -> Solver:
    """Ask the model and carry out its tool calls until the episode ends (the submit, or the
    step limit); after ``max_malformed`` replies in a row without a call that reached the
    env, give up (the episode scores 0, as an unsubmitted one does)."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        session = session_of(state)
        idle = 0
        while not session.done and not state.completed and idle < max_malformed:
            steps = session.steps
            state = await generate(state, tool_calls="single")
            if not state.output.message.tool_calls:
                state.messages.append(ChatMessageUser(content=NO_TOOL_CALL))
            idle = 0 if session.steps > steps else idle + 1
        return state

    return solve


@metric
def success_rate() -> Metric:
    """The share of samples whose episode succeeded (a reward can be partial: the share of
    goal checks passed)."""

    def compute(scores: list[SampleScore]) -> float:
        wins = sum(1 for s in scores if (s.score.metadata or {}).get("success"))
        return wins / len(scores) if scores else 0.0

    return compute


@scorer(metrics=[mean(), stderr(), success_rate()])
def episode_score() -> Scorer:
    """apibench's grade of the sample's episode: the reward as the value; success, the
    checks, steps, malformed calls and whether it submitted as metadata."""

    async def score(state: TaskState, target: Target) -> Score:
        session = session_of(state)
        result = session.result()
        # Calls Inspect rejected by the schema never reached the session.
        rejected = sum(
            1
            for m in state.messages
            if isinstance(m, ChatMessageTool) and m.error is not None and m.error.type == "parsing"
        )
        result["malformed"] += rejected
        passed = sum(1 for check in session.checks if check.get("passed"))
        return Score(
            value=result["reward"],
            explanation=f"{passed} of {len(session.checks)} checks passed",
            metadata=result,
        )

    return score


async def _close(state: TaskState) -> None:
    session = state.store.get(SESSION)
    if isinstance(session, ToolSession):
        session.close()


@task
def apibench(
    scenarios: str = "all",
    seeds: str = "0",
    tools: ToolStyle = "both",
    faults: str | None = None,
    max_steps: int | None = None,
    max_result_chars: int = 8_000,
    max_malformed: int = LLMOptions.max_malformed,
    server: str | None = None,
    server_token: str | None = None,
) -> Task:
    """apibench's episodes as an Inspect task.

    ``scenarios``: comma-separated globs of scenario ids (``all``, ``stripe.*``,
    ``attio.*.faulty``), as ``apibench eval --scenarios``; ``seeds``: ``0-4``, ``17,101``;
    ``tools``: ``both`` (operations and ``http_request``), ``operations`` or ``http``;
    ``faults``: a fault rules YAML file added to each scenario's own; ``max_steps``: the
    step limit (the scenario's by default); ``max_result_chars``: where a tool result is cut;
    ``server``/``server_token``: play on an episode server (``apibench serve-episodes``).
    """
    globs = [g.strip() for g in scenarios.split(",") if g.strip()]
    samples = [
        Sample(
            id=f"{scenario}@{seed}",
            input=f"apibench episode {scenario} at seed {seed}",
            metadata={"scenario": scenario, "seed": seed},
        )
        for scenario in resolve_scenarios(globs)
        for seed in parse_seeds(str(seeds))
    ]
    env_options: dict[str, Any] = {"faults": faults}
    if max_steps is not None:  # gym.make's TimeLimit, which the env follows
        env_options["max_episode_steps"] = max_steps
    if server is not None:
        env_options.update(server=server, server_token=server_token)
    return Task(
        dataset=samples,
        setup=episode_setup(tools, max_result_chars, **env_options),
        solver=episode_agent(max_malformed),
        scorer=episode_score(),
        cleanup=_close,
        # The session cuts results at max_result_chars; Inspect's own cut (16 KB) would
        # clip read_docs and make the two limits disagree.
        config=GenerateConfig(max_tool_output=0),
        name="apibench",
    )
