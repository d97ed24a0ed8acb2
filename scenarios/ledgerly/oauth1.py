"""An OAuth 1.0a signer for the reference solutions (RFC 5849), on authlib's client helpers.

It signs what an agent would: the request as sent (scheme, host and path of the base URL it
was given, query and form parameters), with a timestamp taken from the server's ``Date``
header, since in the gym the agent's clock is not the server's. Nonces are counters hashed
with the consumer key, so that a run is reproducible.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from authlib.oauth1.rfc5849 import signature  # type: ignore[import-untyped]
from authlib.oauth1.rfc5849.parameters import prepare_headers  # type: ignore[import-untyped]

from gym_apibench.solving import server_time

FORM = "application/x-www-form-urlencoded"


class Signer:
    """One consumer's signing state: keys, the token in use, the server time, a nonce count.

    ``method`` is the consumer's signature method; ``secret`` its consumer secret (HMAC and
    PLAINTEXT) or ``rsa_key`` its PEM private key (RSA-SHA1).
    """

    def __init__(
        self, key: str, method: str, *, secret: str = "", rsa_key: str = "", realm: str = ""
    ) -> None:
        self.key = key
        self.method = method
        self.secret = secret
        self.rsa_key = rsa_key
        self.realm = realm
        self.token = ""
        self.token_secret = ""
        self.now = 0
        self.count = 0

    def observe(self, observation: Mapping[str, Any]) -> None:
        """Take the server's time from a response's ``Date`` header."""
        now = server_time(observation)
        if now is not None:
            self.now = int(now.timestamp())

    def use_token(self, token: str, token_secret: str) -> None:
        """Sign from now on with this (request or access) token."""
        self.token, self.token_secret = token, token_secret

    def oauth_params(self, extra: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        """The protocol parameters of the next request (without the signature)."""
        self.count += 1
        nonce = hashlib.sha1(f"{self.key}:{self.count}:{self.now}".encode()).hexdigest()[:20]
        params = [
            ("oauth_consumer_key", self.key),
            ("oauth_signature_method", self.method),
            ("oauth_timestamp", str(self.now)),
            ("oauth_nonce", nonce),
            ("oauth_version", "1.0"),
        ]
        if self.token:
            params.append(("oauth_token", self.token))
        params.extend((extra or {}).items())
        return params

    def signature(self, method: str, url: str, params: Sequence[tuple[str, str]]) -> str:
        """The signature of ``params`` (query, form and OAuth parameters) for the request."""
        base = signature.construct_base_string(method, url, params)
        if self.method == "HMAC-SHA1":
            return str(signature.hmac_sha1_signature(base, self.secret, self.token_secret))
        if self.method == "HMAC-SHA256":
            key = signature.escape(self.secret) + "&" + signature.escape(self.token_secret)
            digest = hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()
            return base64.b64encode(digest).decode()
        if self.method == "RSA-SHA1":
            return str(signature.rsa_sha1_signature(base, self.rsa_key))
        if self.method == "PLAINTEXT":
            return str(signature.plaintext_signature(self.secret, self.token_secret))
        raise ValueError(f"unknown signature method {self.method!r}")

    def request(
        self,
        method: str,
        url: str,
        *,
        form: Sequence[tuple[str, str]] | None = None,
        body: str | None = None,
        content_type: str = "",
        oauth: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """A signed request action, the OAuth parameters in the ``Authorization`` header.

        ``form`` is a form body (its fields are signed); ``body`` with ``content_type`` any
        other body (not signed).
        """
        params = self.oauth_params(oauth)
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        signed = [*query, *(form or ()), *params]
        params.append(("oauth_signature", self.signature(method, url, signed)))
        headers = dict(prepare_headers(params, {}, realm=self.realm or None))
        action: dict[str, Any] = {"method": method, "url": url, "headers": headers}
        if form is not None:
            headers["Content-Type"] = FORM
            action["body"] = urlencode(list(form))
        elif body is not None:
            headers["Content-Type"] = content_type
            action["body"] = body
        return action
