"""The authorize page (``GET/POST https://app.hubspot.com/oauth/authorize``): log in, consent.

``GET`` with ``client_id``, ``redirect_uri`` (exactly one the app registered), ``scope``,
``state``, ``response_type=code``, ``code_challenge`` and ``code_challenge_method=S256``
shows an HTML page: a login form (``username``, ``password``) and the scopes asked for, with
Approve and Deny buttons. The form posts to the same URL (query kept) with ``username``,
``password`` and ``decision`` (``approve`` or ``deny``). Approving redirects (302) to
``redirect_uri?code=...&state=...``; denying to ``redirect_uri?error=access_denied``. A wrong
login shows the page again with 401. A bad ``client_id`` or ``redirect_uri`` shows an error
page (400) and never redirects; other errors redirect with ``error`` as RFC 6749 says.
"""

from __future__ import annotations

import hmac
from html import escape

from authlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from mockapis.hubspot.access import route
from mockapis.hubspot.authserver import FormRequest, Server
from mockapis.hubspot.oauth import oauth_request
from mockapis.hubspot.tokens import USERS
from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES"]

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Connect an app - HubSpot</title></head>
<body>
<h1>{app} wants to access your HubSpot account</h1>
{notice}
<p>It asks for these scopes:</p>
<ul>{scopes}</ul>
<form method="post" action="{action}">
  <label>Email <input type="text" name="username" autocomplete="username"></label>
  <label>Password <input type="password" name="password"></label>
  <button type="submit" name="decision" value="approve">Connect app</button>
  <button type="submit" name="decision" value="deny">Cancel</button>
</form>
</body></html>
"""


def _error_page(status: int, message: str) -> HTMLResponse:
    body = (
        "<!doctype html><html><head><title>Authorization error - HubSpot</title></head>"
        f'<body><h1>Authorization error</h1><p class="error">{escape(message)}</p>'
        "</body></html>"
    )
    return HTMLResponse(body, status)


def _page(request: Request, grant: object, notice: str = "", status: int = 200) -> Response:
    oauth_req = grant.request  # type: ignore[attr-defined]
    scopes = "".join(f"<li>{escape(s)}</li>" for s in oauth_req.scope.split())
    action = escape(request.url.path + ("?" + request.url.query if request.url.query else ""))
    app = escape(str(oauth_req.client.row.get("name", oauth_req.client.get_client_id())))
    shown = f'<p class="error">{escape(notice)}</p>' if notice else ""
    return HTMLResponse(_PAGE.format(app=app, notice=shown, scopes=scopes, action=action), status)


def _consent(server: Server, oauth_req: FormRequest) -> object | Response:
    """authlib's validated grant, or the response for an invalid request."""
    try:
        grant: object = server.get_consent_grant(oauth_req)
    except OAuth2Error as error:
        if error.redirect_uri:
            response: Response = server.handle_error_response(oauth_req, error)
            return response
        return _error_page(400, f"{error.error}: {error.get_error_description()}")
    return grant


async def _read(request: Request) -> FormRequest | Response:
    """The request for authlib, or an HTML error page for a malformed one."""
    try:
        return await oauth_request(request)
    except ApiError as exc:
        return _error_page(exc.status, exc.message)


async def authorize_page(request: Request) -> Response:
    """``GET /oauth/authorize``: the login and consent page."""
    server = Server(world_of(request))
    oauth_req = await _read(request)
    if isinstance(oauth_req, Response):
        return oauth_req
    grant = _consent(server, oauth_req)
    if isinstance(grant, Response):
        return grant
    return _page(request, grant)


def _login(world: World, username: str, password: str) -> Record | None:
    user = world.table(USERS).get(username.strip().lower())
    if user is None or not hmac.compare_digest(user["password"].encode(), password.encode()):
        return None
    return user


async def authorize_submit(request: Request) -> Response:
    """``POST /oauth/authorize``: log in and approve (302 with a code) or deny."""
    world = world_of(request)
    server = Server(world)
    oauth_req = await _read(request)
    if isinstance(oauth_req, Response):
        return oauth_req
    grant = _consent(server, oauth_req)
    if isinstance(grant, Response):
        return grant
    form = oauth_req.form
    decision = form.get("decision", "approve")
    if decision == "deny":
        response: Response = server.create_authorization_response(
            oauth_req, grant_user=None, grant=grant
        )
        return response
    if decision != "approve":
        return _page(request, grant, "decision must be approve or deny.", 400)
    user = _login(world, form.get("username", ""), form.get("password", ""))
    if user is None:
        return _page(request, grant, "The email or password is incorrect.", 401)
    response = server.create_authorization_response(oauth_req, grant_user=user, grant=grant)
    return response


ROUTES = [route("/oauth/authorize", {"GET": authorize_page, "POST": authorize_submit})]
