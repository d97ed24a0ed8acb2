"""An episode as a Model Context Protocol server, on the official ``mcp`` SDK.

:class:`EpisodeTools` serves one :class:`~gym_apibench.integrations.session.ToolSession`
through the SDK's low-level server, whose tools are declared with the raw JSON Schemas the
specs generate:

- ``tools/list``: the session's tools (one per OpenAPI operation, ``http_request``,
  ``submit``, ``wait``, ``read_docs``), ``tools/call``: one call of the session, its result
  as text (``isError`` for a malformed call, one that got no HTTP response, or any call after
  the episode ended). Arguments are checked against the tool's schema first: a call that
  breaks it is answered as a tool error and recorded, and sends nothing.
- the task as the prompt ``task`` and the resource ``apibench://task`` (instruction, inputs,
  services, credentials, docs, max_steps: what ``env.reset`` gives); the server's
  instructions are the tool-calling system prompt.

Served two ways: ``apibench mcp`` (:func:`serve_stdio`, one in-process episode over stdio)
and :class:`HostedEndpoint`, the streamable-HTTP endpoint of an episode of the episode
server (``<episode prefix>/mcp``), acting on the hosted world under its lock. Neither shows
more of the grade than the submit's result (reward and success), as the gym's observation.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

try:
    import anyio
    import jsonschema
    from mcp import types
    from mcp.server.context import ServerRequestContext
    from mcp.server.lowlevel import Server
    from mcp.server.stdio import stdio_server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
except ImportError as exc:  # pragma: no cover - the core install has no mcp
    raise ImportError("the MCP server needs the mcp extra: pip install 'apibench[mcp]'") from exc

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from gym_apibench.episode import Episode
from gym_apibench.integrations.session import ToolResult, ToolSession
from gym_apibench.llm.toolset import Tool, ToolStyle

__all__ = ["TASK_PROMPT", "TASK_URI", "EpisodeTools", "HostedEndpoint", "serve_stdio"]

TASK_URI = "apibench://task"
"""The resource holding the task as JSON."""

TASK_PROMPT = "task"
"""The prompt holding the task: what to do, the services and the credentials."""

Context = ServerRequestContext[Any, Any]


class EpisodeTools:
    """One episode's MCP server: ``session``'s tools, prompt and task resource.

    ``lock`` is held around each call that steps the episode (a hosted episode's lock, shared
    with the agent's HTTP requests and the control plane); ``touch`` runs at each call (the
    episode server's idle clock).
    """

    def __init__(
        self,
        session: ToolSession,
        *,
        lock: asyncio.Lock | None = None,
        touch: Callable[[], None] | None = None,
    ) -> None:
        self.session = session
        self.lock = lock or asyncio.Lock()
        self.touch = touch
        self._validators: dict[str, tuple[jsonschema.protocols.Validator, set[str]] | None] = {}

    def server(self) -> Server[Any]:
        """A low-level MCP server of the episode (one per transport: stdio, an HTTP manager)."""
        system, _ = self.session.prompt()
        return Server(
            "apibench",
            version=importlib.metadata.version("apibench"),
            title=f"apibench: {self.session.scenario} (seed {self.session.seed})",
            instructions=system,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
            on_list_prompts=self._list_prompts,
            on_get_prompt=self._get_prompt,
            on_list_resources=self._list_resources,
            on_read_resource=self._read_resource,
        )

    async def _list_tools(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[
                types.Tool(name=t.name, description=t.description, input_schema=t.parameters)
                for t in self.session.tools
            ]
        )

    async def _call_tool(
        self, ctx: Context, params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        name, arguments = params.name, params.arguments or {}
        async with self.lock:
            if self.touch is not None:
                self.touch()
            problem = self.schema_problem(name, arguments)
            if problem is not None:
                result = self.session.refuse(name, arguments, problem)
            else:
                result = self.session.call(name, arguments)
        return _call_result(result)

    def schema_problem(self, name: str, arguments: dict[str, Any]) -> str | None:
        """Why ``arguments`` break the JSON Schema of tool ``name`` (None when they fit, or
        for a tool the session does not have, which the session itself answers).

        A null argument the schema does not require counts as absent, as the tools read it.
        """
        checked = self._validator(name)
        if checked is None:
            return None
        validator, required = checked
        given = {k: v for k, v in arguments.items() if v is not None or k in required}
        error = jsonschema.exceptions.best_match(validator.iter_errors(given))
        if error is None:
            return None
        where = "".join(f"[{p!r}]" for p in error.absolute_path)
        at = f" at {where}" if where else ""
        return f"the arguments of {name} do not fit its input schema{at}: {error.message}"

    def _validator(self, name: str) -> tuple[jsonschema.protocols.Validator, set[str]] | None:
        if name not in self._validators:
            tool = next((t for t in self.session.tools if t.name == name), None)
            self._validators[name] = None if tool is None else _compiled(tool)
        return self._validators[name]

    async def _list_prompts(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(
            prompts=[
                types.Prompt(
                    name=TASK_PROMPT,
                    description="The task of this episode, with the services' base URLs and "
                    "the credentials",
                )
            ]
        )

    async def _get_prompt(
        self, ctx: Context, params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        if params.name != TASK_PROMPT:
            raise ValueError(f"no prompt {params.name!r}; the prompt is {TASK_PROMPT!r}")
        system, user = self.session.prompt()
        return types.GetPromptResult(
            description=f"{self.session.scenario} (seed {self.session.seed})",
            messages=[
                types.PromptMessage(
                    role="user", content=types.TextContent(text=f"{system}\n\nTask: {user}")
                )
            ],
        )

    async def _list_resources(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    uri=TASK_URI,
                    name="task",
                    description="The task as JSON: instruction, inputs, services (base URLs), "
                    "credentials, docs, max_steps",
                    mime_type="application/json",
                )
            ]
        )

    async def _read_resource(
        self, ctx: Context, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        if str(params.uri) != TASK_URI:
            raise ValueError(f"no resource {params.uri!r}; the resource is {TASK_URI}")
        text = json.dumps(self.session.task, indent=2, ensure_ascii=False)
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(uri=TASK_URI, mime_type="application/json", text=text)
            ]
        )


def _compiled(tool: Tool) -> tuple[jsonschema.protocols.Validator, set[str]] | None:
    """A validator of ``tool``'s arguments and the names it requires (None if its schema is no
    valid JSON Schema: such a tool is left to the session's own checks)."""
    schema = tool.parameters
    cls = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError:
        return None
    return cls(schema), set(schema.get("required") or ())


def _call_result(result: ToolResult) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=result.text)], is_error=result.is_error
    )


def serve_stdio(session: ToolSession) -> dict[str, Any]:
    """Serve ``session`` over stdin and stdout until the client closes; its result."""
    tools = EpisodeTools(session)

    async def run() -> None:
        server = tools.server()
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    try:
        anyio.run(run)
    finally:
        session.close()
    return session.result()


class HostedEndpoint:
    """The streamable-HTTP MCP endpoint of one episode the episode server hosts: an ASGI app.

    Its tools act on the hosted world (``episode``) under the episode's ``lock``; the step
    limit counts the endpoint's calls, across its MCP sessions. The SDK's session manager
    runs in a task of its own from the first request until :meth:`close`.
    """

    def __init__(
        self,
        episode: Episode,
        lock: asyncio.Lock,
        *,
        touch: Callable[[], None] | None = None,
        tools: ToolStyle = "both",
    ) -> None:
        self.episode = episode
        self.style: ToolStyle = tools
        self.tools = EpisodeTools(self._session(), lock=lock, touch=touch)
        self.manager = StreamableHTTPSessionManager(app=self.tools.server(), json_response=True)
        self._running: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._closed = asyncio.Event()

    def _session(self) -> ToolSession:
        return ToolSession.of_episode(self.episode, tools=self.style)

    def reset(self) -> None:
        """Start the endpoint's session anew (the control plane reset the world)."""
        self.tools.session = self._session()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._running is None:
            self._running = asyncio.get_running_loop().create_task(self._run())
        await self._ready.wait()
        if self._closed.is_set():
            ended = {"error": "unknown_episode", "message": "this episode has ended"}
            await JSONResponse(ended, 404)(scope, receive, send)
            return
        await self.manager.handle_request(scope, receive, send)

    async def _run(self) -> None:
        manager: AbstractAsyncContextManager[None] = self.manager.run()
        try:
            async with manager:
                self._ready.set()
                await self._closed.wait()
        finally:  # a manager that failed to start answers 404s rather than hanging requests
            self.close()

    def close(self) -> None:
        """Stop serving (the episode ended): its MCP sessions end."""
        self._closed.set()
        self._ready.set()
