"""Applying fault rules around a service: which rules hit a request, and in what order.

The schedule is a pure function of (seed, rules, request sequence): each rule counts the
requests it matched so far (in ``world.runtime``, which survives failed requests and resets
with the world) and draws its probability from a hash of (seed, rule, count), never from an
RNG shared with anything else.
"""

from __future__ import annotations

import fnmatch
import hashlib
import random
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mockapis.faults.model import Proceed, Reply, Rule, When, Where
from mockapis.world import World

__all__ = ["FaultCall", "FaultLayer", "draw"]

_COUNTS = "faults.counts"
_STATE = "faults.state"


def draw(seed: int, rule: str, n: int) -> float:
    """A uniform number in [0, 1) for the ``n``-th match of ``rule`` in episode ``seed``."""
    digest = hashlib.blake2b(f"{seed}\x00{rule}\x00{n}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


class _Matcher:
    """A rule's ``where``, compiled once: path globs become one regex."""

    __slots__ = ("methods", "path", "services")

    def __init__(self, where: Where) -> None:
        self.services = frozenset(where.services)
        self.methods = frozenset(where.methods)
        self.path = (
            re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in where.paths))
            if where.paths
            else None
        )


def _due(when: When, seed: int, rule: str, n: int, elapsed_s: float) -> bool:
    if when.first is not None and n >= when.first:
        return False
    if when.every is not None and (n + 1) % when.every:
        return False
    if when.after is not None and n < when.after:
        return False
    if when.window is not None and not when.window[0] <= elapsed_s < when.window[1]:
        return False
    return when.probability is None or draw(seed, rule, n) < when.probability


@dataclass
class FaultCall:
    """One rule hitting one request: what a kind needs to act, and how it reports acting."""

    rule: Rule
    world: World
    service: Any
    """The :class:`~mockapis.service.Service` the request is for."""
    scope: MutableMapping[str, Any]
    path: str
    """The path as the service sees it (without a ``/<service>`` prefix)."""
    n: int
    """How many requests this rule matched before this one."""
    body: bytes = b""
    injected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def params(self) -> Any:
        """The rule's validated parameters."""
        return self.rule.params

    @property
    def state(self) -> dict[str, Any]:
        """This rule's own episode state (rate-limit buckets ...), kept across requests."""
        states: dict[str, dict[str, Any]] = self.world.runtime.setdefault(_STATE, {})
        return states.setdefault(self.rule.name, {})

    @property
    def rng(self) -> random.Random:
        """An RNG for this hit alone, derived from (seed, rule, n)."""
        return random.Random(f"{self.world.seed}\x00{self.rule.name}\x00{self.n}")

    @property
    def method(self) -> str:
        """The request method."""
        return str(self.scope["method"])

    def header(self, name: bytes) -> str | None:
        """A request header (lowercase name)."""
        for key, value in self.scope["headers"]:
            if key == name:
                return str(value.decode("latin-1"))
        return None

    def inject(self) -> None:
        """Record that this rule shaped the response (it shows in the log and in ``info``)."""
        self.injected.append((self.rule.name, self.rule.kind.name))


_Candidates = tuple[list[tuple[Rule, "_Matcher"]], "re.Pattern[str] | None"]


class FaultLayer:
    """A set of rules for one episode; ``chain`` decides and orders the hits of a request."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        # Higher priority runs outermost; ties keep the declaration order.
        self._ordered = [
            (r, _Matcher(r.where)) for r in sorted(self.rules, key=lambda r: -r.priority)
        ]
        self._index: dict[tuple[str, str], _Candidates] = {}

    def _candidates(self, service: str, method: str) -> _Candidates:
        """The rules that may hit (service, method), and one regex that any hit must match."""
        rules = [
            (rule, match)
            for rule, match in self._ordered
            if (not match.services or service in match.services)
            and (not match.methods or method in match.methods)
        ]
        patterns = [match.path for _, match in rules]
        gate = None
        if rules and all(p is not None for p in patterns):
            gate = re.compile("|".join(f"(?:{p.pattern})" for p in patterns if p is not None))
        return rules, gate

    def hits(
        self, world: World, service: Any, scope: MutableMapping[str, Any], path: str
    ) -> list[FaultCall]:
        """The calls of every rule due on this request, outermost first (counts advance).

        The idle case is the hot one: a request no rule matches costs a dict lookup and at
        most one regex match.
        """
        method = scope["method"]
        key = (service.name, method)
        entry = self._index.get(key)
        if entry is None:
            entry = self._index[key] = self._candidates(service.name, method)
        candidates, gate = entry
        if not candidates or (gate is not None and gate.match(path) is None):
            return []
        found: list[FaultCall] = []
        for rule, match in candidates:
            if match.path is not None and match.path.match(path) is None:
                continue
            counts: dict[str, int] = world.runtime.setdefault(_COUNTS, {})
            n = counts.get(rule.name, 0)
            counts[rule.name] = n + 1
            elapsed_s = (world.clock.now_ns - world.epoch_ns) / 1e9
            if _due(rule.when, world.seed, rule.name, n, elapsed_s):
                found.append(FaultCall(rule, world, service, scope, path, n))
        return found

    def matched(self, world: World) -> dict[str, int]:
        """How many requests of this episode each rule matched (by name, every rule listed;
        0: its ``where`` matched nothing, so it could not fire)."""
        counts: dict[str, int] = world.runtime.get(_COUNTS, {})
        return {rule.name: counts.get(rule.name, 0) for rule in self.rules}

    @staticmethod
    async def run(calls: Sequence[FaultCall], service_call: Proceed) -> Reply:
        """Run the chain: the first call's kind wraps the second's, and so on to the service."""

        async def step(index: int) -> Reply:
            if index == len(calls):
                return await service_call()
            call = calls[index]
            return await call.rule.kind.apply(call, lambda: step(index + 1))

        return await step(0)
