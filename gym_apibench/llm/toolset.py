"""The tools of one task, and a tool call turned into an env action: framework-neutral.

A :class:`Toolset` is what every tool-calling front end shares: the built-in ``llm`` agent,
the MCP server, and the Inspect AI, verifiers and OpenEnv adapters
(:mod:`gym_apibench.integrations`). Its tools are, by ``style``, the generic
``http_request``, one tool per OpenAPI operation of the task's services (generated from
``specs/``), or both, then ``submit``, ``wait`` and ``read_docs``. :meth:`Toolset.action`
maps a call to the env action it stands for, or raises
:class:`~gym_apibench.llm.tools.ToolError` with a message the caller can correct; nothing
reaches the env before the call is understood.

Credentials are never applied by the tools: the task gives them, and the caller sends them
(the ``headers`` argument), as an agent on the real API would; obtaining them is part of
several tasks (OAuth flows, signatures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gym_apibench.llm.operations import OperationTool, operation_tools
from gym_apibench.llm.tools import GENERIC_TOOLS, ToolError, control_tools, http_action

__all__ = ["Tool", "ToolStyle", "Toolset"]

ToolStyle = Literal["http", "operations", "both"]
"""``http``: the generic ``http_request``; ``operations``: one tool per documented operation;
``both``: the operations' tools and ``http_request`` (what the framework adapters offer)."""


@dataclass(frozen=True)
class Tool:
    """One tool: its name, its description and the JSON Schema of its arguments (an object)."""

    name: str
    description: str
    parameters: dict[str, Any]

    def as_function(self) -> dict[str, Any]:
        """The tool's Chat Completions declaration."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


def _tool(declaration: Mapping[str, Any]) -> Tool:
    function = declaration["function"]
    return Tool(
        str(function["name"]),
        str(function.get("description", "")),
        dict(function.get("parameters") or {"type": "object", "properties": {}}),
    )


class Toolset:
    """The tools of ``task`` (the env's ``info["task"]``) in ``style``, and their actions.

    ``max_result_chars`` and ``max_docs_chars`` are the length limits a caller should cut a
    call's rendered result to (:meth:`action` returns the one that applies).
    """

    def __init__(
        self,
        task: Mapping[str, Any],
        style: ToolStyle = "http",
        *,
        max_result_chars: int = 8_000,
        max_docs_chars: int = 40_000,
    ) -> None:
        if style not in ("http", "operations", "both"):
            raise ValueError(f"tool style is 'http', 'operations' or 'both', got {style!r}")
        self.task = task
        self.style = style
        self.max_result_chars = max_result_chars
        self.max_docs_chars = max_docs_chars
        services = sorted(task.get("services", {}))
        self.operations: dict[str, OperationTool] = (
            {t.name: t for t in operation_tools(services)} if style != "http" else {}
        )
        declarations = [
            *(t.as_tool() for t in self.operations.values()),
            *(GENERIC_TOOLS if style != "operations" else ()),
            *control_tools(services),
        ]
        self.tools: list[Tool] = [_tool(d) for d in declarations]

    def declarations(self) -> list[dict[str, Any]]:
        """Every tool as a Chat Completions function declaration."""
        return [tool.as_function() for tool in self.tools]

    def action(self, name: str, arguments: Any) -> tuple[dict[str, Any], int]:
        """The env action of a call of ``name`` with ``arguments`` (a JSON object), and the
        length limit of its rendered result; :class:`ToolError` when the call is malformed."""
        if not name:
            raise ToolError("a tool call without a function name")
        if not isinstance(arguments, Mapping):
            raise ToolError(f"the arguments of {name} must be a JSON object, got {arguments!r}")
        limit = self.max_result_chars
        if name == "submit":
            if "answer" not in arguments:
                raise ToolError("submit takes one parameter, answer (the answer as JSON)")
            return {"submit": arguments["answer"]}, limit
        if name == "wait":
            seconds = arguments.get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise ToolError(f"wait takes seconds, a number >= 0; got {seconds!r}")
            return {"wait": seconds}, limit
        if name == "read_docs":
            docs = self.task.get("docs", {})
            service = arguments.get("service")
            if service not in docs:
                raise ToolError(f"read_docs: unknown service {service!r}; services: {sorted(docs)}")
            return {"method": "GET", "url": docs[service]}, self.max_docs_chars
        tool = self.operations.get(name)
        if tool is not None:
            return tool.action(arguments, self.task["services"][tool.service]), limit
        if name == "http_request" and self.style != "operations":
            return http_action(arguments), limit
        names = [t.name for t in self.tools]
        shown = ", ".join(names[:30]) + (", ..." if len(names) > 30 else "")
        raise ToolError(f"unknown tool {name!r}; the tools are: {shown}")
