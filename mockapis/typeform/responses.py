"""``/forms/{form_id}/responses``: one form's responses, newest first, with tokens to page by.

``page_size`` (default 25, at most 1000) caps one answer; past 1000 responses a client pages
with ``before`` (the token of the last, oldest, item of a page: the older ones follow) or
``after`` (a token: the newer ones, oldest first). Neither goes with ``sort``, as on Typeform.
``sort`` takes ``submitted_at``, ``landed_at`` or a field id of the form; ``fields`` keeps only
those fields' answers, ``answered_fields`` only responses answering one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record
from mockapis.typeform.access import authorized, page_number, world
from mockapis.typeform.data import RESPONSES
from mockapis.typeform.errors import invalid_param
from mockapis.typeform.forms import form_or_404

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "ROUTES"]

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
SORT_FIELDS = ("submitted_at", "landed_at")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?")


def _moment(name: str, raw: str) -> str:
    """``since``/``until`` (Unix seconds, or ISO 8601 UTC to the second) as Typeform's text."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 11:
        return dt.datetime.fromtimestamp(int(raw), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if _ISO.fullmatch(raw):
        try:
            dt.datetime.fromisoformat(raw.rstrip("Z"))
        except ValueError:
            pass
        else:
            return raw.rstrip("Z") + "Z"
    raise invalid_param(
        name,
        f"{name} must be a Unix timestamp in seconds or an ISO 8601 UTC time to the second "
        f"(2020-03-20T14:00:59); got {raw!r}",
    )


RESPONSE_TYPES = ("started", "partial", "completed")


def _values(answer: Record) -> list[str]:
    """The text an answer carries (what ``query`` matches), not its keys or field ids."""
    value = answer[answer["type"]]
    if answer["type"] == "choice":
        return [value["label"]]
    if answer["type"] == "choices":
        return list(value["labels"])
    return [str(value).lower() if isinstance(value, bool) else str(value)]


def _listed(request: Request, name: str) -> frozenset[str]:
    """A comma-separated query parameter's items, empty when absent."""
    return frozenset(part for part in request.query_params.get(name, "").split(",") if part)


def _filters(request: Request) -> list[Callable[[Record], bool]]:
    params = request.query_params
    tests: list[Callable[[Record], bool]] = []
    if raw := params.get("since"):
        since = _moment("since", raw)
        tests.append(lambda r: bool(r["submitted_at"] >= since))
    if raw := params.get("until"):
        until = _moment("until", raw)
        tests.append(lambda r: bool(r["submitted_at"] <= until))
    if wanted := _listed(request, "included_response_ids"):
        tests.append(lambda r: r["response_id"] in wanted)
    if unwanted := _listed(request, "excluded_response_ids"):
        tests.append(lambda r: r["response_id"] not in unwanted)
    if kinds := _listed(request, "response_type"):
        if not kinds <= set(RESPONSE_TYPES):
            raise invalid_param(
                "response_type",
                f"response_type must be a comma-separated list of {', '.join(RESPONSE_TYPES)}; "
                f"got {params['response_type']!r}",
            )
        tests.append(lambda r: r["response_type"] in kinds)
    if raw := params.get("completed"):
        if raw not in ("true", "false"):
            raise invalid_param("completed", f"completed must be true or false; got {raw!r}")
        # Every seeded response is completed: completed=false selects none.
        tests.append(lambda r: (r["response_type"] == "completed") == (raw == "true"))
    if answered := _listed(request, "answered_fields"):
        tests.append(lambda r: any(a["field"]["id"] in answered for a in r["answers"]))
    if query := params.get("query"):
        needle = query.casefold()
        tests.append(
            lambda r: any(
                needle in text.casefold()
                for text in [
                    *(t for a in r["answers"] for t in _values(a)),
                    *map(str, r["hidden"].values()),
                ]
            )
        )
    return tests


def _sort(request: Request) -> tuple[str, bool] | None:
    raw = request.query_params.get("sort")
    if not raw:
        return None
    field, _, direction = raw.partition(",")
    if not field or direction not in ("", "asc", "desc"):
        raise invalid_param(
            "sort",
            f"sort must be '{{field}},{{asc|desc}}' with field submitted_at, landed_at or a "
            f"field id of the form; got {raw!r}",
        )
    return field, direction != "asc"


def _sort_key(field: str) -> Callable[[Record], tuple[bool, Any, str]]:
    """Order by a built-in time or by the answer to a question: numbers as numbers, others
    by their text; unanswered ones last (first when descending)."""
    if field in SORT_FIELDS:
        return lambda r: (False, r[field], r["token"])

    def by_answer(row: Record) -> tuple[bool, Any, str]:
        for answer in row["answers"]:
            if answer["field"]["id"] == field:
                if answer["type"] == "number":
                    return (False, answer["number"], row["token"])
                return (False, ",".join(_values(answer)), row["token"])
        return (True, 0, row["token"])

    return by_answer


def _position(order: list[Record], name: str, token: str) -> int:
    for index, row in enumerate(order):
        if row["token"] == token:
            return index
    raise invalid_param(name, f"{name} must be the token of a response of this form; got {token!r}")


async def list_responses(request: Request) -> Response:
    """``GET /forms/{form_id}/responses``: ``{"total_items", "page_count", "items"}``."""
    form = form_or_404(request)
    params = request.query_params
    size = page_number(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    sort = _sort(request)
    after, before = params.get("after"), params.get("before")
    if sort is not None and (after or before):
        raise invalid_param("sort", "sort can not be used together with before or after")
    tests = _filters(request)
    rows = [
        row["item"]
        for row in world(request).table(RESPONSES).values()
        if row["form_id"] == form["id"] and all(t(row["item"]) for t in tests)
    ]
    # The order Typeform processed them in: by submission, ties by token.
    rows.sort(key=lambda r: (r["submitted_at"], r["token"]))
    newest_first = True
    if before:
        rows = rows[: _position(rows, "before", before)]
    if after:
        rows = rows[_position(rows, "after", after) + 1 :]
        newest_first = bool(before)
    if sort is not None:
        field, descending = sort
        if field not in SORT_FIELDS and all(f["id"] != field for f in form["fields"]):
            raise invalid_param("sort", f"sort field {field!r} is not a field of this form")
        rows.sort(key=_sort_key(field), reverse=descending)
    elif newest_first:
        rows.reverse()
    items = rows[:size]
    if shown := _listed(request, "fields"):
        items = [
            {**r, "answers": [a for a in r["answers"] if a["field"]["id"] in shown]} for r in items
        ]
    return JSONResponse(
        {"total_items": len(rows), "page_count": -(-len(rows) // size), "items": items}
    )


ROUTES = [Route("/forms/{form_id}/responses", authorized(list_responses), methods=["GET"])]
