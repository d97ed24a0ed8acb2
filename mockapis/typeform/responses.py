"""``/forms/{form_id}/responses``: one form's responses, newest first, with tokens to page by.

``page_size`` (default 25, at most 1000) caps one answer; past 1000 responses a client pages
with ``before`` (the token of the last, oldest, item of a page: the older ones follow) or
``after`` (a token: the newer ones, oldest first). Neither goes with ``sort``, as on Typeform.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

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


def _filters(request: Request) -> list[Callable[[Record], bool]]:
    params = request.query_params
    tests: list[Callable[[Record], bool]] = []
    if raw := params.get("since"):
        since = _moment("since", raw)
        tests.append(lambda r: bool(r["submitted_at"] >= since))
    if raw := params.get("until"):
        until = _moment("until", raw)
        tests.append(lambda r: bool(r["submitted_at"] <= until))
    if raw := params.get("included_response_ids"):
        wanted = frozenset(raw.split(","))
        tests.append(lambda r: r["response_id"] in wanted)
    if raw := params.get("excluded_response_ids"):
        unwanted = frozenset(raw.split(","))
        tests.append(lambda r: r["response_id"] not in unwanted)
    if raw := params.get("completed"):
        if raw not in ("true", "false"):
            raise invalid_param("completed", f"completed must be true or false; got {raw!r}")
        # Every seeded response is completed: completed=false selects none.
        tests.append(lambda r: (r["response_type"] == "completed") == (raw == "true"))
    if query := params.get("query"):
        needle = query.casefold()
        tests.append(lambda r: any(needle in str(a).casefold() for a in r["answers"]))
    return tests


def _sort(request: Request) -> tuple[str, bool] | None:
    raw = request.query_params.get("sort")
    if not raw:
        return None
    field, _, direction = raw.partition(",")
    if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
        raise invalid_param(
            "sort",
            f"sort must be '{{field}},{{asc|desc}}' with field submitted_at or "
            f"landed_at; got {raw!r}",
        )
    return field, direction != "asc"


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
        rows.sort(key=lambda r: (r[field], r["token"]), reverse=descending)
    elif newest_first:
        rows.reverse()
    return JSONResponse(
        {"total_items": len(rows), "page_count": -(-len(rows) // size), "items": rows[:size]}
    )


ROUTES = [Route("/forms/{form_id}/responses", authorized(list_responses), methods=["GET"])]
