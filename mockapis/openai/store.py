"""Table names, id formats and the public form of stored rows."""

from __future__ import annotations

import math
import string
from typing import Any

from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "FILES",
    "KEYS",
    "RESPONSES",
    "SETTINGS",
    "file_object",
    "new_id",
    "now_s",
    "response_object",
    "tokens",
]

FILES = "openai.files"
"""``file-...`` -> the file object plus ``data`` (base64 of the bytes)."""
RESPONSES = "openai.responses"
"""``resp_...`` -> the response object plus ``input_items`` (the stored input messages)."""
KEYS = "openai._keys"
"""API key -> ``{"key", "project"}`` (credentials)."""
SETTINGS = "openai._settings"
"""``max_file_bytes`` -> ``{"value"}``: the upload size limit of the episode."""

_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


def new_id(world: World, prefix: str) -> str:
    """An id in OpenAI's style, drawn from the episode's RNG: ``file-`` + 22 base62 characters,
    ``resp_``/``msg_`` + 48 hex digits, ``chatcmpl-`` + 29 base62 characters."""
    rng = world.rng
    if prefix == "file-":
        return prefix + "".join(rng.choice(_ALNUM) for _ in range(22))
    if prefix == "chatcmpl-":
        return prefix + "".join(rng.choice(_ALNUM) for _ in range(29))
    return prefix + "".join(rng.choice(_HEX) for _ in range(48))


def now_s(world: World) -> int:
    """The episode clock in whole seconds (``created_at``)."""
    return world.clock.now_ns // 1_000_000_000


def tokens(chars: int) -> int:
    """The simulated token count of ``chars`` characters: ``ceil(chars / 4)``."""
    return math.ceil(chars / 4)


def file_object(row: Record) -> dict[str, Any]:
    """A stored file as the API shows it (without its bytes)."""
    return {k: v for k, v in row.items() if k != "data"}


def response_object(row: Record) -> dict[str, Any]:
    """A stored response as the API shows it (without its input items and context)."""
    return {k: v for k, v in row.items() if k != "input_items" and not k.startswith("_")}
