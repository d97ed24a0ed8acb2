"""Gymnasium spaces of HTTP requests (actions) and HTTP responses (observations)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

__all__ = ["HttpActionSpace", "HttpResponseSpace", "Operation"]

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_PARAM = re.compile(r"\{[^}/]+\}")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_UNICODE = "aé漢😀 -_\"'\\{}"

Operation = tuple[str, str]
"""``(METHOD, URL template)`` with ``{param}`` placeholders, e.g. ``("GET", "https://h/v2/x/{id}")``."""


def _is_str_map(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


class HttpActionSpace(spaces.Space[dict[str, Any]]):
    """Every HTTP request an agent can send, plus ``submit`` and ``wait``.

    ``contains`` accepts any well-formed action: a request dict
    ``{"method", "url", "headers"?, "json"? | "body"?}``, ``{"submit": <JSON value>}``,
    ``{"wait": seconds}``, or any of these as a JSON string. ``sample`` draws valid requests
    to the scenario's documented operations (path parameters filled at random), now and then
    a submit.
    """

    def __init__(self, operations: Sequence[Operation], seed: int | None = None) -> None:
        super().__init__(shape=None, dtype=None, seed=seed)
        self.operations = tuple(operations)

    @property
    def is_np_flattenable(self) -> bool:
        """Requests have no fixed-size flat form."""
        return False

    def sample(self, mask: Any = None, probability: Any = None) -> dict[str, Any]:
        """A random valid action (a request to a documented operation, or a submit)."""
        rng = self.np_random
        if not self.operations or rng.random() < 0.05:
            return {"submit": _random_text(rng, 8)}
        method, template = self.operations[int(rng.integers(len(self.operations)))]
        url = _PARAM.sub(lambda _: _random_text(rng, 6, _ALPHABET), template)
        action: dict[str, Any] = {"method": method, "url": url}
        if method in ("POST", "PUT", "PATCH"):
            action["json"] = {}
        return action

    def contains(self, x: Any) -> bool:
        """Whether ``x`` is a well-formed action (request, submit or wait; dict or JSON string)."""
        if isinstance(x, str):
            try:
                x = json.loads(x)
            except ValueError:
                return False
        if not isinstance(x, Mapping):
            return False
        if "submit" in x:
            return set(x) == {"submit"}
        if "wait" in x:
            wait = x["wait"]
            return (
                set(x) == {"wait"} and isinstance(wait, int | float) and not isinstance(wait, bool)
            )
        if not (isinstance(x.get("method"), str) and isinstance(x.get("url"), str)):
            return False
        if not set(x) <= {"method", "url", "headers", "json", "body", "body_base64"}:
            return False
        if sum(key in x for key in ("json", "body", "body_base64")) > 1:
            return False
        if "body" in x and not isinstance(x["body"], str | bytes):
            return False
        if "body_base64" in x and not isinstance(x["body_base64"], str):
            return False
        return "headers" not in x or _is_str_map(x["headers"])

    def __repr__(self) -> str:
        return f"HttpActionSpace({len(self.operations)} operations)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HttpActionSpace) and other.operations == self.operations

    def __hash__(self) -> int:
        return hash(self.operations)


class HttpResponseSpace(spaces.Space[dict[str, Any]]):
    """HTTP responses: ``{"status": int, "headers": {str: str}, "body": str}``.

    Status 0 stands for "no HTTP response": a transport fault or an invalid action, named in
    the body.
    """

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(shape=None, dtype=None, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        """Responses have no fixed-size flat form."""
        return False

    def sample(self, mask: Any = None, probability: Any = None) -> dict[str, Any]:
        """A random response (any status, a few headers, a Unicode body)."""
        rng = self.np_random
        status = int(rng.choice([0, 200, 201, 204, 400, 401, 404, 429, 500, 503]))
        body = json.dumps({"value": _random_text(rng, 12)}, ensure_ascii=False)
        return {"status": status, "headers": {"content-type": "application/json"}, "body": body}

    def contains(self, x: Any) -> bool:
        """Whether ``x`` is a response observation."""
        if not isinstance(x, Mapping) or set(x) != {"status", "headers", "body"}:
            return False
        status = x["status"]
        return (
            isinstance(status, int | np.integer)
            and not isinstance(status, bool)
            and 0 <= int(status) <= 999
            and _is_str_map(x["headers"])
            and isinstance(x["body"], str)
        )

    def __repr__(self) -> str:
        return "HttpResponseSpace()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HttpResponseSpace)

    def __hash__(self) -> int:
        return hash(HttpResponseSpace)


def _random_text(rng: np.random.Generator, length: int, alphabet: str = _UNICODE) -> str:
    picks = rng.integers(len(alphabet), size=length)
    return "".join(alphabet[int(i)] for i in picks)
