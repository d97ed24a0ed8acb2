"""The conformance suite: every exchange of a service checked against its vendor's description.

For a service with a vendor description (:data:`tests.conformance.vendor.VENDORS`), the
exchanges are those of every scenario using it: its reference solution and, where it has
one, its naive solution, at seed 0, plus the service's extra cases
(:mod:`tests.conformance.cases`: documented errors and operations no solution sends). Each
response is checked (:meth:`Vendor.check`); an error the service's reviewed allow-list
(``ALLOWANCES`` in ``services/<service>.py``: the vendor's description stricter than its live
API, or older) covers does not count against the service.

A response is *validated* when the vendor documents a JSON schema for its status. A
success status the operation does not list is invalid (a wrong status); an error status it
does not list (the vendor documents few error bodies; a fault's 429 or 503) cannot be
validated and is counted apart, as is a path the description lacks, unless the vendor lists
every error status (:attr:`Vendor.lists_error_statuses`): then it is a wrong status too. A
case answered with another status than it expects (``Case.status``) fails, whatever its body.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from gym_apibench import scenario_ids
from gym_apibench.scenarios import get_scenario
from mockapis.registry import get_service
from tests.conformance.cases import extra_exchanges, service_module
from tests.conformance.exchanges import Exchange, played
from tests.conformance.vendor import VENDORS, Check
from tests.test_specs import route_operations

__all__ = [
    "Allowance",
    "Outcome",
    "Summary",
    "allowances",
    "check_exchange",
    "check_service",
    "summarise",
]

SEED = 0


@dataclass(frozen=True)
class Allowance:
    """A reviewed deviation: errors matching ``match`` (a regular expression) in responses
    of ``operation`` of ``service`` are deliberate, for ``reason``."""

    service: str
    operation: str
    match: str
    reason: str

    def covers(self, check: Check, error: str) -> bool:
        return (
            check.service == self.service
            and check.operation == self.operation
            and re.search(self.match, error) is not None
        )


@functools.cache
def allowances(service: str) -> tuple[Allowance, ...]:
    """``service``'s allow-list (``ALLOWANCES`` in its ``services/<service>.py``: dicts of
    ``operation``, ``match`` and ``reason``); an entry without a reason is an error."""
    found = []
    for entry in service_module(service).ALLOWANCES:
        if not str(entry.get("reason", "")).strip():
            raise ValueError(f"allow-list entry without a reason: {entry}")
        found.append(Allowance(service, entry["operation"], entry["match"], entry["reason"]))
    return tuple(found)


@dataclass(frozen=True)
class Outcome:
    """A checked exchange: its :class:`Check`, and its errors no allowance covers."""

    exchange: Exchange
    check: Check
    unexplained: tuple[str, ...]
    allowed: tuple[str, ...] = ()

    @property
    def validated(self) -> bool:
        return self.check.outcome in ("valid", "invalid")

    @property
    def failed(self) -> bool:
        return bool(self.unexplained) or (
            self.check.outcome == "undocumented-status" and 200 <= self.check.status < 300
        )


def scenarios_using(service: str) -> list[str]:
    """The scenarios (their faulty variants left out) whose tasks use ``service``."""
    return [
        sid
        for sid in scenario_ids()
        if not sid.endswith(".faulty") and service in get_scenario(sid).services
    ]


def exchanges_of(service: str) -> Iterable[Exchange]:
    """Every exchange with ``service`` the suite checks."""
    for sid in scenarios_using(service):
        kinds = [False, True] if get_scenario(sid).naive else [False]
        for naive in kinds:
            yield from (e for e in played(sid, SEED, naive=naive) if e.service == service)
    yield from extra_exchanges(service)


def check_service(service: str) -> list[Outcome]:
    """Every exchange of ``service`` checked against its vendor's description."""
    vendor = VENDORS[service]
    return [
        check_exchange(exchange)
        for exchange in exchanges_of(service)
        if not vendor.hosts or exchange.host in vendor.hosts
    ]


def check_exchange(exchange: Exchange) -> Outcome:
    """One exchange checked against its service's vendor description and allow-list; a
    case's response with another status than the case expects fails whatever its body."""
    service, vendor = exchange.service, VENDORS[exchange.service]
    check = vendor.check(
        exchange.method, exchange.path, exchange.status, exchange.body, json=exchange.json
    )
    allowed = tuple(
        error for error in check.errors if any(a.covers(check, error) for a in allowances(service))
    )
    unexplained = tuple(error for error in check.errors if error not in allowed)
    if exchange.expected and exchange.status not in exchange.expected:
        expected = " or ".join(map(str, exchange.expected))
        unexplained = (f"status {exchange.status}, where the case expects {expected}",)
    elif vendor.lists_error_statuses and check.outcome == "undocumented-status":
        unexplained = (f"status {exchange.status}: not among the operation's responses",)
    return Outcome(exchange, check, unexplained, allowed)


def emulated_operations(service: str) -> tuple[set[str], set[str]]:
    """The vendor operations ``service``'s routes emulate, and the routes (``METHOD /path``)
    that match no operation of the vendor's description."""
    vendor = VENDORS[service]
    emulated, unmatched = set(), set()
    for method, path in route_operations(get_service(service)):
        operation = vendor.operation(method, re.sub(r"\{[^}]+\}", "x", path))
        if operation is None:
            unmatched.add(f"{method} {path}")
        else:
            emulated.add(operation.name)
    return emulated, unmatched


@dataclass
class Summary:
    """One service's line of ``make conformance``."""

    service: str
    emulated: set[str] = field(default_factory=set)
    operations: set[str] = field(default_factory=set)
    validated: int = 0
    valid: int = 0
    allowed: int = 0
    undocumented: int = 0
    unknown_paths: set[str] = field(default_factory=set)
    unmatched_routes: set[str] = field(default_factory=set)
    """Routes of the service that match no operation of the vendor's description."""
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        check = outcome.check
        if check.outcome == "no-operation":
            self.unknown_paths.add(check.operation)
            return
        self.operations.add(check.operation)
        if outcome.failed:
            self.failures.append(outcome)
        if outcome.validated or (check.outcome == "undocumented-status" and check.status < 300):
            self.validated += 1
            self.valid += not outcome.failed
            self.allowed += bool(outcome.allowed) and not outcome.failed
        elif check.outcome in ("undocumented-status", "no-schema"):
            self.undocumented += 1

    @property
    def unexercised(self) -> set[str]:
        """Emulated operations no exchange of the suite reached."""
        return self.emulated - self.operations

    def line(self) -> str:
        share = f"{100 * self.valid / self.validated:.0f}%" if self.validated else "-"
        exercised = len(self.emulated & self.operations)
        return (
            f"{self.service:<11} operations {exercised:>3}/{len(self.emulated):<3} "
            f"responses validated {self.validated:>4}  valid {self.valid:>4} "
            f"({share}; {self.allowed} by the allow-list)  "
            f"not validatable {self.undocumented:>3}  unknown paths {len(self.unknown_paths)}"
        )


def summarise(service: str, outcomes: Iterable[Outcome]) -> Summary:
    emulated, unmatched = emulated_operations(service)
    summary = Summary(service, emulated, unmatched_routes=unmatched)
    for outcome in outcomes:
        summary.add(outcome)
    return summary


def describe(outcome: Outcome) -> str:
    """One failure, for a test's message: where it came from and what differs."""
    check = outcome.check
    what = "; ".join(outcome.unexplained[:6]) or f"status {check.status} not documented"
    return f"{check.operation} -> {check.status} ({outcome.exchange.source}): {what}"
