"""The OpenEnv server of apibench: OpenEnv's app over it, and ``apibench openenv``."""

from __future__ import annotations

import functools
import socket
import sys
from typing import Any

from openenv.core.env_server.http_server import create_app as openenv_app

from gym_apibench.integrations.openenv.environment import ApibenchEnvironment
from gym_apibench.integrations.openenv.models import (
    ApibenchObservation,
    ApibenchState,
    CallToolAction,
    CallToolObservation,
)
from gym_apibench.llm.toolset import ToolStyle

__all__ = ["create_app", "serve"]


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
    ``reset``; with ``server`` (an apibench episode server's URL, and its control token or
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


def serve(host: str = "127.0.0.1", port: int = 8000, **options: Any) -> None:
    """Serve :func:`create_app` (with ``options``) on ``host:port`` (``0``: a free port) until
    interrupted; its URL is printed on stdout once it listens."""
    import uvicorn

    app = create_app(**options)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))  # bound here, so that port 0's choice can be printed
    sock.listen(2048)  # connections wait in the backlog from here on, until uvicorn accepts
    bound = sock.getsockname()[1]
    where = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"OpenEnv server: http://{where}:{bound} (clients connect to ws://{where}:{bound}/ws)")
    sys.stdout.flush()
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
