"""Run unmodified httpx code in-process: requests to a scenario's real hostnames become env steps.

Inside ``with httpx_routed(env):``, every ``httpx.Client`` and ``httpx.AsyncClient`` request
to a host of the episode's services (``https://api.stripe.com/...``) is sent as a request
action through ``env.step``, so it is counted against the step budget, graded and recorded
like any other action; a response with status 0 (a transport fault) is raised as the httpx
exception a real network would give. Requests to any other host fail with
``httpx.ConnectError``: nothing leaves the process. Built on respx's transport mock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import respx

from gym_apibench.bodies import BODY_ENCODING_HEADER, body_bytes

__all__ = ["TRANSPORT_ERRORS", "httpx_routed"]

TRANSPORT_ERRORS: dict[str, type[httpx.TransportError]] = {
    "connection_reset": httpx.ReadError,
    "read_timeout": httpx.ReadTimeout,
    "connection_refused": httpx.ConnectError,
    "connect_error": httpx.ConnectError,
    "empty_response": httpx.RemoteProtocolError,
    "garbage": httpx.RemoteProtocolError,
    "truncated_body": httpx.RemoteProtocolError,
}
"""The httpx exception raised for each status-0 error an observation names."""

Step = Callable[[dict[str, Any]], tuple[Any, ...]]


def _action(request: httpx.Request) -> dict[str, Any]:
    headers = {name: ", ".join(request.headers.get_list(name)) for name in request.headers}
    headers.pop("host", None)  # the URL names the host
    action: dict[str, Any] = {"method": request.method, "url": str(request.url), "headers": headers}
    content = request.read()
    if content:
        try:
            action["body"] = content.decode("utf-8")
        except UnicodeDecodeError:
            action["body"] = content
    return action


def _response(observation: Mapping[str, Any], request: httpx.Request) -> httpx.Response:
    status = int(observation.get("status", 0))
    body = str(observation.get("body", ""))
    if status == 0:
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        name = str(data.get("error", "")) if isinstance(data, dict) else ""
        error = TRANSPORT_ERRORS.get(name, httpx.TransportError)
        raise error(
            str(data.get("message", body)) if isinstance(data, dict) else body, request=request
        )
    headers = [(str(k), str(v)) for k, v in dict(observation.get("headers") or {}).items()]
    # The body is already decoded: drop framing headers that no longer describe it, and the
    # marker of a base64 body (the client gets the bytes).
    dropped = ("content-encoding", "content-length", BODY_ENCODING_HEADER)
    headers = [(k, v) for k, v in headers if k.lower() not in dropped]
    content = body_bytes(observation)
    return httpx.Response(status, headers=headers, content=content, request=request)


def _hosts(env: Any) -> list[str]:
    episode = env.unwrapped.episode
    return [host for service in episode.services for host in service.hosts]


@contextmanager
def httpx_routed(env: Any, *, step: Step | None = None) -> Iterator[respx.MockRouter]:
    """Route httpx requests to the real hostnames of ``env``'s services into ``env.step``.

    ``env`` is an apibench env (from ``gym.make``, wrappers included: the step limit applies)
    after ``reset``; ``step`` replaces ``env.step`` (to record or count steps yourself).
    Yields the respx router (its ``calls`` list every request seen).
    """
    send = step if step is not None else env.step

    def handle(request: httpx.Request) -> httpx.Response:
        observation = send(_action(request))[0]
        return _response(observation, request)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(
            f"no simulated service at {request.url.host!r} (in-process mode: hosts "
            f"{', '.join(_hosts(env))})",
            request=request,
        )

    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        for host in _hosts(env):
            router.route(host=host).mock(side_effect=handle)
        router.route().mock(side_effect=refuse)
        yield router
