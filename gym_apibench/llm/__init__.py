"""Model-backed agents over OpenAI-compatible Chat Completions endpoints.

- :class:`LLMAgent` (``--agent llm``): tool calling (``http_request`` or one tool per spec
  operation, ``submit``, ``wait``, ``read_docs``).
- :class:`CodeAgent` (``--agent code``): the API-Bench protocol, a program in ``<<CODE>>``
  tags run under limits, its requests relayed to the env one step at a time.

Both take options (:class:`LLMOptions`, :class:`CodeOptions`) and expose the episode's token
usage as ``usage`` and :meth:`~LLMAgent.episode_stats`.
"""

from __future__ import annotations

from gym_apibench.llm.agent import AgentGaveUp, LLMAgent
from gym_apibench.llm.client import ChatClient, ModelEndpointError, Usage
from gym_apibench.llm.code_agent import CodeAgent
from gym_apibench.llm.options import CodeOptions, LLMOptions, OptionsError

__all__ = [
    "AgentGaveUp",
    "ChatClient",
    "CodeAgent",
    "CodeOptions",
    "LLMAgent",
    "LLMOptions",
    "ModelEndpointError",
    "OptionsError",
    "Usage",
]
