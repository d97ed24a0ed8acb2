"""The three-legged flow's endpoints: request token, the authorize pages, access token, and
token invalidation (RFC 5849 section 2)."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qsl

from authlib.common.urls import add_params_to_uri  # type: ignore[import-untyped]
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mockapis.kit.context import world_of
from mockapis.kit.parsing import read_body
from mockapis.ledgerly import pages
from mockapis.ledgerly.access import guarded
from mockapis.ledgerly.oauth import (
    ACCESS_TOKENS,
    CONSUMERS,
    REQUEST_TOKENS,
    USERS,
    Authority,
    Protector,
    new_secret,
    now_s,
    prepare,
)
from mockapis.ledgerly.problems import FORM_TYPE
from mockapis.tables import Record

__all__ = ["AUTHORIZE_PATH", "ROUTES"]

AUTHORIZE_PATH = "/oauth/authorize"


async def request_token(request: Request) -> Response:
    """Temporary credentials for a signed request with ``oauth_callback``."""
    authority = Authority(world_of(request))
    prepared = await prepare(request)
    response: Response = authority.create_temporary_credentials_response(
        (prepared, ["oauth_callback"])
    )
    return response


async def access_token(request: Request) -> Response:
    """Token credentials for an authorized request token and its verifier."""
    authority = Authority(world_of(request))
    prepared = await prepare(request)
    response: Response = authority.create_token_response(
        (prepared, ["oauth_token", "oauth_verifier"])
    )
    return response


async def invalidate_token(request: Request) -> Response:
    """Revoke the access token that signed this request."""
    world = world_of(request)
    principal = Protector(world).authenticate(await prepare(request))
    token = principal.token
    assert token is not None
    world.table(ACCESS_TOKENS).put(token["oauth_token"], {**token, "revoked_at": now_s(world)})
    return Response(
        f"oauth_token={token['oauth_token']}&revoked=true",
        media_type=FORM_TYPE,
        headers={"Cache-Control": "no-store"},
    )


# -- the resource owner's pages ------------------------------------------------------------


def _pending(request: Request, token: str) -> tuple[Record | None, Response | None]:
    """The request token awaiting a decision, or the page saying why it cannot be used."""
    world = world_of(request)
    if not token:
        return None, pages.message_page(
            "Missing request token", "Open this page with ?oauth_token=<request token>.", 400
        )
    row = world.table(REQUEST_TOKENS).get(token)
    if row is None:
        return None, pages.message_page("Unknown request token", "No such request token.", 400)
    if row["status"] != "issued":
        return None, pages.message_page(
            "Request token already used",
            f"This request token was already {row['status']}: start the flow again.",
            400,
        )
    if now_s(world) >= row["expires_at"]:
        return None, pages.message_page(
            "Request token expired", "This request token expired: start the flow again.", 400
        )
    return row, None


def _app(request: Request, row: Record) -> str:
    return str(world_of(request).table(CONSUMERS)[row["consumer_key"]]["name"])


def _action(request: Request) -> str:
    return str(request.scope.get("root_path", "")) + AUTHORIZE_PATH


async def authorize_page(request: Request) -> Response:
    """GET: the sign-in form for the request token in ``?oauth_token=``."""
    token = request.query_params.get("oauth_token", "")
    row, refusal = _pending(request, token)
    if row is None:
        assert refusal is not None
        return refusal
    return pages.login_page(_action(request), token, _app(request, row))


async def authorize_submit(request: Request) -> Response:
    """POST: sign in (username, password), then approve or deny (ticket, decision)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        return pages.message_page("Unsupported form", f"Post the form as {FORM_TYPE}.", 415)
    try:
        form = dict(parse_qsl((await read_body(request)).decode("utf-8")))
    except UnicodeDecodeError:
        return pages.message_page("Unreadable form", "The form is not UTF-8.", 400)
    token = form.get("oauth_token", "")
    row, refusal = _pending(request, token)
    if row is None:
        assert refusal is not None
        return refusal
    if "ticket" in form or "decision" in form:
        return _decide(request, row, form)
    world = world_of(request)
    user = world.table(USERS).get(form.get("username", ""))
    if user is None or user["password"] != form.get("password"):
        return pages.login_page(
            _action(request), token, _app(request, row), "Invalid username or password."
        )
    ticket = new_secret(world)
    world.table(REQUEST_TOKENS).put(token, {**row, "ticket": ticket, "username": user["username"]})
    company = world.table("ledgerly.company")["company"]["name"]
    return pages.consent_page(
        _action(request), token, ticket, _app(request, row), user["name"], company
    )


async def authorize(request: Request) -> Response:
    """GET: the sign-in page; POST: sign in, then approve or deny."""
    if request.method == "POST":
        return await authorize_submit(request)
    return await authorize_page(request)


def _decide(request: Request, row: Record, form: dict[str, str]) -> Response:
    world = world_of(request)
    if not row.get("ticket") or form.get("ticket") != row["ticket"]:
        return pages.message_page(
            "Sign in again", "This approval form is stale or forged: sign in again.", 400
        )
    decision = form.get("decision")
    if decision not in ("approve", "deny"):
        return pages.message_page("Choose", "decision must be approve or deny.", 400)
    app, callback = _app(request, row), row["callback"]
    if decision == "deny":
        world.table(REQUEST_TOKENS).put(row["oauth_token"], {**row, "status": "denied"})
        if callback == "oob":
            return pages.message_page("Access denied", f"{app} was not connected.", 200)
        params = [("oauth_token", row["oauth_token"]), ("oauth_problem", "permission_denied")]
        return RedirectResponse(add_params_to_uri(callback, params), 302)
    grant = SimpleNamespace(credential=SimpleNamespace(row=row), user=row["username"])
    verifier = Authority(world).create_authorization_verifier(grant)
    if callback == "oob":
        return pages.verifier_page(app, verifier)
    params = [("oauth_token", row["oauth_token"]), ("oauth_verifier", verifier)]
    return RedirectResponse(add_params_to_uri(callback, params), 302)


ROUTES = [
    Route("/oauth/request_token", guarded(request_token), methods=["POST"]),
    Route(AUTHORIZE_PATH, guarded(authorize), methods=["GET", "POST"]),
    Route("/oauth/access_token", guarded(access_token), methods=["POST"]),
    Route("/oauth/invalidate_token", guarded(invalidate_token), methods=["POST"]),
]
