"""``GET /search/issues``: the ``q`` qualifier subset, ``total_count`` and the 1000-result cap.

Supported ``q`` terms (space-separated, all must hold):

- ``type:pr`` / ``is:pr``, ``type:issue`` / ``is:issue``
- ``state:open`` / ``is:open``, ``state:closed`` / ``is:closed``, ``is:merged``, ``is:unmerged``
- ``author:LOGIN``, ``repo:OWNER/NAME``, ``user:LOGIN`` / ``org:LOGIN`` (the repo's owner)
- ``in:title`` / ``in:body`` (where the free words are looked for; both by default)
- ``draft:true`` / ``draft:false`` (pull requests that are, or are not, drafts)
- ``created:``, ``updated:``, ``closed:``, ``merged:`` with GitHub's date syntax: a day
  (``2023-01-31``) or a UTC time (``2023-01-31T09:00:00Z``, or with an offset), compared with
  ``>``, ``>=``, ``<``, ``<=``, or a range ``A..B`` (inclusive; ``*`` for an open end)
- any other word (or ``"quoted phrase"``): case-insensitive text in the title or body

Any other ``qualifier:value`` is GitHub's 422 validation error. Results are the issues and
pull requests of the repositories the caller may see, newest first unless ``sort``
(``created``, ``updated``, ``comments``) and ``order`` say otherwise.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from mockapis.github.access import Call, Reply, page_params, paged, route
from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import NumberedPage
from mockapis.tables import Record

__all__ = ["MAX_RESULTS", "ROUTES", "parse_query"]

MAX_RESULTS = 1000
SEARCH_DOCS = "https://docs.github.com/v3/search/"
Test = Callable[[Record], bool]
SORTS = {"created": "created_at", "updated": "updated_at", "comments": "comments"}

_IS = {
    "pr": lambda row: "pull_request" in row,
    "issue": lambda row: "pull_request" not in row,
    "open": lambda row: row["state"] == "open",
    "closed": lambda row: row["state"] == "closed",
    "merged": lambda row: bool(row.get("pull_request", {}).get("merged_at")),
    "unmerged": lambda row: "pull_request" in row and not row["pull_request"]["merged_at"],
}


@dataclass
class Query:
    """A parsed ``q``: tests every result must pass, and free words."""

    tests: list[Test] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    fields: tuple[str, ...] = ("title", "body")

    def matches(self, row: Record) -> bool:
        """Whether ``row`` passes every qualifier and holds every word."""
        if not all(test(row) for test in self.tests):
            return False
        text = " ".join(str(row.get(name) or "") for name in self.fields).lower()
        return all(word in text for word in self.words)


def _invalid(message: str, code: str = "invalid") -> ApiError:
    error = {"message": message, "resource": "Search", "field": "q", "code": code}
    if code == "missing":
        error.pop("message")
    return ApiError(
        422,
        "Validation Failed",
        code="validation_failed",
        extra={"errors": [error], "documentation_url": SEARCH_DOCS},
    )


def _owner(row: Record) -> str:
    return str(row["repository_url"].rsplit("/", 2)[-2]).lower()


def _author(login: str) -> Test:
    return lambda row: str(row["user"]["login"]).lower() == login


def _repo(full_name: str) -> Test:
    return lambda row: str(row["repository_url"]).lower().endswith(f"/repos/{full_name}")


def _draft(wanted: bool) -> Test:
    return lambda row: "pull_request" in row and row["draft"] is wanted


def _owned_by(login: str) -> Test:
    return lambda row: _owner(row) == login


DATE_FIELDS = {"created": "created_at", "updated": "updated_at", "closed": "closed_at"}
_DAY = dt.timedelta(days=1)


def _moment(text: str) -> tuple[dt.datetime, dt.datetime]:
    """The half-open span ``[start, end)`` a date (a whole UTC day) or a time (that second)
    covers; ``ValueError`` for anything else."""
    if len(text) == 10:
        day = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.UTC)
        return day, day + _DAY
    at = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    return at, at + dt.timedelta(seconds=1)


def _span(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``[low, high)`` of a date qualifier's value (None: unbounded); ``ValueError`` if bad."""
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            start, end = _moment(value[len(op) :])
            return {">=": (start, None), ">": (end, None), "<=": (None, end), "<": (None, start)}[
                op
            ]
    if ".." in value:
        first, _, last = value.partition("..")
        low = None if first == "*" else _moment(first)[0]
        high = None if last == "*" else _moment(last)[1]
        return low, high
    return _moment(value)


def _dated(name: str, value: str) -> Test:
    try:
        low, high = _span(value)
    except (ValueError, OverflowError):
        raise _invalid(
            f"The {name} qualifier takes a date (2023-01-31) or a time (2023-01-31T09:00:00Z), "
            f"optionally after >, >=, <, <=, or a range A..B; got {value!r}."
        ) from None

    def test(row: Record) -> bool:
        if name == "merged":
            raw = row.get("pull_request", {}).get("merged_at")
        else:
            raw = row.get(DATE_FIELDS[name])
        if not raw:
            return False
        at = dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        return (low is None or at >= low) and (high is None or at < high)

    return test


def parse_query(q: str) -> Query:
    """The :class:`Query` of a ``q`` string; an unsupported qualifier is a 422."""
    try:
        terms = shlex.split(q)
    except ValueError:
        terms = q.split()
    query = Query()
    for term in terms:
        name, sep, value = term.partition(":")
        if not sep or not name:
            query.words.append(term.lower())
            continue
        name = name.lower()
        if name in DATE_FIELDS or name == "merged":
            query.tests.append(_dated(name, value))
            continue
        value = value.lower()
        if name == "is" or name == "type":
            test = _IS.get("pr" if value == "pull-request" else value)
            if test is None or (name == "type" and value not in ("pr", "issue", "pull-request")):
                raise _invalid(f"The value {value!r} is not supported for the {name} qualifier.")
            query.tests.append(test)
        elif name == "state":
            if value not in ("open", "closed"):
                raise _invalid(f"The state qualifier takes open or closed, not {value!r}.")
            query.tests.append(_IS[value])
        elif name == "draft":
            if value not in ("true", "false"):
                raise _invalid(f"The draft qualifier takes true or false, not {value!r}.")
            query.tests.append(_draft(value == "true"))
        elif name == "author":
            query.tests.append(_author(value))
        elif name == "repo":
            query.tests.append(_repo(value))
        elif name in ("user", "org"):
            query.tests.append(_owned_by(value))
        elif name == "in":
            fields = tuple(f for f in value.split(",") if f in ("title", "body"))
            if not fields:
                raise _invalid(f"The in qualifier takes title or body, not {value!r}.")
            query.fields = fields
        else:
            raise _invalid(
                f"The qualifier {name!r} is not supported here. Supported: type, is, state, "
                "author, repo, user, org, in, draft, created, updated, closed, merged."
            )
    return query


def search_issues(call: Call) -> Reply:
    """``GET /search/issues?q=...``: issues and pull requests matching ``q``."""
    q = (call.query.get("q") or "").strip()
    if not q:
        raise _invalid("", code="missing")
    query = parse_query(q)
    sort = call.query.get("sort")
    order = call.query.get("order") or "desc"
    if (sort is not None and sort not in SORTS) or order not in ("asc", "desc"):
        raise ApiError(422, "Validation Failed", code="validation_failed")
    visible = {
        repo["url"]
        for repo in call.world.table("github.repos").values()
        if not repo["private"] or repo["owner"]["login"] == call.login
    }
    rows = [
        row
        for row in call.world.table("github.issues").values()
        if row["repository_url"] in visible and query.matches(row)
    ]
    key = SORTS[sort or "created"]
    rows.sort(key=lambda row: (row[key], row["id"]), reverse=order == "desc")
    page, per_page = page_params(call)
    if (page - 1) * per_page >= MAX_RESULTS:
        raise ApiError(
            422,
            "Only the first 1000 search results are available",
            code="search_cap",
            extra={"documentation_url": SEARCH_DOCS},
        )
    reachable = rows[:MAX_RESULTS]
    start = (page - 1) * per_page
    items = [{**row, "score": 1.0} for row in reachable[start : start + per_page]]
    listed = NumberedPage(items, page, per_page, len(reachable))
    # search_type names the search performed: always lexical here (GitHub's default; its
    # semantic and hybrid searches are not emulated), as today's description requires it.
    body = {
        "total_count": len(rows),
        "incomplete_results": False,
        "items": items,
        "search_type": "lexical",
    }
    return paged(call, listed, body)


ROUTES = [route("/search/issues", search_issues, resource="search")]
"""The search operation."""
