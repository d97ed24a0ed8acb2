"""Authentication: ``Authorization: Bearer sk-...``, with OpenAI's 401 wording."""

from __future__ import annotations

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.openai.errors import oai_error
from mockapis.openai.store import KEYS
from mockapis.world import World

__all__ = ["authorize", "masked"]

_KEYS_URL = "https://platform.openai.com/account/api-keys"


def masked(key: str) -> str:
    """A key as OpenAI echoes it: the first 8 and last 4 characters, stars between."""
    if len(key) <= 12:
        return key
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def authorize(request: Request) -> World:
    """The episode's world if the request carries a known key, else OpenAI's 401."""
    world: World = request.scope["world"]
    header = (header_value(request, b"authorization") or "").strip()
    scheme, _, value = header.partition(" ")
    key = value.strip() if scheme.lower() == "bearer" else ""
    if not key:
        raise oai_error(
            401,
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or "
            "as the password field (with blank username) if you're accessing the API from your "
            "browser and are prompted for a username and password. You can obtain an API key "
            f"from {_KEYS_URL}.",
        )
    if key not in world.table(KEYS):
        raise oai_error(
            401,
            f"Incorrect API key provided: {masked(key)}. You can find your API key at {_KEYS_URL}.",
            code="invalid_api_key",
        )
    return world
