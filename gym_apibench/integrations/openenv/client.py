"""The client side: OpenEnv's tool client, typed for apibench, and a rollout with any of
OpenEnv's LLM clients."""

from __future__ import annotations

import json
from typing import Any

from openenv.core.client_types import StepResult
from openenv.core.llm_client import LLMClient
from openenv.core.mcp_client import MCPToolClient

from gym_apibench.integrations.openenv.models import (
    ApibenchObservation,
    ApibenchState,
    CallToolAction,
    CallToolObservation,
)

__all__ = ["ApibenchEnv", "rollout"]


class ApibenchEnv(MCPToolClient):
    """A session on an apibench OpenEnv server (``apibench openenv``).

    ``reset(scenario=..., seed=...)`` answers an :class:`ApibenchObservation` (the task and
    its prompt); ``list_tools()`` the episode's tools; ``step(CallToolAction(tool_name=...,
    arguments=...))`` a ``CallToolObservation`` with ``reward`` and ``done``; ``state()`` an
    :class:`ApibenchState`. Async, or synchronous through ``.sync()``, as every OpenEnv
    client.
    """

    async def _reset_async(self, **kwargs: Any) -> StepResult[ApibenchObservation]:
        self._tools_cache = None  # another scenario has other tools
        result: StepResult[ApibenchObservation] = await super()._reset_async(**kwargs)
        return result

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[Any]:
        observation = payload.get("observation", {})
        if "prompt" in observation and "task" in observation:
            return StepResult(
                observation=ApibenchObservation(
                    **observation,
                    done=payload.get("done", False),
                    reward=payload.get("reward"),
                ),
                reward=payload.get("reward"),
                done=payload.get("done", False),
                metadata=payload.get("metadata"),
            )
        return super()._parse_result(payload)

    def _parse_state(self, payload: dict[str, Any]) -> ApibenchState:
        return ApibenchState(**payload)

    async def call_tool(self, name: str, **arguments: Any) -> Any:
        """Call tool ``name``: its result's text; ``RuntimeError`` for a tool error, as
        ``MCPToolClient.call_tool`` raises. A step of the episode (``state()`` counts it, and
        a submit ends it), where OpenEnv's production-mode call would bypass ``step``."""
        result = await self.step(CallToolAction(tool_name=name, arguments=arguments))
        observation: CallToolObservation = result.observation
        if observation.error is not None:
            raise RuntimeError(
                f"Tool '{name}' failed: {observation.error.message} "
                f"(type: {observation.error.error_type.value})"
            )
        return _text(observation)


async def rollout(
    env: ApibenchEnv,
    llm: LLMClient,
    *,
    scenario: str,
    seed: int,
    max_turns: int = 200,
    **options: Any,
) -> StepResult[Any]:
    """Play one episode of ``scenario`` at ``seed`` on ``env`` with ``llm`` choosing the
    calls (an OpenEnv :class:`LLMClient`, e.g. ``OpenAIClient`` on any OpenAI-compatible
    endpoint); the last step's result (``reward``, ``done``). ``options`` go to ``reset``.

    The conversation is the reset's prompt, then each turn's tool calls and their results
    (an error's message when a call did not fit its tool); a turn without tool calls, or
    ``max_turns`` turns, ends the rollout before the episode does (reward 0).
    """
    started = await env.reset(scenario=scenario, seed=seed, **options)
    prompt: ApibenchObservation = started.observation
    tools = [
        {"name": t.name, "description": t.description, "inputSchema": t.input_schema}
        for t in await env.list_tools()
    ]
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": prompt.system},
        {"role": "user", "content": prompt.prompt},
    ]
    last: StepResult[Any] = started
    for _ in range(max_turns):
        reply = await llm.complete_with_tools(messages, tools)
        messages.append(reply.to_message_dict())
        if not reply.tool_calls:
            return last
        for call in reply.tool_calls:
            last = await env.step(CallToolAction(tool_name=call.name, arguments=call.args))
            messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": _text(last.observation)}
            )
            if last.done:
                return last
    return last


def _text(observation: CallToolObservation) -> str:
    """What the model is shown of a call: the result's text, or the error's message."""
    if observation.error is not None:
        return f"Error: {observation.error.message}"
    return str((observation.result or {}).get("data", json.dumps(observation.result)))
