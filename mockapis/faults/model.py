"""The fault vocabulary: kinds with typed parameters, rules (what, where, when), and replies."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from mockapis.faults.layer import FaultCall

__all__ = [
    "REQUIRED",
    "Kind",
    "Param",
    "Proceed",
    "Reply",
    "Rule",
    "TransportFault",
    "When",
    "Where",
]

REQUIRED: Any = object()
"""The default of a parameter that a rule must give."""


class Reply(NamedTuple):
    """An HTTP response as the fault layer handles it: buffered, so kinds can reshape it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        """The first value of the lowercase header ``name``."""
        return next((v for k, v in self.headers if k == name), None)


class TransportFault(Exception):
    """A failure below HTTP: no (complete) response reaches the client.

    ``kind`` names it as a client would (``connection_reset``, ``read_timeout`` ...). In
    process it becomes a status-0 observation; in server mode the socket layer acts it out.
    ``partial`` is what reaches the wire before the failure (a truncated body, garbage).
    """

    def __init__(self, kind: str, message: str, *, partial: bytes = b"", after_s: float = 0.0):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.partial = partial
        self.after_s = after_s


Proceed = Callable[[], Awaitable[Reply]]
"""Runs the rest of the chain (inner faults, then the service in its transaction)."""

Apply = Callable[["FaultCall", Proceed], Awaitable[Reply]]
"""A kind's behaviour: answer instead of the service, or call ``proceed`` and reshape."""

Check = Callable[[Mapping[str, Any]], "tuple[str, str] | None"]
"""A kind's check of its validated parameters together: ``(param, problem)`` or None."""


@dataclass(frozen=True)
class Param:
    """A typed, bounded parameter of a fault kind."""

    name: str
    types: tuple[type, ...]
    default: Any = REQUIRED
    doc: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: Any, where: str) -> Any:
        """``value`` if it fits, else ``ValueError`` naming ``where`` and what fits."""
        if isinstance(value, bool) and bool not in self.types:
            raise ValueError(f"{where}: must be {self.describe()}; got {value!r}")
        if not isinstance(value, self.types):
            raise ValueError(f"{where}: must be {self.describe()}; got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{where}: must be a finite number; got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{where}: must be one of {list(self.choices)}; got {value!r}")
        if self.minimum is not None and value < self.minimum:  # type: ignore[operator]
            raise ValueError(f"{where}: must be >= {self.minimum}; got {value!r}")
        if self.maximum is not None and value > self.maximum:  # type: ignore[operator]
            raise ValueError(f"{where}: must be <= {self.maximum}; got {value!r}")
        return value

    def describe(self) -> str:
        """The accepted type in words."""
        names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
        names.update({list: "a list", dict: "a mapping", type(None): "null"})
        return " or ".join(names.get(t, t.__name__) for t in self.types)


@dataclass(frozen=True)
class Kind:
    """A kind of fault: its parameters and its behaviour."""

    name: str
    doc: str
    params: tuple[Param, ...]
    apply: Apply
    transport: bool = False
    """Whether it fails below HTTP (it raises :class:`TransportFault`)."""
    check: Check | None = None
    """Load-time checks beyond one parameter's type and bounds (paths, exclusive bounds,
    parameters required by another's value)."""
    delays_only: bool = False
    """Whether the response itself stays right (latency): there is nothing to recover from,
    so reports show recovery as not applicable."""

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``."""
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class Where:
    """Which requests a rule applies to; empty fields match everything."""

    services: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    """``fnmatch`` patterns on the path as the service sees it (``/v2/objects/*/records``)."""


@dataclass(frozen=True)
class When:
    """When a matching request is hit; every condition given must hold.

    ``n`` counts the requests this rule matched before the current one (from 0).
    """

    probability: float | None = None
    first: int | None = None
    every: int | None = None
    after: int | None = None
    window: tuple[float, float] | None = None
    """Seconds since the episode start on the virtual clock, ``[start, end)``."""


@dataclass(frozen=True)
class Rule:
    """One fault rule: what (kind and params), where, when, and its priority."""

    name: str
    kind: Kind
    params: Mapping[str, Any] = field(default_factory=dict)
    where: Where = Where()
    when: When = When()
    priority: int = 0
