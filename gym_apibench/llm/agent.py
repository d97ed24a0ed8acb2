"""The LLM tool-calling agent (``--agent llm``): a chat model acting through HTTP tools."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from gym_apibench.llm.client import ChatClient
from gym_apibench.llm.conversation import Conversation
from gym_apibench.llm.options import LLMOptions, parse_options
from gym_apibench.llm.prompts import NO_TOOL_CALL, tool_prompt
from gym_apibench.llm.tools import ToolCall, ToolError, parse_tool_calls, render_observation
from gym_apibench.llm.toolset import Toolset

__all__ = ["AgentGaveUp", "LLMAgent"]


class AgentGaveUp(RuntimeError):
    """The model kept answering with nothing the agent could carry out.

    Raised from ``act()``, so the harness records the episode as ``agent_error:
    AgentGaveUp: ...`` with the reason, and goes on with the next episode.
    """


class ModelBacked:
    """What the model-driven agents share: the endpoint client and per-episode counters."""

    client: ChatClient
    _stats: dict[str, Any]

    @property
    def usage(self) -> Any:
        """Token usage of the current episode (:class:`~gym_apibench.llm.client.Usage`)."""
        return self.client.usage

    def episode_stats(self) -> dict[str, Any]:
        """Usage and outcome counters of the current episode, JSON-ready."""
        return {**self._stats, "usage": self.client.usage.as_dict()}

    def preflight(self) -> None:
        """Called once before a run: a model endpoint that cannot be reached (or refuses
        the key) stops it (:meth:`ChatClient.check_endpoint`), rather than every episode
        failing after its retries."""
        try:
            self.client.check_endpoint()
        finally:
            self.client.close()


class LLMAgent(ModelBacked):
    """A chat model over an OpenAI-compatible endpoint, acting with tool calls.

    Tools: ``http_request`` (or, with ``tools=operations``, one function per operation of the
    task's specs), ``submit``, ``wait`` and ``read_docs``. Each valid tool call is one env
    action; its observation goes back to the model as the call's result (cut to
    ``max_tool_chars``). A malformed output (no choices, no tool call, an unknown tool,
    arguments that are not a JSON object or do not fit the tool) costs no env step: it is
    answered with an error message the model can correct; after ``max_malformed`` such
    outputs in a row, :class:`AgentGaveUp` is raised with the last reason.

    The model is called with the options' ``temperature`` and the episode seed, so one seed
    and the same endpoint answers give the same episode.

    After (or during) an episode, :meth:`episode_stats` returns ``{"usage": {prompt_tokens,
    completion_tokens, total_tokens, calls, retries}, "tool_calls", "malformed",
    "failure"}``; ``usage`` is the same :class:`~gym_apibench.llm.client.Usage` object.
    """

    name = "llm"

    def __init__(
        self,
        options: LLMOptions | Mapping[str, Any] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = (
            options if isinstance(options, LLMOptions) else parse_options(LLMOptions, options)
        )
        self.client = ChatClient(self.options, transport=transport, sleep=sleep)
        self._task: Mapping[str, Any] = {}
        self._seed = 0
        self._conversation = Conversation("", "", max_turns=1, max_tokens=1)
        self._toolset = Toolset({})
        self._tools: list[dict[str, Any]] = []
        self._queue: deque[ToolCall] = deque()
        self._pending: tuple[ToolCall, int] | None = None
        self._replied = False
        self._acted = False
        self._malformed_run = 0
        self._last_problem = ""
        self._stats: dict[str, Any] = {}

    def close(self) -> None:
        """Close the connection to the model endpoint."""
        self.client.close()

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start an episode: the prompt from ``task``, the tools, fresh counters."""
        self._task = task
        self._seed = seed
        operations = self.options.tools == "operations"
        system, user = tool_prompt(task, operations=operations)
        self._conversation = Conversation(
            system, user, max_turns=self.options.max_turns, max_tokens=self.options.context_tokens
        )
        self._toolset = Toolset(
            task,
            self.options.tools,
            max_result_chars=self.options.max_tool_chars,
            max_docs_chars=self.options.max_docs_chars,
        )
        self._tools = self._toolset.declarations()
        self._queue.clear()
        self._pending = None
        self._replied = self._acted = False
        self._malformed_run = 0
        self._last_problem = ""
        self.client.reset_usage()
        self._stats = {"tool_calls": 0, "malformed": 0, "failure": None}

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The next action: the next tool call of the model's latest reply, or a new reply's."""
        if self._pending is not None:
            call, limit = self._pending
            self._conversation.tool_result(call.id, render_observation(observation, limit))
            self._pending = None
        while True:
            if self._queue:
                call = self._queue.popleft()
                try:
                    action, limit = self._action(call)
                except ToolError as exc:
                    self._conversation.tool_result(call.id, f"Error: {exc}")
                    self._last_problem = str(exc)
                    continue
                self._stats["tool_calls"] += 1
                self._acted = True
                self._malformed_run = 0
                if "submit" not in action:
                    self._pending = (call, limit)
                return action
            if self._replied and not self._acted:
                self._malformed(self._last_problem)
            self._ask()

    def _ask(self) -> None:
        """Get the model's next reply and queue its tool calls."""
        reply = self.client.complete(self._conversation.view(), tools=self._tools, seed=self._seed)
        self._replied, self._acted = True, False
        if reply.message is None:
            self._last_problem = "the model endpoint returned no choices"
            return
        calls = parse_tool_calls(reply.message)
        # The history holds the calls as parsed (ids filled in, arguments as text), so each
        # tool result answers an id the endpoint saw, whatever shape the server sent.
        self._conversation.assistant(
            {
                "content": reply.message.get("content"),
                "tool_calls": [call.as_message() for call in calls],
            }
        )
        if not calls:
            self._last_problem = "the reply has no tool call"
            self._conversation.note(NO_TOOL_CALL)
            return
        self._queue.extend(calls)

    def _malformed(self, problem: str) -> None:
        self._stats["malformed"] += 1
        self._malformed_run += 1
        if self._malformed_run >= self.options.max_malformed:
            reason = f"{self._malformed_run} malformed model outputs in a row; last: {problem}"
            self._stats["failure"] = reason
            raise AgentGaveUp(reason)

    def _action(self, call: ToolCall) -> tuple[dict[str, Any], int]:
        """The env action of ``call`` and the length limit of its result."""
        if not call.name:
            raise ToolError("a tool call without a function name")
        return self._toolset.action(call.name, call.parsed())
