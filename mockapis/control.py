"""The control plane's guard: a bearer token that only the operator holds.

The control plane (:mod:`gym_apibench.hosting`) scores, resets and ends served episodes; it
is outside every service and every spec, and only the control token opens it: the agent's
service credentials are never accepted, whatever they are.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.responses import JSONResponse

__all__ = ["authorized", "new_token", "unauthorized"]


def new_token() -> str:
    """A fresh random control token (from :mod:`secrets`; never part of an episode's seed)."""
    return secrets.token_urlsafe(32)


def authorized(request: Request, token: str) -> bool:
    """Whether ``request`` carries ``Authorization: Bearer <token>``."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    # Constant-time comparison: the token is the only thing guarding the grader.
    return secrets.compare_digest(credentials.strip().encode(), token.encode())


def unauthorized() -> Response:
    """The answer to a control request without the control token."""
    return JSONResponse(
        {
            "error": "unauthorized",
            "message": "the control plane needs Authorization: Bearer <control token>",
        },
        401,
        headers={"WWW-Authenticate": 'Bearer realm="apibench-control"'},
    )
