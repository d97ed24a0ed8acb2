"""The control plane of a served episode: score, reset and health, behind a bearer token.

It is mounted by the :class:`~mockapis.gateway.Gateway` under its control prefix, outside
every service and every spec. Only the control token opens it: the agent's service
credentials are never accepted, whatever they are.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from json import JSONDecodeError
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from mockapis.kit.responses import JSONResponse

__all__ = ["control_app", "new_token"]

Handler = Callable[[Request], Awaitable[Response]]


def new_token() -> str:
    """A fresh random control token (from :mod:`secrets`; never part of an episode's seed)."""
    return secrets.token_urlsafe(32)


def control_app(
    token: str,
    score: Callable[[], Mapping[str, Any]],
    reset: Callable[[], None],
    *,
    submit: Callable[[Any], None] | None = None,
) -> ASGIApp:
    """The control ASGI app.

    ``GET /health`` answers ``{"status": "ok"}``; ``GET /score`` returns ``score()`` (the
    reward, success and checks of the current world); ``POST /reset`` restores the episode's
    initial state; ``POST /submit`` (only if ``submit`` is given) records the JSON body's
    ``answer`` as the episode's answer. Every route needs ``Authorization: Bearer <token>``.
    """
    if not token:
        raise ValueError("the control token must not be empty")

    def guarded(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            if not _authorized(request, token):
                return JSONResponse(
                    {
                        "error": "unauthorized",
                        "message": "the control plane needs Authorization: Bearer <control token>",
                    },
                    401,
                    headers={"WWW-Authenticate": 'Bearer realm="apibench-control"'},
                )
            return await handler(request)

        return endpoint

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def get_score(request: Request) -> Response:
        return JSONResponse(dict(score()))

    async def post_reset(request: Request) -> Response:
        reset()
        return JSONResponse({"reset": True})

    async def post_submit(request: Request) -> Response:
        assert submit is not None
        try:
            payload = await request.json()
        except JSONDecodeError:
            payload = None
        if not isinstance(payload, dict) or "answer" not in payload:
            return JSONResponse(
                {"error": "bad_request", "message": 'the body must be {"answer": <JSON value>}'},
                400,
            )
        submit(payload["answer"])
        return JSONResponse({"submitted": True})

    routes = [
        Route("/health", guarded(health), methods=["GET"]),
        Route("/score", guarded(get_score), methods=["GET"]),
        Route("/reset", guarded(post_reset), methods=["POST"]),
    ]
    if submit is not None:
        routes.append(Route("/submit", guarded(post_submit), methods=["POST"]))
    return Starlette(routes=routes)


def _authorized(request: Request, token: str) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    # Constant-time comparison: the token is the only thing guarding the grader.
    return secrets.compare_digest(credentials.strip().encode(), token.encode())
