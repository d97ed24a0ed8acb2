"""Idempotency keys with Stripe's semantics, for the routes a service opts in.

Wrap an endpoint: ``Route("/v1/charges", idempotent(create_charge), methods=["POST"])``.
A request with an ``Idempotency-Key`` runs once; a retry with the same key and the same
request (method, path and query, body) replays the stored status, headers and body with
``Idempotent-Replayed: true``, and a different request with that key is a 400. Failed
responses are stored and replayed too (as Stripe does): a retry of a declined request is
declined again, and only a new key runs it anew. Keys expire 24 hours (virtual time) after
their first use. The store lives in ``world.runtime``, one per service, so it survives the
rollback of a failed request and resets with the world.

An endpoint wrapper rather than ASGI middleware: it sees the parsed request and the
endpoint's :class:`~starlette.responses.Response` (whose body is already rendered), so it
needs no response buffering, and a service opts in per route in its route table.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.clock import NS_PER_SECOND
from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.kit.responses import JSONResponse

__all__ = ["IDEMPOTENCY_KEY_MAX_LENGTH", "IDEMPOTENCY_KEY_TTL_S", "idempotent"]

IDEMPOTENCY_KEY_TTL_S = 24 * 3600
"""How long a key is remembered after its first use, in seconds of the world's clock."""
IDEMPOTENCY_KEY_MAX_LENGTH = 255
"""The longest key accepted (Stripe's limit)."""

Endpoint = Callable[[Request], Awaitable[Response]]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RUNTIME_KEY = "kit.idempotency"


def idempotent(
    endpoint: Endpoint, *, required: bool = False, namespace: str | None = None
) -> Endpoint:
    """``endpoint`` with idempotency keys; ``required``: a request without a key is a 400.

    ``namespace`` names the key store; by default the service package the endpoint is
    defined in (``mockapis.stripe.charges`` -> ``stripe``), so keys are per service. Safe
    methods (GET, HEAD, OPTIONS) pass straight through.
    """
    store_name = namespace or _service_of(endpoint)

    @functools.wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        if request.method in _SAFE_METHODS:
            return await endpoint(request)
        key = header_value(request, b"idempotency-key")
        if key is None:
            if required:
                raise ApiError(
                    400,
                    f"{request.method} {_route(request)} requires an Idempotency-Key header: "
                    "send a unique key (a UUID, say) and send the same key again when you "
                    "retry, so that a retry never repeats the write.",
                    code="idempotency_key_required",
                )
            return await endpoint(request)
        _check_key(key)
        world = request.scope["world"]
        now_ns: int = world.clock.now_ns
        store = _store(world.runtime, store_name, now_ns)
        fingerprint = _fingerprint(request, await read_body(request))
        entry = store.get(key)
        if entry is not None:
            return _replay(key, entry, fingerprint)
        entry = store[key] = {"fingerprint": fingerprint, "created_ns": now_ns, "response": None}
        try:
            response = await endpoint(request)
        except ApiError as exc:
            response = _rendered(request, exc)
        except BaseException:
            del store[key]  # a crash is a bug, not an outcome to replay
            raise
        if not hasattr(response, "body"):
            del store[key]  # a streamed response cannot be stored, so it is not replayed
            return response
        entry["response"] = (response.status_code, list(response.raw_headers), response.body)
        return response

    return wrapper


def _replay(key: str, entry: dict[str, Any], fingerprint: str) -> Response:
    if entry["fingerprint"] != fingerprint:
        raise ApiError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they "
            f"were first used with. Try using a key other than {key!r} if you meant to "
            "execute a different request.",
            code="idempotency_error",
        )
    if entry["response"] is None:
        raise ApiError(
            409,
            f"There is currently another in-progress request using the Idempotency-Key "
            f"{key!r}. Retry this request later.",
            code="idempotency_key_in_use",
        )
    status, headers, body = entry["response"]
    response = Response(body, status)
    response.raw_headers = [*headers, (b"idempotent-replayed", b"true")]
    return response


def _store(runtime: dict[str, Any], name: str, now_ns: int) -> dict[str, dict[str, Any]]:
    """The service's key store, with the keys older than the TTL forgotten."""
    stores: dict[str, dict[str, dict[str, Any]]] = runtime.setdefault(_RUNTIME_KEY, {})
    store = stores.setdefault(name, {})
    oldest = now_ns - IDEMPOTENCY_KEY_TTL_S * NS_PER_SECOND
    for key in [k for k, e in store.items() if e["created_ns"] <= oldest]:
        del store[key]
    return store


def _check_key(key: str) -> None:
    if not key.strip():
        raise ApiError(
            400, "The Idempotency-Key header is empty; send a unique key.", code="invalid_request"
        )
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise ApiError(
            400,
            f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX_LENGTH} characters; "
            f"got {len(key)}.",
            code="invalid_request",
        )


def _fingerprint(request: Request, body: bytes) -> str:
    """What makes two requests the same: method, route and query, and the body's content
    (a JSON body compared as data, so key order and spacing do not matter)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (request.method, _route(request), request.scope.get("query_string", b"")):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    digest.update(canonical)
    return digest.hexdigest()


def _route(request: Request) -> str:
    """The path as the service sees it (without a ``/<service>`` mount prefix)."""
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _rendered(request: Request, exc: ApiError) -> Response:
    """The error as the service renders it (the service app is the scope's ``app``)."""
    render = getattr(request.scope.get("app"), "render_error", None)
    body = render(exc) if render is not None else {"error": exc.code, "message": exc.message}
    return JSONResponse(body, exc.status, headers=exc.headers)


def _service_of(endpoint: Endpoint) -> str:
    parts = getattr(endpoint, "__module__", "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "mockapis" else ".".join(parts)
