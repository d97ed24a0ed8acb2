"""The token model: private-app tokens, OAuth access and refresh tokens, their families.

Every token is drawn from the world's RNG (deterministic per seed and request sequence) and
expires on the episode's clock, never the wall clock.

- ``hubspot._tokens``: access token -> ``{"token", "kind": "private_app" | "oauth", "scopes",
  "client_id", "user_id", "family", "issued_at_ns", "expires_at_ns" (None: never),
  "revoked"}``.
- ``hubspot._refresh_tokens``: refresh token -> ``{"token", "client_id", "user_id", "scopes",
  "family", "issued_at_ns", "rotated" (a newer one replaced it), "revoked"}``.
- ``hubspot._clients``: client_id -> ``{"client_id", "client_secret", "app_id",
  "redirect_uris", "scopes" (what the app may ask for), "default_scopes" (client credentials
  without ``scope``), "grant_types"}``.
- ``hubspot._users``: username -> ``{"username", "password", "user_id"}``.
- ``hubspot._codes``: code -> ``{"code", "client_id", "redirect_uri", "scopes", "user_id",
  "code_challenge", "code_challenge_method", "expires_at_ns"}``.

A family is everything issued from one authorization (a code exchange and its chain of
refreshes): reusing a rotated refresh token revokes the whole family.
"""

from __future__ import annotations

import base64

from mockapis.clock import NS_PER_SECOND
from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "ACCESS_TOKEN_TTL_S",
    "ALL_SCOPES",
    "CLIENTS",
    "CODES",
    "CODE_TTL_S",
    "DEAD_TOKENS",
    "HUB_ID",
    "REFRESH_TOKENS",
    "TOKENS",
    "USERS",
    "issue_access_token",
    "issue_refresh_token",
    "revoke_family",
]

TOKENS = "hubspot._tokens"
REFRESH_TOKENS = "hubspot._refresh_tokens"
CLIENTS = "hubspot._clients"
USERS = "hubspot._users"
CODES = "hubspot._codes"
ACCESS_TOKEN_TTL_S = 1800
"""HubSpot's access tokens live 30 minutes (``expires_in: 1800``)."""
CODE_TTL_S = 600
"""Authorization codes expire after 10 minutes (RFC 6749 section 4.1.2's advice)."""
HUB_ID = 24_681_357
"""The portal (hub) id of the simulated account."""
DEAD_TOKENS = "auth.dead_tokens"
"""``world.runtime`` key where the fault layer's ``credential_expiry`` records the tokens it
killed (see mockapis.faults.kinds.auth): this service treats them as expired too, so that the
token stays dead wherever the fault rule is not due (introspection, other routes)."""

ALL_SCOPES = (
    "oauth",
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
    "crm.objects.companies.read",
    "crm.objects.companies.write",
    "crm.objects.deals.read",
    "crm.objects.deals.write",
)
"""Every scope this simulation knows (HubSpot's granular CRM scopes, plus ``oauth``)."""


def _random_token(world: World, prefix: str, size: int) -> str:
    raw = world.rng.getrandbits(size * 8).to_bytes(size, "big")
    return prefix + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def issue_access_token(
    world: World, *, client_id: str | None, user_id: int | None, scopes: list[str], family: str
) -> Record:
    """A new OAuth access token row (stored), valid for :data:`ACCESS_TOKEN_TTL_S`."""
    now = world.clock.now_ns
    token = _random_token(world, "CN", 48)
    row: Record = {
        "token": token,
        "kind": "oauth",
        "scopes": list(scopes),
        "client_id": client_id,
        "user_id": user_id,
        "family": family,
        "issued_at_ns": now,
        "expires_at_ns": now + ACCESS_TOKEN_TTL_S * NS_PER_SECOND,
        "revoked": False,
    }
    world.table(TOKENS).put(token, row)
    return row


def issue_refresh_token(
    world: World, *, client_id: str, user_id: int, scopes: list[str], family: str
) -> Record:
    """A new refresh token row (stored), in ``family``."""
    token = world.uuid4()
    row: Record = {
        "token": token,
        "client_id": client_id,
        "user_id": user_id,
        "scopes": list(scopes),
        "family": family,
        "issued_at_ns": world.clock.now_ns,
        "rotated": False,
        "revoked": False,
    }
    world.table(REFRESH_TOKENS).put(token, row)
    return row


def revoke_family(world: World, family: str) -> int:
    """Revoke every access and refresh token of ``family``; how many were still live."""
    revoked = 0
    for name in (TOKENS, REFRESH_TOKENS):
        table = world.table(name)
        for key, row in list(table.items()):
            if row.get("family") == family and not row["revoked"]:
                table.put(key, {**row, "revoked": True})
                revoked += 1
    return revoked
