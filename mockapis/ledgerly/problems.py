"""OAuth Problem Reporting: ``oauth_problem=...`` form bodies with a ``WWW-Authenticate``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlencode

from authlib.oauth1.rfc5849 import errors  # type: ignore[import-untyped]
from starlette.responses import Response

__all__ = ["REALM", "OAuthProblem", "as_problem", "problem_response"]

REALM = "ledgerly"
FORM_TYPE = "application/x-www-form-urlencoded"


class OAuthProblem(errors.OAuth1Error):  # type: ignore[misc]
    """A refused OAuth request: a problem name of the OAuth Problem Reporting extension
    (``timestamp_refused``, ``nonce_used``, ...), advice for the developer, and the extra
    ``oauth_*`` parameters the extension defines for it."""

    def __init__(
        self,
        problem: str,
        advice: str,
        *,
        status: int = 401,
        params: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(description=advice, status_code=status)
        self.problem = problem
        self.advice = advice
        self.status = status
        self.params = list(params)

    def __repr__(self) -> str:
        return f"OAuthProblem({self.problem!r}, {self.status})"


def absent(names: Sequence[str], *, status: int = 400) -> OAuthProblem:
    """``parameter_absent`` naming every missing protocol parameter."""
    listed = "&".join(names)
    return OAuthProblem(
        "parameter_absent",
        f"Required OAuth parameters are missing: {', '.join(names)}.",
        status=status,
        params=[("oauth_parameters_absent", listed)],
    )


_MISSING = re.compile(r'missing "([^"]+)"')


def as_problem(error: errors.OAuth1Error) -> OAuthProblem:
    """authlib's error classes under their Problem Reporting names."""
    if isinstance(error, OAuthProblem):
        return error
    advice = str(error.description or error.error)
    if isinstance(error, errors.MissingRequiredParameterError):
        found = _MISSING.search(advice)
        return absent([found.group(1) if found else "oauth_signature"])
    if isinstance(error, errors.InvalidClientError):
        return OAuthProblem("consumer_key_unknown", "The oauth_consumer_key is not known.")
    if isinstance(error, errors.InvalidTokenError):
        return OAuthProblem("token_rejected", "The oauth_token is not known to this consumer.")
    if isinstance(error, errors.InvalidSignatureError):
        return OAuthProblem(
            "signature_invalid",
            "The oauth_signature does not match the request: check the signature base "
            "string (method, URL, sorted parameters) and the signing key.",
        )
    if isinstance(error, errors.InvalidNonceError):
        return OAuthProblem("nonce_used", "This oauth_nonce was already used with this timestamp.")
    if isinstance(error, errors.UnsupportedSignatureMethodError):
        return OAuthProblem("signature_method_rejected", advice, status=400)
    return OAuthProblem("parameter_rejected", advice, status=400)


def problem_response(problem: OAuthProblem) -> Response:
    """The form-encoded problem body with ``WWW-Authenticate: OAuth realm="ledgerly"``."""
    pairs = [("oauth_problem", problem.problem), *problem.params]
    pairs.append(("oauth_problem_advice", problem.advice))
    return Response(
        urlencode(pairs),
        problem.status,
        headers={"WWW-Authenticate": f'OAuth realm="{REALM}"', "Cache-Control": "no-store"},
        media_type=FORM_TYPE,
    )
