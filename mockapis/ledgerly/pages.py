"""The HTML of the resource owner's authorization pages (sign in, approve, verifier)."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

__all__ = ["consent_page", "login_page", "message_page", "verifier_page"]

_STYLE = "body{font-family:sans-serif;max-width:32em;margin:3em auto}label{display:block}"


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f" - Ledgerly</title><style>{_STYLE}</style></head>\n<body><h1>{escape(title)}</h1>\n"
        f"{body}\n</body></html>\n"
    )
    return HTMLResponse(html, status, headers={"Cache-Control": "no-store"})


def login_page(action: str, token: str, app: str, error: str = "") -> HTMLResponse:
    """Step 1: the resource owner signs in (POST back to ``action``)."""
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return _page(
        "Sign in to Ledgerly",
        f"<p>The application <strong>{escape(app)}</strong> asks to connect to your books. "
        f"Sign in to continue.</p>{alert}\n"
        f'<form id="login" method="post" action="{escape(action)}">\n'
        f'<input type="hidden" name="oauth_token" value="{escape(token)}">\n'
        '<label>Username <input name="username" autocomplete="username"></label>\n'
        '<label>Password <input name="password" type="password"></label>\n'
        '<button type="submit">Sign in</button>\n</form>',
        401 if error else 200,
    )


def consent_page(
    action: str, token: str, ticket: str, app: str, user: str, company: str
) -> HTMLResponse:
    """Step 2: the signed-in owner approves or denies the application."""
    return _page(
        "Authorize application",
        f"<p>Signed in as <strong>{escape(user)}</strong>.</p>\n"
        f"<p><strong>{escape(app)}</strong> will be able to read and write the books of "
        f"<strong>{escape(company)}</strong> on your behalf.</p>\n"
        f'<form id="consent" method="post" action="{escape(action)}">\n'
        f'<input type="hidden" name="oauth_token" value="{escape(token)}">\n'
        f'<input type="hidden" name="ticket" value="{escape(ticket)}">\n'
        '<button type="submit" name="decision" value="approve">Approve</button>\n'
        '<button type="submit" name="decision" value="deny">Deny</button>\n</form>',
    )


def verifier_page(app: str, verifier: str) -> HTMLResponse:
    """Step 3 for ``oob`` callbacks: the verifier to type into the application."""
    return _page(
        "Application authorized",
        f"<p>Enter this verification code in <strong>{escape(app)}</strong> to finish "
        "connecting:</p>\n"
        f'<p><code id="oauth_verifier">{escape(verifier)}</code></p>',
    )


def message_page(title: str, text: str, status: int) -> HTMLResponse:
    """A page saying why the flow cannot go on."""
    return _page(title, f'<p role="alert">{escape(text)}</p>', status)
