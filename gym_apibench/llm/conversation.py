"""A chat transcript that fits a budget: the system and task messages plus the latest turns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["Conversation", "estimate_tokens"]

CHARS_PER_TOKEN = 4


def estimate_tokens(message: Mapping[str, Any]) -> int:
    """A rough token count of ``message`` (its JSON length over 4): no tokenizer needed."""
    return len(json.dumps(message, ensure_ascii=False)) // CHARS_PER_TOKEN + 1


class Conversation:
    """The system message, the task message and the turns after them.

    A turn starts with an assistant message and holds what answers it (tool results, the
    agent's notes), so a tool result is never kept without the call it answers. :meth:`view`
    is what is sent: the head, then the last ``max_turns`` turns, fewer while the estimate
    is over ``max_tokens`` (the latest turn is always kept), with a note saying how many
    earlier turns were left out.
    """

    def __init__(self, system: str, task: str, *, max_turns: int, max_tokens: int) -> None:
        self.head: list[dict[str, Any]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": task},
        ]
        self.turns: list[list[dict[str, Any]]] = []
        self.max_turns = max_turns
        self.max_tokens = max_tokens

    def assistant(self, message: Mapping[str, Any]) -> None:
        """Start a turn with the model's ``message`` (only the fields the API takes back)."""
        kept: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            kept["tool_calls"] = message["tool_calls"]
        elif kept["content"] is None:
            kept["content"] = ""  # a null content is only valid beside tool calls
        self.turns.append([kept])

    def tool_result(self, call_id: str, content: str) -> None:
        """Answer the tool call ``call_id`` of the current turn."""
        self._current().append({"role": "tool", "tool_call_id": call_id, "content": content})

    def note(self, content: str) -> None:
        """A message from the agent's side (e.g. "call a tool"), within the current turn."""
        self._current().append({"role": "user", "content": content})

    def _current(self) -> list[dict[str, Any]]:
        if not self.turns:
            self.turns.append([])
        return self.turns[-1]

    def view(self) -> list[dict[str, Any]]:
        """The messages to send now, within the turn and token budgets."""
        kept = self.turns[-self.max_turns :]
        budget = self.max_tokens - sum(estimate_tokens(m) for m in self.head)
        sizes = [sum(estimate_tokens(m) for m in turn) for turn in kept]
        while len(kept) > 1 and sum(sizes) > budget:
            kept, sizes = kept[1:], sizes[1:]
        messages = list(self.head)
        left_out = len(self.turns) - len(kept)
        if left_out:
            messages.append(
                {
                    "role": "user",
                    "content": f"[{left_out} earlier turn{'s' * (left_out != 1)} of this "
                    "conversation were left out to fit the context]",
                }
            )
        for turn in kept:
            messages.extend(turn)
        return messages
