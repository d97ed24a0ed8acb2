"""Helpers for reference solutions: generators that yield actions and receive responses.

A solution is ``def solve(task) -> Solution``; it yields request actions, receives each
observation back, and ends by yielding ``{"submit": answer}``. It sees only what an agent
sees (the task and the HTTP responses), never the world.

:func:`recovering` plays a solution through one retry and recovery layer (the ``robust``
agent); a solution helps it with :func:`hint`s on the requests only it knows how to recover.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import functools
import itertools
import json
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from gym_apibench.bodies import body_bytes, header
from gym_apibench.renewal import Tokens, bearer, expired, with_bearer

__all__ = [
    "FLOW_CREDENTIALS",
    "RESTARTS",
    "RETRYABLE",
    "Check",
    "CursorExpired",
    "Exchange",
    "HintedAction",
    "Recovery",
    "Remake",
    "Solution",
    "SolutionError",
    "Transient",
    "Unachievable",
    "auth_headers",
    "body_bytes",
    "cursor_expired",
    "expect_json",
    "hint",
    "recovering",
    "request",
    "restarts",
    "retry_after",
    "send",
    "server_time",
]

Solution = Generator[dict[str, Any], dict[str, Any], None]
Exchange = Generator[dict[str, Any], dict[str, Any], dict[str, Any]]
"""A sub-generator that sends one or more actions and returns the final observation."""

RETRYABLE = frozenset({429, 500, 502, 503, 504})


class SolutionError(RuntimeError):
    """A reference solution got a response it cannot go on from."""


class CursorExpired(SolutionError):
    """A listing's page answered that its cursor (or page token, or offset) is no longer
    valid: the listing must start again from its first page (:func:`restarts`)."""


def cursor_expired(observation: Mapping[str, Any]) -> bool:
    """Whether ``observation`` is a 400 saying the request's pagination cursor is no longer
    valid: the ``invalid_cursor`` code the emulated services give it (Slack's and Stripe's
    name), or the ``cursor_expiry`` fault's message in formats that have no code."""
    if observation.get("status") != 400:
        return False
    body = str(observation.get("body", ""))
    return "invalid_cursor" in body or "has expired or is no longer valid" in body


RESTARTS = 1000
"""How many times :func:`restarts` starts a listing at most: in practice the step budget
ends it first (cursors that expire at random may hold on the next try, as retries may get
through, and a long listing can need many tries: github.search-past-cap walks ranges of
about ten pages)."""

_R = TypeVar("_R")
_P = ParamSpec("_P")


def restarts(
    listing: Callable[_P, Generator[dict[str, Any], dict[str, Any], _R]],
) -> Callable[_P, Generator[dict[str, Any], dict[str, Any], _R]]:
    """Decorate a listing (a generator function that pages through a collection and
    returns what it gathered) so that a page whose cursor expired (:class:`CursorExpired`,
    raised by :func:`expect_json`) starts it again from its first page, up to
    :data:`RESTARTS` tries in all. The listing must only read, and gather into state of its
    own: a restart repeats its requests and starts its gathering afresh."""

    @functools.wraps(listing)
    def restarted(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> Generator[dict[str, Any], dict[str, Any], _R]:
        for attempt in range(1, RESTARTS + 1):
            try:
                return (yield from listing(*args, **kwargs))
            except CursorExpired:
                if attempt == RESTARTS:
                    raise
        raise AssertionError("unreachable")

    return restarted


class Unachievable(SolutionError):
    """A fault left the task with no way to finish, as the solution can tell (a write whose
    response was lost and that no request can check or repeat without changing the world
    twice). Raised under :func:`recovering`, it marks the episode impossible with its
    message as the reason; anywhere else it is an error like any other."""


FLOW_CREDENTIALS = frozenset({"login", "signed", "oauth1", "oauth2"})
"""Credential types with no static header: ``login`` (a username and password for a login or
consent page), ``signed`` (a key and secret to sign each request with), ``oauth1`` (an OAuth
1.0a consumer, and a resource owner's login) and ``oauth2`` (an OAuth 2.0 client, and a
resource owner's login). The service's spec describes the flow."""


def auth_headers(credentials: Mapping[str, str]) -> dict[str, str]:
    """Request headers for a credentials entry of ``task["credentials"]``: none for the
    :data:`FLOW_CREDENTIALS` types, which authenticate through a flow or per request."""
    kind = credentials.get("type")
    if kind == "none" or kind in FLOW_CREDENTIALS:
        return {}
    if kind == "bearer":
        return {"Authorization": f"Bearer {credentials['token']}"}
    if kind == "api_key":
        return {credentials["header"]: credentials["key"]}
    if kind == "raw":
        return {"Authorization": credentials["token"]}
    if kind == "basic":
        pair = f"{credentials['username']}:{credentials['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    raise SolutionError(f"no header form for credentials of type {kind!r}")


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: Any = None,
) -> dict[str, Any]:
    """A request action."""
    action: dict[str, Any] = {"method": method, "url": url, "headers": dict(headers or {})}
    if json_body is not None:
        action["json"] = json_body
    return action


def expect_json(observation: Mapping[str, Any], status: int | tuple[int, ...] = (200,)) -> Any:
    """The JSON body of ``observation``, which must have one of the ``status`` codes (else a
    :class:`SolutionError`; a cursor expiry is a :class:`CursorExpired`, for
    :func:`restarts`)."""
    allowed = (status,) if isinstance(status, int) else status
    if observation["status"] not in allowed:
        if cursor_expired(observation):
            raise CursorExpired(f"the listing's cursor expired: {observation['body'][:300]}")
        raise SolutionError(
            f"expected status {allowed}, got {observation['status']}: {observation['body'][:300]}"
        )
    return json.loads(observation["body"]) if observation["body"] else None


def server_time(observation: Mapping[str, Any]) -> dt.datetime | None:
    """The response's ``Date`` as an aware datetime, or None when it has no valid one
    (services that check client timestamps send it for clients to sync with)."""
    value = header(observation, "date")
    if value is None:
        return None
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def retry_after(observation: Mapping[str, Any]) -> float | None:
    """Seconds to wait from a response's ``Retry-After`` (delta-seconds or an HTTP-date
    measured against the response's ``Date``), or None when it gives none."""
    value = header(observation, "retry-after")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = server_time(observation)
    return None if now is None else max(0.0, (when - now).total_seconds())


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def send(
    action: dict[str, Any],
    *,
    attempts: int = 8,
    backoff: float = 1.0,
    wait: bool = True,
    safe: bool | None = None,
    check: Check | None = None,
    transient: Transient | None = None,
    renews: bool = False,
) -> Exchange:
    """Send ``action``; on 429 or 5xx wait (``Retry-After``, else exponential backoff) and
    send it again (``wait=False``: again at once, as a naive client does).

    Transport failures (status 0) are retried only for a ``safe`` request (by default a GET,
    HEAD or OPTIONS; a POST that only reads, like a search, can say so): retrying a write
    whose response was lost may repeat it, and only the caller knows how to check. The
    action goes out :func:`hint`-ed with ``safe``, ``check``, ``transient`` and ``renews``,
    for :func:`recovering` (``send`` itself uses only ``safe``)."""
    if safe is None:
        safe = str(action.get("method", "")).upper() in SAFE_METHODS
    action = hint(action, safe=safe, check=check, transient=transient, renews=renews)
    observation: dict[str, Any] = {}
    for attempt in range(attempts):
        observation = yield action
        status = observation["status"]
        if status not in RETRYABLE and not (status == 0 and safe):
            return observation
        if wait:
            delay = retry_after(observation)
            yield {"wait": delay if delay is not None else backoff * 2**attempt}
    return observation


Check = Callable[[], Exchange]
"""How to tell whether a write whose response was lost happened: an exchange (it may send
requests) that returns the observation standing for the write's response when it did, or
``{}`` when it did not (the write is then sent again)."""


Transient = Callable[[Mapping[str, Any]], bool]
"""Whether a response that is not a 429 or 5xx still reports a passing upstream failure (a
proxy's 200 wrapping its target's 502): retried like a 5xx."""


Remake = Callable[[Mapping[str, Any]], Exchange]
"""The request to send again after the given failed answer, made afresh (an exchange, which
may send requests first): a signed request needs a new timestamp and nonce, and a client
may sync its clock from the failure's ``Date`` or from the server first."""


Garbled = Callable[[str, str, Mapping[str, Any]], bool]
"""Whether the answer to ``(method, url)`` is a success whose body is not what the operation
documents (a cut JSON document, a proxy's HTML page): its response never arrived whole
(:meth:`gym_apibench.documented.Documented.garbled`)."""


class HintedAction(dict[str, Any]):
    """A request action that also says how to recover it (:func:`hint`); to the env it is the
    plain action (the hints are attributes, not keys, so they never reach the wire)."""

    safe: bool | None = None
    check: Check | None = None
    transient: Transient | None = None
    remake: Remake | None = None
    renews: bool = False


def hint(
    action: Mapping[str, Any],
    *,
    safe: bool | None = None,
    check: Check | None = None,
    transient: Transient | None = None,
    remake: Remake | None = None,
    renews: bool = False,
) -> HintedAction:
    """``action`` marked for :func:`recovering`: ``safe`` (sending it twice does no harm: a
    read, or a POST that only reads), ``check`` (see :data:`Check`), ``transient`` (see
    :data:`Transient`), ``remake`` (see :data:`Remake`) and ``renews`` (the solution renews
    this request's token itself when it dies: the layer leaves the 401 to it, since a refresh
    grant of its own would spend the refresh token the solution holds)."""
    hinted = HintedAction(action)
    hinted.safe = safe
    hinted.check = check
    hinted.transient = transient
    hinted.remake = remake
    hinted.renews = renews
    return hinted


IDEMPOTENT_METHODS = frozenset({"PUT", "DELETE", "PATCH"})
"""Methods resent after a lost response: PUT and DELETE, idempotent by RFC 9110, and PATCH,
which the reference solutions use only to set fields (a write with a check is checked
instead)."""


@dataclass
class Recovery:
    """What :func:`recovering` did in an episode, and whether the faults made it impossible.

    ``impossible`` is a short reason, ``None`` while the task is achievable: ``budget: ...``
    (the step limit left no room for the retries the faults forced), ``outage: ...`` (a
    request kept failing through every attempt), or an :class:`Unachievable`'s message.
    ``retries`` counts requests sent again (and checks run), ``checks`` the checks;
    ``failing`` how many times in a row the request being sent has failed.

    ``garbled`` tells a success whose body is not what the operation documents (see
    :data:`Garbled`); such an answer is taken as lost, like a status 0. ``tokens`` renews a
    bearer token that died (:class:`~gym_apibench.renewal.Tokens`).

    ``attempts`` caps the sends of one request; ``None`` (only with ``max_steps``) leaves
    the step budget as the only cap: under faults that fire at random, a request that failed
    16 times may still get through on the 17th, and the episode is impossible only once the
    budget says so."""

    max_steps: int | None = None
    attempts: int | None = 16
    garbled: Garbled | None = None
    tokens: Tokens | None = None
    backoff: float = 1.0
    steps: int = 0
    retries: int = 0
    checks: int = 0
    failing: int = 0
    impossible: str | None = None

    def __post_init__(self) -> None:
        if self.attempts is None and self.max_steps is None:
            raise ValueError("Recovery needs max_steps or attempts: something must end retries")


def recovering(solution: Solution, recovery: Recovery) -> Solution:
    """``solution`` played through one retry and recovery layer, as a careful client would.

    Each request the solution yields is sent until it gets an answer to go on with, at the
    least cost in steps (every action is a step of the task's budget): a 429 waits out its
    ``Retry-After`` (else exponential backoff), since the quota needs the time, and is sent
    again; a 5xx, or an answer the request's :data:`Transient` hook calls a passing upstream
    failure, is sent again at once; a transport failure (status 0, e.g. a write committed and
    its response lost) is resent when the request is safe or idempotent, and otherwise
    checked with the request's :data:`Check` hook (itself played through this layer) before
    it is resent (a success with a garbled body, ``recovery.garbled``, counts as lost);
    without a hook the failure goes to the solution, which may know what to do. A DELETE
    that answers 404 after its lost first attempt is taken as done.

    The episode is impossible (``recovery.impossible`` says why, and the layer submits
    ``None``) when the budget has only the submit's step left, the solution still wants a
    request, and faults took steps: ``budget: ...``; when one request failed through all
    ``recovery.attempts``: ``outage: ...``; or when the solution raises :class:`Unachievable`
    (its message, e.g. ``lost-write: ...``).
    """
    try:
        yield from _drive(solution, recovery)
    except _Impossible:
        yield {"submit": None}
    except Unachievable as exc:
        recovery.impossible = str(exc)
        yield {"submit": None}


class _Impossible(Exception):
    """Raised inside :func:`recovering` once ``Recovery.impossible`` is set."""


def _drive(exchange: Generator[dict[str, Any], dict[str, Any], Any], recovery: Recovery) -> Any:
    """Play ``exchange`` (a solution or a check) through the layer; its return value."""
    try:
        action = next(exchange)
        while True:
            if "method" in action:
                observation = yield from _exchange(action, recovery)
            else:
                observation = yield from _step(action, recovery)
            action = exchange.send(observation)
    except StopIteration as stop:
        return stop.value


def _step(action: dict[str, Any], recovery: Recovery) -> Exchange:
    """Send one action, unless the budget has no room left for it after retries."""
    budget = recovery.max_steps
    last = budget is not None and recovery.steps >= budget - 1
    if last and "submit" not in action and recovery.retries:
        streak = (
            f" (the last request failed {recovery.failing} times in a row)"
            if recovery.failing > 1
            else ""
        )
        recovery.impossible = (
            f"budget: only the submit's step of {budget} is left after {recovery.retries} "
            f"retries{streak}, and the task needs more requests"
        )
        raise _Impossible
    recovery.steps += 1
    observation: dict[str, Any] = yield action
    return observation


def _exchange(action: dict[str, Any], recovery: Recovery) -> Exchange:
    """One request of the solution, retried and recovered (see :func:`recovering`)."""
    method = str(action.get("method", "")).upper()
    safe = getattr(action, "safe", None)
    if safe is None:
        safe = method in SAFE_METHODS
    check: Check | None = getattr(action, "check", None)
    transient: Transient | None = getattr(action, "transient", None)
    remake: Remake | None = getattr(action, "remake", None)
    resend = safe or (method in IDEMPOTENT_METHODS and check is None)
    lost = False
    observation: dict[str, Any] = {}
    attempts = itertools.count() if recovery.attempts is None else range(recovery.attempts)
    for attempt in attempts:
        recovery.failing = attempt
        if attempt and remake is not None:
            action = yield from _drive(remake(observation), recovery)
        action = _live_token(action, recovery.tokens)
        observation = yield from _step(dict(action), recovery)
        status = observation["status"]
        if cursor_expired(observation):
            # The solution starts its listing again (restarts): steps the fault forced.
            recovery.retries += 1
        if recovery.tokens is not None:
            recovery.tokens.observe(action, observation)
            renews = getattr(action, "renews", False)
            if not renews and expired(observation) and (yield from _renew(action, recovery)):
                recovery.retries += 1
                continue
        if recovery.garbled is not None and recovery.garbled(
            method, str(action.get("url", "")), observation
        ):
            status = 0  # the answer never arrived whole: as a lost response
        if status == 429:
            recovery.retries += 1
            delay = retry_after(observation)
            wait = {"wait": delay if delay is not None else recovery.backoff * 2**attempt}
            yield from _step(wait, recovery)
            continue
        if status in RETRYABLE or (transient is not None and transient(observation)):
            # A failing upstream is no quota: resend at once, since a wait is a step too.
            recovery.retries += 1
            continue
        if status == 0 and resend:
            recovery.retries += 1
            lost = True
            continue
        if status == 0 and check is not None:
            recovery.retries += 1
            recovery.checks += 1
            found: dict[str, Any] = yield from _drive(check(), recovery)
            if found:
                return found
            continue
        if lost and method == "DELETE" and status == 404:
            # The first attempt deleted it; its response was what got lost.
            return {"status": 200, "headers": {}, "body": ""}
        return observation
    recovery.impossible = (
        f"outage: {method} {action.get('url')} failed {recovery.attempts} times "
        f"(last status {observation.get('status')})"
    )
    raise _Impossible


def _live_token(action: dict[str, Any], tokens: Tokens | None) -> dict[str, Any]:
    """``action`` with the token that replaced its dead bearer token, if one did."""
    token = bearer(action) if tokens is not None else None
    if tokens is None or token is None or tokens.current(token) == token:
        return action
    return with_bearer(action, tokens.current(token))


def _renew(action: dict[str, Any], recovery: Recovery) -> Generator[dict[str, Any], Any, bool]:
    """After ``action``'s bearer token died: the refresh grant, played through the layer;
    whether a new token came of it. A token nothing can renew makes the task impossible;
    one the layer cannot renew goes back to the solution, which may know how."""
    tokens = recovery.tokens
    token = bearer(action)
    if tokens is None or token is None:
        return False
    grant = tokens.grant(token)
    if grant is None:
        if tokens.static(token):
            recovery.impossible = (
                f"auth: the access token for {urlsplit(str(action.get('url'))).netloc} "
                "expired, and its credentials hold no way to a new one"
            )
            raise _Impossible
        return False

    def ask() -> Exchange:
        return (yield grant.action())

    answer: dict[str, Any] = yield from _drive(ask(), recovery)
    return tokens.renewed(token, answer) is not None
