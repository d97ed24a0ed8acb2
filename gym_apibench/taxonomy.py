"""The failure taxonomy: why a failed episode failed, read from its HTTP trace and checks.

:func:`classify` is deterministic: it looks at the episode's failure record (``failure`` and
``checks`` of :class:`~gym_apibench.results.EpisodeResult`) and its trace (a HAR document of
:mod:`gym_apibench.har`) and returns the FIRST category, in this order, whose rule holds:

1. ``crash_timeout``: the agent raised or was stopped (failure ``agent_error: ...``,
   ``timeout...``, ``crash...``).
2. ``auth_error``: a service answered 401 or 403, and no later request to that service got a
   2xx (the agent never (re)gained access).
3. ``rate_limit_mishandled``: a 429 was never recovered (no later 2xx for the same service,
   method and path), or the next request to that path was sent before the 429's
   ``Retry-After`` had passed on the episode clock.
4. ``fault_not_recovered``: a 5xx, a transport error (status 0 other than an unknown host) or
   an injected fault (``_faults``) with no later 2xx for the same service, method and path.
5. ``step_budget_exhausted``: the step limit ended the episode (failure ``step_limit``).
6. ``unknown_endpoint``: a request to a host no service has, or to a method and path that the
   service's spec does not document, with no later 2xx from that service for that method.
7. ``wrong_parameter``: a 4xx to a documented operation whose request used a query
   parameter or body field the operation does not document in that location (misnamed, or
   given in the query instead of the body, ...), not followed by a 2xx for the same service,
   method and path.
8. ``validation_error_not_corrected``: any other 400 or 422 not followed by a 2xx for the
   same service, method and path.
9. ``incomplete_pagination``: a 2xx page announced more (a ``Link: rel="next"``, a true
   ``has_more``, a non-empty next cursor or page; or, on a page with no such signal either
   way, as many items as the page size asked for or documented) and no later request went
   to that service, method and path.
10. ``overshoot``: the answer has every expected item and more (extra or duplicated items),
    or a rows check counted more added rows than expected.
11. ``no_answer``: nothing (or ``null``) was submitted, and an answer was due (an answer
    check failed) or the agent sent no request at all.
12. ``wrong_answer``: anything else (a wrong answer or a wrong final state).

Without a trace (results of older runs), only the rules that need no trace apply (1, 5, 10
from the checks' details, 11, 12).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mockapis.registry import get_service
from mockapis.service import DOCS_PATH
from mockapis.specs import deref, load_spec, path_pattern

__all__ = ["CATEGORIES", "CATEGORY_LABELS", "classify"]

CATEGORY_LABELS: dict[str, str] = {
    "crash_timeout": "crash/timeout",
    "auth_error": "auth error",
    "rate_limit_mishandled": "rate limit mishandled",
    "fault_not_recovered": "fault not recovered",
    "step_budget_exhausted": "step budget exhausted",
    "unknown_endpoint": "unknown endpoint",
    "wrong_parameter": "wrong parameter location or name",
    "validation_error_not_corrected": "validation error not corrected",
    "incomplete_pagination": "incomplete pagination",
    "overshoot": "overshoot",
    "no_answer": "no answer",
    "wrong_answer": "wrong answer",
}
"""Every category id and its label, in precedence order."""
CATEGORIES = tuple(CATEGORY_LABELS)

_CRASH_PREFIXES = ("agent_error", "timeout", "crash")
_NEXT_KEYS = frozenset(
    {"next_cursor", "nextCursor", "next_page", "nextPage", "next_page_token", "nextPageToken"}
)
_MORE_KEYS = frozenset({"has_more", "hasMore", "has_next", "hasNext"})
_SIZE_KEYS = (
    "limit",
    "per_page",
    "per-page",
    "page_size",
    "pagesize",
    "pageSize",
    "max_results",
    "maxResults",
    "count",
)
_ROWS_DETAIL = re.compile(r"added (\d+) rows, expected (\d+)")
_SET_DETAIL = re.compile(r"^0 missing, (\d+) unexpected, (\d+) duplicated")


@dataclass(frozen=True)
class _Exchange:
    """One HAR entry, reduced to what the rules read."""

    service: str | None
    method: str
    path: str
    query: list[tuple[str, str]]
    body: str
    body_type: str
    status: int
    headers: Mapping[str, str]
    text: str
    at: datetime

    @property
    def target(self) -> tuple[str | None, str, str]:
        return (self.service, self.method, self.path)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _exchanges(har: Mapping[str, Any]) -> list[_Exchange]:
    found = []
    for entry in har.get("log", {}).get("entries", ()):
        request, response = entry["request"], entry["response"]
        url = urlsplit(request["url"])
        post = request.get("postData") or {}
        found.append(
            _Exchange(
                service=(entry.get("_apibench") or {}).get("service"),
                method=request["method"],
                path=url.path or "/",
                query=parse_qsl(url.query, keep_blank_values=True),
                body=str(post.get("text", "")),
                body_type=str(post.get("mimeType", "")),
                status=int(response["status"]),
                headers={h["name"].lower(): h["value"] for h in response.get("headers", ())},
                text=str(response.get("content", {}).get("text", "")),
                at=datetime.fromisoformat(entry["startedDateTime"]),
            )
        )
    return found


def _later(xs: Sequence[_Exchange], i: int) -> Sequence[_Exchange]:
    return xs[i + 1 :]


def _recovered(xs: Sequence[_Exchange], i: int) -> bool:
    """A later 2xx for the same service, method and path."""
    return any(x.ok and x.target == xs[i].target for x in _later(xs, i))


# --- the spec: documented operations and parameters --------------------------------------


@dataclass(frozen=True)
class _Operation:
    method: str
    pattern: re.Pattern[str]
    params: Mapping[str, frozenset[str]]  # location ("query", "body", ...) -> names
    open_body: bool  # the body's fields are not enumerated: no field is "wrong"
    page_size_defaults: Mapping[str, int]


def _body_fields(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> frozenset[str] | None:
    """The documented top-level body fields; ``None`` when they are not enumerated."""
    body = deref(spec, operation.get("requestBody"))
    if not isinstance(body, Mapping):
        return frozenset()
    names: set[str] = set()
    for media in (body.get("content") or {}).values():
        schema = deref(spec, (media or {}).get("schema"))
        if not isinstance(schema, Mapping):
            return None
        parts = [deref(spec, s) for s in schema.get("allOf", ())] or [schema]
        for part in parts:
            props = part.get("properties") if isinstance(part, Mapping) else None
            if not isinstance(props, Mapping) or part.get("additionalProperties"):
                return None
            names.update(props)
    return frozenset(names)


@functools.cache
def _operations(service: str) -> tuple[_Operation, ...]:
    spec = load_spec(get_service(service).spec_path)
    found = [_Operation("GET", re.compile(re.escape(DOCS_PATH)), {}, True, {})]
    for path, item in (spec.get("paths") or {}).items():
        pattern = path_pattern(path)
        shared = [deref(spec, p) for p in item.get("parameters", ())]
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, Mapping):
                continue
            params: dict[str, set[str]] = {}
            defaults: dict[str, int] = {}
            for param in [*shared, *(deref(spec, p) for p in operation.get("parameters", ()))]:
                if not isinstance(param, Mapping) or "name" not in param:
                    continue
                params.setdefault(str(param.get("in")), set()).add(str(param["name"]))
                default = (param.get("schema") or {}).get("default")
                if param["name"] in _SIZE_KEYS and isinstance(default, int):
                    defaults[str(param["name"])] = default
            fields = _body_fields(spec, operation)
            params["body"] = set(fields or ())
            frozen = {k: frozenset(v) for k, v in params.items()}
            found.append(_Operation(method.upper(), pattern, frozen, fields is None, defaults))
    return tuple(found)


def _operation(x: _Exchange) -> _Operation | None:
    if x.service is None:
        return None
    try:
        ops = _operations(x.service)
    except KeyError:
        return None
    return next((op for op in ops if op.method == x.method and op.pattern.fullmatch(x.path)), None)


def _body_names(x: _Exchange) -> list[str]:
    if not x.body:
        return []
    if "json" in x.body_type:
        try:
            data = json.loads(x.body)
        except ValueError:
            return []
        return list(data) if isinstance(data, dict) else []
    if "form" in x.body_type:
        return [name.split("[", 1)[0] for name, _ in parse_qsl(x.body, keep_blank_values=True)]
    return []


def _undocumented(x: _Exchange, op: _Operation) -> bool:
    """The request names a parameter the operation does not document where it was given."""
    if any(name not in op.params.get("query", frozenset()) for name, _ in x.query):
        return True
    return not op.open_body and any(
        name not in op.params.get("body", frozenset()) for name in _body_names(x)
    )


# --- pagination signals ------------------------------------------------------------------


def _items(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return next((v for v in data.values() if isinstance(v, list)), None)
    return None


def _walk(data: Any, depth: int = 2) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict) and depth >= 0:
        for key, value in data.items():
            yield str(key), value
            yield from _walk(value, depth - 1)


def _page_size(x: _Exchange, op: _Operation | None) -> int | None:
    asked = dict(x.query)
    if x.body and "json" in x.body_type:
        try:
            data = json.loads(x.body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            asked.update({k: str(v) for k, v in data.items() if k in _SIZE_KEYS})
    for key in _SIZE_KEYS:
        if key in asked:
            try:
                return int(asked[key])
            except ValueError:
                return None
    if op is not None:
        return next(
            (op.page_size_defaults[k] for k in _SIZE_KEYS if k in op.page_size_defaults), None
        )
    return None


def _announces_more(x: _Exchange) -> bool:
    """The page says more follows: explicitly (a next link, ``has_more``, a next cursor) or,
    when it says nothing either way, by being full (as many items as the page size)."""
    link = x.headers.get("link", "")
    if re.search(r'rel="?next"?', link):
        return True
    try:
        data = json.loads(x.text)
    except ValueError:
        return False
    explicit = bool(link)
    for key, value in _walk(data):
        if key in _MORE_KEYS:
            if value is True:
                return True
            explicit = True
        elif key in _NEXT_KEYS:
            if value not in (None, "", False, 0):
                return True
            explicit = True
    if explicit:
        return False
    items, size = _items(data), _page_size(x, _operation(x))
    return items is not None and size is not None and 0 < size == len(items)


# --- the rules ---------------------------------------------------------------------------


def _retry_after(x: _Exchange) -> float | None:
    try:
        return float(x.headers.get("retry-after", ""))
    except ValueError:
        return None


def _auth_error(xs: Sequence[_Exchange]) -> bool:
    return any(
        x.status in (401, 403) and not any(y.ok and y.service == x.service for y in _later(xs, i))
        for i, x in enumerate(xs)
    )


def _rate_limit_mishandled(xs: Sequence[_Exchange]) -> bool:
    for i, x in enumerate(xs):
        if x.status != 429:
            continue
        if not _recovered(xs, i):
            return True
        wait = _retry_after(x)
        retry = next((y for y in _later(xs, i) if y.target == x.target), None)
        if wait is not None and retry is not None and (retry.at - x.at).total_seconds() < wait:
            return True
    return False


def _fault_not_recovered(xs: Sequence[_Exchange], har: Mapping[str, Any]) -> bool:
    entries = har.get("log", {}).get("entries", ())
    for i, x in enumerate(xs):
        transport = x.status == 0 and x.service is not None
        faulted = bool(entries[i].get("_faults"))
        if (x.status >= 500 or transport or faulted) and not _recovered(xs, i):
            return True
    return False


def _unknown_endpoint(xs: Sequence[_Exchange]) -> bool:
    for i, x in enumerate(xs):
        if x.service is None or (x.status in (404, 405) and _operation(x) is None):
            fixed = any(
                y.ok and y.method == x.method and (x.service is None or y.service == x.service)
                for y in _later(xs, i)
            )
            if not fixed:
                return True
    return False


def _wrong_parameter(xs: Sequence[_Exchange]) -> bool:
    for i, x in enumerate(xs):
        if 400 <= x.status < 500 and x.status not in (401, 403, 404, 429):
            op = _operation(x)
            if op is not None and _undocumented(x, op) and not _recovered(xs, i):
                return True
    return False


def _validation_error(xs: Sequence[_Exchange]) -> bool:
    return any(x.status in (400, 422) and not _recovered(xs, i) for i, x in enumerate(xs))


def _incomplete_pagination(xs: Sequence[_Exchange]) -> bool:
    return any(
        x.ok and _announces_more(x) and not any(y.target == x.target for y in _later(xs, i))
        for i, x in enumerate(xs)
    )


def _overshoot(checks: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> bool:
    size = meta.get("answer_size")
    if isinstance(size, Mapping) and size.get("missing") == 0 and size.get("extra", 0) > 0:
        return True
    for check in checks:
        if check.get("passed"):
            continue
        detail = str(check.get("detail", ""))
        rows = _ROWS_DETAIL.search(detail)
        if rows and int(rows.group(1)) > int(rows.group(2)):
            return True
        extra = _SET_DETAIL.match(detail)
        if extra and (int(extra.group(1)) or int(extra.group(2))):
            return True
    return False


def classify(
    failure: str | None,
    checks: Sequence[Mapping[str, Any]] = (),
    har: Mapping[str, Any] | None = None,
) -> str | None:
    """The category of a failed episode (see the module's rules); ``None`` for a success.

    ``failure`` and ``checks`` are the result's; ``har`` is the episode's trace, if any.
    """
    if failure is None:
        return None
    if failure.startswith(_CRASH_PREFIXES):
        return "crash_timeout"
    xs = _exchanges(har) if har is not None else []
    meta: Mapping[str, Any] = (har or {}).get("log", {}).get("_apibench", {})
    if har is not None:
        if _auth_error(xs):
            return "auth_error"
        if _rate_limit_mishandled(xs):
            return "rate_limit_mishandled"
        if _fault_not_recovered(xs, har):
            return "fault_not_recovered"
    if failure.startswith("step_limit"):
        return "step_budget_exhausted"
    if har is not None:
        if _unknown_endpoint(xs):
            return "unknown_endpoint"
        if _wrong_parameter(xs):
            return "wrong_parameter"
        if _validation_error(xs):
            return "validation_error_not_corrected"
        if _incomplete_pagination(xs):
            return "incomplete_pagination"
    if _overshoot(checks, meta):
        return "overshoot"
    answer_due = any(k in failure for k in ("wrong_answer", "no_submit", "no_answer"))
    unanswered = "no_submit" in failure or ("submitted" in meta and meta.get("answer") is None)
    if unanswered and (answer_due or (har is not None and not xs)):
        return "no_answer"
    return "wrong_answer"
