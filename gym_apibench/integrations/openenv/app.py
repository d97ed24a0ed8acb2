"""The OpenEnv server of apibench: an app factory and ``apibench openenv``."""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Sequence
from typing import Any

from openenv.core.env_server.http_server import create_app as openenv_app

from gym_apibench.hosting import TOKEN_VARIABLE
from gym_apibench.integrations.openenv.environment import ApibenchEnvironment
from gym_apibench.integrations.openenv.models import (
    ApibenchObservation,
    ApibenchState,
    CallToolAction,
    CallToolObservation,
)
from gym_apibench.llm.toolset import ToolStyle

__all__ = ["create_app", "main"]


def create_app(
    *,
    scenario: str | None = None,
    tools: ToolStyle = "both",
    max_result_chars: int = 8_000,
    server: str | None = None,
    server_token: str | None = None,
    max_sessions: int = 16,
) -> Any:
    """OpenEnv's FastAPI app over :class:`ApibenchEnvironment`: a WebSocket session (``/ws``)
    per client, each with its own episode, at most ``max_sessions`` at once, plus OpenEnv's
    HTTP routes (``/mcp``, ``/schema``, ``/health``...). ``scenario`` is the default of
    ``reset``; with ``server`` (an apibench episode server's control URL, and its token or
    ``$APIBENCH_CONTROL_TOKEN``) the episodes are played on it."""
    factory = functools.partial(
        ApibenchEnvironment,
        scenario=scenario,
        tools=tools,
        max_result_chars=max_result_chars,
        server=server,
        server_token=server_token,
    )
    return openenv_app(
        factory,
        CallToolAction,
        CallToolObservation,
        env_name="apibench",
        max_concurrent_envs=max_sessions,
        state_cls=ApibenchState,
        reset_observation_cls=ApibenchObservation,
    )


def parser() -> argparse.ArgumentParser:
    """The options of ``apibench openenv``."""
    commands = argparse.ArgumentParser(
        prog="apibench openenv",
        description="Serve apibench episodes as an OpenEnv environment (OpenEnv's clients "
        "connect to ws://HOST:PORT/ws).",
    )
    commands.add_argument("--host", default="127.0.0.1", help="interface (default: loopback)")
    commands.add_argument("--port", type=int, default=8000, help="port (0: a free one)")
    commands.add_argument("--scenario", help="the scenario reset plays when none is named")
    commands.add_argument(
        "--tools",
        choices=("both", "operations", "http"),
        default="both",
        help="one tool per operation, http_request, or both (default)",
    )
    commands.add_argument(
        "--max-result-chars", type=int, default=8_000, help="cut tool results to this length"
    )
    commands.add_argument("--max-sessions", type=int, default=16, help="concurrent sessions")
    commands.add_argument(
        "--server",
        help="play the episodes on this apibench episode server (its control URL; the token "
        f"from ${TOKEN_VARIABLE})",
    )
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until interrupted."""
    import uvicorn

    args = parser().parse_args(argv)
    app = create_app(
        scenario=args.scenario,
        tools=args.tools,
        max_result_chars=args.max_result_chars,
        server=args.server,
        server_token=os.environ.get(TOKEN_VARIABLE) if args.server else None,
        max_sessions=args.max_sessions,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
