"""Request parameters as Stripe reads them: bracket notation, typed getters, unknown names.

Query strings (GET, DELETE) and form bodies (POST) use the same encoding:
``metadata[plan]=pro``, ``expand[]=data.customer`` or ``expand[0]=...`` (the SDK's form),
``created[gte]=1700000000``. :func:`read_params` decodes them into nested dicts and lists;
:class:`Params` hands out typed values and rejects names the endpoint does not take.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.stripe.errors import param_error

__all__ = ["MAX_METADATA_KEYS", "Params", "in_range", "nest", "read_params"]

MAX_METADATA_KEYS = 50
"""Stripe's limit on metadata keys per object."""

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_RANGE_OPS = ("gt", "gte", "lt", "lte")
_FORM = "application/x-www-form-urlencoded"


async def read_params(request: Request) -> Params:
    """The request's parameters: the form body of a POST, else the query string."""
    if request.method == "POST":
        body = await read_body(request)
        declared = request.headers.get("content-type") or ""
        if body and declared.partition(";")[0].strip().lower() != _FORM:
            # Stripe's answer to a JSON (or untyped) body: it reads form bodies only.
            raise ApiError(
                400,
                f"Invalid request: unsupported Content-Type {declared}. If error persists "
                "and you need assistance, please contact support@stripe.com.",
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the body is not UTF-8 text.") from None
    else:
        text = request.scope.get("query_string", b"").decode("latin-1")
    pairs = parse_qsl(text, keep_blank_values=True)
    return Params(nest(pairs))


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Bracket-notation pairs as nested dicts (``a[b]``) and lists (``a[]``, ``a[0]``)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if match is None:
            raise param_error(key, f"Received unknown parameter: {key}", "parameter_unknown")
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = root
        for i, part in enumerate(parts[:-1]):
            if parts[i + 1] == "":  # ``a[]``: an array, and the last bracket of the name
                array = node.setdefault(part, [])
                if i + 2 != len(parts) or not isinstance(array, list):
                    raise param_error(parts[0], f"Invalid array: {key}")
                array.append(value)
                break
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise param_error(parts[0], f"Invalid hash: {key}")
            node = child
        else:
            if isinstance(node.get(parts[-1]), dict | list):
                raise param_error(parts[0], f"Invalid value: {key}")
            node[parts[-1]] = value  # a repeated scalar: the last one wins
    return {k: _listify(v) for k, v in root.items()}


def _listify(value: Any) -> Any:
    """``{"0": a, "1": b}`` (the SDK's indexed arrays) as ``[a, b]``, recursively."""
    if not isinstance(value, dict):
        return value
    items = {k: _listify(v) for k, v in value.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


class Params:
    """Typed access to one request's parameters; :meth:`done` rejects the unused ones."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._used: set[str] = set()

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def _get(self, name: str) -> Any:
        self._used.add(name)
        return self.data.get(name)

    def string(self, name: str, *, required: bool = False, max_length: int = 5000) -> str | None:
        """A string parameter (``None`` when absent)."""
        value = self._get(name)
        if value is None:
            if required:
                raise param_error(name, f"Missing required param: {name}.", "parameter_missing")
            return None
        if not isinstance(value, str):
            raise param_error(name, f"Invalid string: {name} must be a string, not a hash.")
        if len(value) > max_length:
            raise param_error(
                name,
                f"Invalid string: must be at most {max_length} characters long.",
                "string_length",
            )
        return value

    def integer(
        self, name: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """An integer parameter within bounds (``None`` when absent or empty)."""
        raw = self.string(name)
        if raw is None or raw == "":
            return None
        return _integer(name, raw, minimum, maximum)

    def boolean(self, name: str) -> bool | None:
        """``true`` or ``false`` (``None`` when absent)."""
        raw = self.string(name)
        if raw is None or raw == "":
            return None
        if raw not in ("true", "false"):
            raise param_error(name, f"Invalid boolean: {raw}", "parameter_invalid_boolean")
        return raw == "true"

    def strings(self, name: str) -> list[str] | None:
        """An array of strings (``ids[]=a&ids[]=b``), ``None`` when absent."""
        value = self._get(name)
        if value is None:
            return None
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise param_error(name, f"Invalid array: {name} must be a list of strings.")
        return values

    def mapping(self, name: str) -> dict[str, Any] | None:
        """A hash parameter (``recurring[interval]=month``), ``None`` when absent."""
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise param_error(name, f"Invalid hash: {name} must be a hash.")
        return value

    def expand(self) -> list[str]:
        """The ``expand[]`` paths."""
        return self.strings("expand") or []

    def metadata(self) -> dict[str, str] | None:
        """``metadata[key]=value`` pairs (``metadata=`` empties it: ``{}``), ``None`` if absent."""
        value = self._get("metadata")
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise param_error("metadata", "Invalid metadata: must be a hash of strings.")
        if len(value) > MAX_METADATA_KEYS:
            raise param_error(
                "metadata", f"Invalid metadata: at most {MAX_METADATA_KEYS} keys are allowed."
            )
        for key, text in value.items():
            if len(key) > 40 or len(text) > 500:
                raise param_error(
                    f"metadata[{key}]",
                    "Metadata keys can be at most 40 characters and values at most 500.",
                )
        return dict(value)

    def range(self, name: str) -> dict[str, int] | None:
        """A timestamp filter: ``created=N`` (exactly) or ``created[gte]=N`` and friends."""
        value = self._get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            moment = _integer(name, value, None, None)
            return {"gte": moment, "lte": moment}
        if not isinstance(value, dict):
            raise param_error(name, f"Invalid {name}: must be an integer or a hash.")
        bounds: dict[str, int] = {}
        for op, raw in value.items():
            if op not in _RANGE_OPS:
                raise param_error(
                    f"{name}[{op}]",
                    f"Received unknown parameter: {name}[{op}]",
                    "parameter_unknown",
                )
            if not isinstance(raw, str):
                raise param_error(
                    f"{name}[{op}]", f"Invalid integer: {raw}", "parameter_invalid_integer"
                )
            bounds[op] = _integer(f"{name}[{op}]", raw, None, None)
        return bounds

    def done(self) -> None:
        """400 ``parameter_unknown`` for the first parameter nothing asked for."""
        for name in self.data:
            if name not in self._used:
                raise param_error(name, f"Received unknown parameter: {name}", "parameter_unknown")


def _integer(name: str, raw: str, minimum: int | None, maximum: int | None) -> int:
    if not re.fullmatch(r"-?\d{1,18}", raw):
        raise param_error(name, f"Invalid integer: {raw}", "parameter_invalid_integer")
    value = int(raw)
    if minimum is not None and value < minimum:
        raise param_error(
            name,
            f"This value must be greater than or equal to {minimum}.",
            "parameter_invalid_integer",
        )
    if maximum is not None and value > maximum:
        raise param_error(
            name,
            f"This value must be less than or equal to {maximum}.",
            "parameter_invalid_integer",
        )
    return value


def in_range(value: int, bounds: dict[str, int] | None) -> bool:
    """Whether ``value`` passes a :meth:`Params.range` filter."""
    if not bounds:
        return True
    return (
        ("gt" not in bounds or value > bounds["gt"])
        and ("gte" not in bounds or value >= bounds["gte"])
        and ("lt" not in bounds or value < bounds["lt"])
        and ("lte" not in bounds or value <= bounds["lte"])
    )
