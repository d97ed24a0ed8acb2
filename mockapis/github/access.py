"""What every GitHub request goes through: User-Agent, token, API version, rate limit, ETag
and 304.

Two rate-limit buckets, as on GitHub: ``core`` (5000 requests an hour with a token, 60
without) and ``search`` (30 a minute with a token, 10 without), each reported in the
``x-ratelimit-*`` headers of the requests it counts (``x-ratelimit-resource`` names it).
Every response carries GitHub's ``Date`` header (the episode's clock, ``date_header`` of the
service), so that a client can tell how long to wait for ``x-ratelimit-reset``.

Handlers are plain functions of a :class:`Call` returning a :class:`Reply`; :func:`route`
wraps them into Starlette routes that add GitHub's headers to every answer, errors included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.github import versions
from mockapis.github.render import API
from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import NumberedPage, page_links
from mockapis.kit.ratelimit import github_ratelimit
from mockapis.kit.responses import dumps
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "AUTHENTICATED_LIMIT",
    "DOCS",
    "RATE_LIMIT_DOCS",
    "SEARCH_LIMITS",
    "UNAUTHENTICATED_LIMIT",
    "USER_AGENT_REQUIRED",
    "Call",
    "Reply",
    "not_found",
    "page_params",
    "paged",
    "route",
]

DOCS = "https://docs.github.com/rest"
AUTHENTICATED_LIMIT = 5000
UNAUTHENTICATED_LIMIT = 60
SEARCH_LIMITS = (30, 10)
"""The search bucket: requests a minute with a token, and without one."""
USER_AGENT_REQUIRED = (
    "Request forbidden by administrative rules. Please make sure your request has a "
    "User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api"
    "#user-agent-required). Check https://developer.github.com for other possible causes.\n"
)
"""GitHub's body (``text/html``) for a request without a User-Agent."""

_USED = "github.ratelimit_used"


@dataclass(frozen=True)
class Call:
    """One authorised request: the request, the episode's world, the user (None: anonymous)."""

    request: Request
    world: World
    login: str | None

    @property
    def query(self) -> Any:
        """The query parameters."""
        return self.request.query_params

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])


@dataclass(frozen=True)
class Reply:
    """A handler's answer: the JSON body and extra headers (``Link``)."""

    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Reply]


def not_found() -> ApiError:
    """GitHub's 404 (also what a repository you may not see looks like)."""
    return ApiError(404, "Not Found", code="not_found")


def page_params(call: Call, *, max_per_page: int = 100) -> tuple[int, int]:
    """``(page, per_page)`` as GitHub reads them: bad values fall back to the defaults and
    ``per_page`` above 100 counts as 100."""
    page = _lenient_int(call.query.get("page"), 1)
    per_page = _lenient_int(call.query.get("per_page"), 30)
    return max(1, page), max(1, min(per_page, max_per_page))


def _lenient_int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def paged(call: Call, page: NumberedPage[Any], body: Any = None) -> Reply:
    """A page of a listing with GitHub's ``Link`` header (built from the request's own URL)."""
    link = page_links(str(call.request.url), page.page, page.last_page) if page.total else None
    return Reply(page.items if body is None else body, {"Link": link} if link else {})


def route(
    path: str, handler: Handler, *, requires_auth: bool = False, resource: str = "core"
) -> Route:
    """A GET route serving ``handler`` behind GitHub's checks, counted in the ``resource``
    rate-limit bucket (``core`` or ``search``)."""

    async def endpoint(request: Request) -> Response:
        return _serve(request, handler, requires_auth, resource)

    endpoint.__doc__ = handler.__doc__
    return Route(path, endpoint, methods=["GET"])


def _serve(request: Request, handler: Handler, requires_auth: bool, resource: str) -> Response:
    if not header_value(request, b"user-agent"):
        return Response(USER_AGENT_REQUIRED, 403, media_type="text/html; charset=utf-8")
    world: World = request.scope["world"]
    login = _login(request, world)
    rate = _rate_limit(world, login, resource)
    try:
        version = versions.requested(request)
        rate[versions.SELECTED_HEADER] = version  # on every answer from here, errors too
        if login is None and requires_auth:
            raise ApiError(401, "Requires authentication", code="unauthorized")
        if int(rate["x-ratelimit-used"]) > int(rate["x-ratelimit-limit"]):
            raise _rate_limited(request, world, login)
        reply = handler(Call(request, world, login))
    except ApiError as exc:
        exc.headers.update(rate)
        raise
    body = _rebased(request, dumps(versions.shaped(reply.body, version)))
    etag = 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers = {**rate, **reply.headers, "ETag": etag, "Cache-Control": "private, max-age=60"}
    if etag in _tags(header_value(request, b"if-none-match")):
        _refund(world, login, resource)  # GitHub does not count conditional requests answered 304
        return Response(None, 304, headers=headers)
    return Response(body, 200, headers=headers, media_type="application/json; charset=utf-8")


RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"


def _rate_limited(request: Request, world: World, login: str | None) -> ApiError:
    """GitHub's 403 over a primary rate limit: a token's names its user by id, an anonymous
    caller's its address with GitHub's advice to authenticate."""
    if login:
        who = f"user ID {world.table('github.users')[login]['id']}."
    else:
        address = request.client.host if request.client else "127.0.0.1"
        who = (
            f"{address}. (But here's the good news: Authenticated requests get a higher rate "
            "limit. Check out the documentation for more details.)"
        )
    return ApiError(
        403,
        f"API rate limit exceeded for {who}",
        code="rate_limited",
        extra={"documentation_url": RATE_LIMIT_DOCS},
    )


def _rebased(request: Request, body: bytes) -> bytes:
    """``body`` with its API URLs at the root the request reached the API under.

    Clients follow the URLs in objects (PyGithub's ``repo.get_issues()`` requests
    ``repo.url + "/issues"`` and refuses a host other than its base URL's), so served at
    ``http://127.0.0.1:PORT`` they must point there, as GitHub Enterprise's point at its host.
    """
    root = str(request.base_url).rstrip("/")
    if root == API:
        return body
    return body.replace(b'"' + API.encode() + b"/", b'"' + root.encode() + b"/")


def _tags(header: str | None) -> Sequence[str]:
    if not header:
        return ()
    tags = [tag.strip() for tag in header.split(",")]
    # Weak comparison (RFC 9110): W/"x" matches "x".
    return [*tags, *(f"W/{tag}" for tag in tags if not tag.startswith("W/"))]


def _login(request: Request, world: World) -> str | None:
    """The token's user; no Authorization header is an anonymous call; a bad one a 401."""
    header = header_value(request, b"authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    row: Record | None = None
    if scheme.lower() in ("bearer", "token") and token.strip():
        row = world.table("github._tokens").get(token.strip())
    if row is None:
        used = _rate_limit(world, None, "core")
        raise ApiError(401, "Bad credentials", code="unauthorized", headers=used)
    return str(row["login"])


def _bucket(world: World, login: str | None, resource: str) -> tuple[str, int, int]:
    """``(runtime key, limit, reset epoch seconds)`` of the caller's current window."""
    if resource == "search":
        window = world.clock.now_ns // 60_000_000_000  # a fresh bucket every minute
        limit = SEARCH_LIMITS[0] if login else SEARCH_LIMITS[1]
        return f"{_USED}:search:{window}:{login or ''}", limit, (window + 1) * 60
    limit = AUTHENTICATED_LIMIT if login else UNAUTHENTICATED_LIMIT
    return f"{_USED}:{login or ''}", limit, world.epoch_ns // 1_000_000_000 + 3600


def _rate_limit(world: World, login: str | None, resource: str) -> dict[str, str]:
    """Count this request and GitHub's ``x-ratelimit-*`` headers after it."""
    key, limit, reset = _bucket(world, login, resource)
    used = int(world.runtime.get(key, 0)) + 1
    world.runtime[key] = used
    headers = github_ratelimit(
        limit=limit, remaining=max(0, limit - used), reset_at=reset, used=used, resource=resource
    )
    return headers


def _refund(world: World, login: str | None, resource: str) -> None:
    key, _, _ = _bucket(world, login, resource)
    world.runtime[key] = int(world.runtime.get(key, 1)) - 1


def choice(call: Call, name: str, allowed: Iterable[str], default: str, resource: str) -> str:
    """The query value ``name`` among ``allowed`` (``default`` when absent), else GitHub's 422."""
    value = call.query.get(name) or default
    if value not in allowed:
        raise ApiError(
            422,
            "Validation Failed",
            code="validation_failed",
            extra={"errors": [{"resource": resource, "field": name, "code": "invalid"}]},
        )
    return str(value)
