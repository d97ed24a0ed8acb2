"""Bearer tokens as a careful client keeps them: which refresh grant renews each, and what
replaced the ones that died (for :func:`gym_apibench.solving.recovering`).

A client written against OAuth 2.0 (RFC 6749, 6750) renews an access token when a request
answers 401 with ``WWW-Authenticate: Bearer error="invalid_token"``: the refresh grant at
the token endpoint, then the same request with the new token. :class:`Tokens` knows the
grants a task's credentials carry (``token``, ``refresh_token``, ``token_url``) and learns
the ones the token endpoint hands out during the episode (a solution's own authorization),
keeping the newest refresh token where the server rotates them. A token with no way to renew
it (a static personal token) is :meth:`Tokens.static`: its death ends the task.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from gym_apibench.bodies import header

__all__ = ["Grant", "Tokens", "bearer", "expired", "with_bearer"]

_RENEWABLE_BY = ("token_url", "refresh_token", "password", "client_secret")
"""Credential fields any of which gives a client a way to a new token."""


@dataclass(frozen=True)
class Grant:
    """The refresh grant that renews one access token."""

    token_url: str
    refresh_token: str
    client_id: str | None = None
    client_secret: str | None = None

    def action(self) -> dict[str, Any]:
        """The grant's request (client authentication in the form, as the emulated token
        endpoints take it)."""
        form = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        if self.client_id is not None:
            form["client_id"] = self.client_id
        if self.client_secret is not None:
            form["client_secret"] = self.client_secret
        return {
            "method": "POST",
            "url": self.token_url,
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "body": urlencode(form),
        }


def bearer(action: Mapping[str, Any]) -> str | None:
    """The bearer token of a request action, if it sends one."""
    value = header(action, "authorization")
    if value is None or not value.lower().startswith("bearer "):
        return None
    return value[len("bearer ") :].strip() or None


def with_bearer(action: dict[str, Any], token: str) -> dict[str, Any]:
    """``action`` (a copy, its hints kept) with ``token`` in its ``Authorization``."""
    headers = {
        key: value
        for key, value in (action.get("headers") or {}).items()
        if key.lower() != "authorization"
    }
    headers["Authorization"] = f"Bearer {token}"
    copy = type(action)(action)  # a HintedAction stays one, its hints with it
    if hasattr(action, "__dict__"):
        vars(copy).update(vars(action))
    copy["headers"] = headers
    return copy


def expired(observation: Mapping[str, Any]) -> bool:
    """A 401 whose challenge says the bearer token is no longer valid (RFC 6750 3.1)."""
    if observation.get("status") != 401:
        return False
    challenge = header(observation, "www-authenticate") or ""
    return "invalid_token" in challenge


class Tokens:
    """An episode's bearer tokens: how to renew each (:class:`Grant`), and what replaced
    the ones that died."""

    def __init__(self, credentials: Mapping[str, Mapping[str, Any]]) -> None:
        self._grants: dict[str, Grant] = {}
        self._replaced: dict[str, str] = {}
        self._clients: dict[str, Mapping[str, Any]] = {}
        self._static: set[str] = set()
        for creds in credentials.values():
            token, url = creds.get("token"), creds.get("token_url")
            if url:
                self._clients[_endpoint(str(url))] = creds
            if not token:
                continue
            if url and creds.get("refresh_token"):
                self._grants[str(token)] = _grant(str(url), creds, str(creds["refresh_token"]))
            if not any(creds.get(field) for field in _RENEWABLE_BY):
                self._static.add(str(token))

    def current(self, token: str) -> str:
        """The live token that stands for ``token`` (itself, if it never died)."""
        seen: set[str] = set()
        while token in self._replaced and token not in seen:
            seen.add(token)
            token = self._replaced[token]
        return token

    def grant(self, token: str) -> Grant | None:
        """The refresh grant that renews ``token``; ``None`` if none is known."""
        return self._grants.get(token)

    def static(self, token: str) -> bool:
        """Whether ``token`` came from credentials that hold no way to a new one."""
        return token in self._static

    def observe(self, action: Mapping[str, Any], observation: Mapping[str, Any]) -> None:
        """Learn the grant of a token the token endpoint just handed out (its answer to any
        grant, the solution's included)."""
        creds = self._clients.get(_endpoint(str(action.get("url", ""))))
        if creds is None or observation.get("status") != 200:
            return
        try:
            body = json.loads(observation.get("body") or "")
        except ValueError:
            return
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            return
        refresh = body.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            url = str(action["url"])
            self._grants[body["access_token"]] = _grant(url, creds, refresh)

    def renewed(self, dead: str, observation: Mapping[str, Any]) -> str | None:
        """Record the token endpoint's answer to ``dead``'s grant; the new token, or
        ``None`` when the answer holds none."""
        try:
            body = json.loads(observation.get("body") or "")
        except ValueError:
            return None
        token = body.get("access_token") if isinstance(body, dict) else None
        if observation.get("status") != 200 or not isinstance(token, str) or not token:
            return None
        old = self._grants.pop(dead, None)
        refresh = body.get("refresh_token")
        if old is not None:
            # A rotated refresh token replaces the spent one; otherwise the old one stays.
            keep = refresh if isinstance(refresh, str) and refresh else old.refresh_token
            self._grants[token] = Grant(old.token_url, keep, old.client_id, old.client_secret)
        self._replaced[dead] = token
        return token


def _endpoint(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _grant(url: str, creds: Mapping[str, Any], refresh: str) -> Grant:
    client_id, secret = creds.get("client_id"), creds.get("client_secret")
    return Grant(
        url,
        refresh,
        None if client_id is None else str(client_id),
        None if secret is None else str(secret),
    )
