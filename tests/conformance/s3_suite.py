"""S3's conformance suite: every exchange with the S3 service checked against botocore's model.

The exchanges are those of every scenario using S3 (its reference solution and, where it has
one, its naive solution, at seed 0), kept raw (XML bodies and headers, which
:func:`tests.conformance.exchanges.played` drops), plus :mod:`tests.conformance.s3_cases`:
boto3 itself, routed through an episode's env steps, sending each emulated operation and each
documented error. Each response is checked with :func:`s3_model.check_response`; the
reviewed allow-list (:data:`ALLOWANCES`) excuses deliberate deviations. The summary is the
other services' (:class:`tests.conformance.suite.Summary`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.routing import Route

from gym_apibench.bodies import body_bytes
from gym_apibench.scenarios import get_scenario
from mockapis.registry import get_service
from tests.conformance.exchanges import Exchange, service_of_host, solution_steps
from tests.conformance.s3_model import (
    check_response,
    operation_for,
    operations,
    path_style,
    query_of,
)
from tests.conformance.suite import Allowance, Outcome, Summary, scenarios_using
from tests.conformance.vendor import Check

__all__ = [
    "ALLOWANCES",
    "EMULATED",
    "SEED",
    "S3Exchange",
    "check_exchange",
    "check_s3",
    "emulated_operations",
    "from_action",
    "summarise_s3",
]

SEED = 0

EMULATED = frozenset(
    {
        "ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation",
        "ListObjects", "ListObjectsV2",
        "PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects",
        "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload",
        "AbortMultipartUpload", "ListParts",
    }
)  # fmt: skip
"""The model's operations the S3 service emulates (the others answer 501 NotImplemented)."""

ALLOWANCES = [
    {
        "operation": "GetObject",
        "match": r"^status 206, where the operation's is 200$",
        "reason": "A Range request is answered 206 Partial Content with Content-Range, as S3 "
        "does and as the RFC 9110 range semantics the model's Range member points to "
        "require; the model has one responseCode per operation (200).",
    },
]
"""The reviewed deviations from botocore's model: dicts of ``operation``, ``match`` (a
regular expression over a check's error) and ``reason``, as in ``services/<service>.py``."""


@dataclass(frozen=True)
class S3Exchange:
    """One request to S3 and its raw response (header names lower-case)."""

    host: str
    method: str
    path: str
    query: str
    request_headers: Mapping[str, str]
    status: int
    headers: Mapping[str, str]
    body: bytes
    source: str
    expected: tuple[int, ...] = field(default=())
    """The statuses a case expects (empty: any); another status fails the exchange."""


def from_action(
    action: Mapping[str, object], observation: Mapping[str, object], source: str
) -> S3Exchange:
    """The exchange of an env step: its action's request and the observation's response."""
    parts = urlsplit(str(action["url"]))
    raw_headers = action.get("headers") or {}
    assert isinstance(raw_headers, Mapping)
    observed = observation.get("headers") or {}
    assert isinstance(observed, Mapping)
    return S3Exchange(
        host=parts.hostname or "",
        method=str(action.get("method", "GET")).upper(),
        path=parts.path or "/",
        query=parts.query,
        request_headers={str(k).lower(): str(v) for k, v in raw_headers.items()},
        status=int(str(observation["status"])),
        headers={str(k).lower(): str(v) for k, v in observed.items()},
        body=body_bytes(observation),
        source=source,
    )


def played_raw(scenario_id: str, seed: int, *, naive: bool = False) -> Iterator[S3Exchange]:
    """The S3 exchanges of ``scenario_id``'s reference (or naive) solution at ``seed``, raw
    (:func:`tests.conformance.exchanges.solution_steps`)."""
    for action, observation, source in solution_steps(scenario_id, seed, naive=naive):
        if service_of_host(urlsplit(str(action["url"])).hostname or "") == "s3":
            yield from_action(action, observation, source)


def exchanges() -> Iterator[S3Exchange]:
    """Every exchange with S3 the suite checks: the solutions', then the cases'."""
    from tests.conformance.s3_cases import case_exchanges

    for sid in scenarios_using("s3"):
        for naive in [False, True] if get_scenario(sid).naive else [False]:
            yield from played_raw(sid, SEED, naive=naive)
    yield from case_exchanges()


@functools.cache
def allowances() -> tuple[Allowance, ...]:
    """:data:`ALLOWANCES` as :class:`Allowance` entries (an entry without a reason fails)."""
    found = []
    for entry in ALLOWANCES:
        if not entry.get("reason", "").strip():
            raise ValueError(f"allow-list entry without a reason: {entry}")
        found.append(Allowance("s3", entry["operation"], entry["match"], entry["reason"]))
    return tuple(found)


def check_exchange(exchange: S3Exchange) -> Check:
    """How one exchange compares with botocore's model."""
    path = path_style(exchange.host, exchange.path)
    operation = operation_for(
        exchange.method, path, query_of(exchange.query), exchange.request_headers
    )
    if operation is None:
        return Check("s3", f"{exchange.method} {path}", exchange.status, "no-operation")
    errors = check_response(
        operation, exchange.method, exchange.status, exchange.headers, exchange.body
    )
    if exchange.expected and exchange.status not in exchange.expected:
        expected = " or ".join(map(str, exchange.expected))
        errors.append(f"status {exchange.status}, where the case expects {expected}")
    return Check(
        "s3", operation.name, exchange.status, "invalid" if errors else "valid", tuple(errors)
    )


def _as_exchange(exchange: S3Exchange) -> Exchange:
    target = exchange.path + (f"?{exchange.query}" if exchange.query else "")
    return Exchange(
        "s3", exchange.host, exchange.method, target, exchange.status, None, exchange.source
    )


def check_s3(found: Iterable[S3Exchange] | None = None) -> list[Outcome]:
    """Every exchange (by default, the suite's) checked, with the allow-list applied."""
    outcomes = []
    for exchange in exchanges() if found is None else found:
        check = check_exchange(exchange)
        allowed = tuple(e for e in check.errors if any(a.covers(check, e) for a in allowances()))
        unexplained = tuple(e for e in check.errors if e not in allowed)
        outcomes.append(Outcome(_as_exchange(exchange), check, unexplained, allowed))
    return outcomes


@functools.cache
def emulated_operations() -> tuple[frozenset[str], frozenset[str]]:
    """The emulated operations (:data:`EMULATED`) that a route of the S3 service serves (by
    its method and path; the query picks among them), and the routes (``METHOD /path``)
    serving none of them. A GET route's implicit HEAD counts where the model has one."""
    emulated: set[str] = set()
    unmatched: set[str] = set()
    by_name = {op.name: op for op in operations()}
    for route in get_service("s3").routes:
        assert isinstance(route, Route)
        template = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: _NAMES[m.group(1)], route.path)
        for method in sorted(route.methods or ()):
            found = {
                name
                for name in EMULATED
                if by_name[name].method == method and by_name[name].path == template
            }
            emulated |= found
            implicit = method == "HEAD" and not any(
                op.method == "HEAD" and op.path == template for op in operations()
            )
            if not found and not implicit:
                unmatched.add(f"{method} {route.path}")
    return frozenset(emulated), frozenset(unmatched)


_NAMES = {"bucket": "{Bucket}", "key": "{Key+}"}
"""The routes' path parameters as the model's ``requestUri`` names them."""


def summarise_s3(outcomes: Iterable[Outcome]) -> Summary:
    """S3's line of ``make conformance``."""
    emulated, unmatched = emulated_operations()
    summary = Summary("s3", set(emulated), unmatched_routes=set(unmatched))
    for outcome in outcomes:
        summary.add(outcome)
    return summary
