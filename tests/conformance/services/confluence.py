"""confluence in the conformance suite: extra cases, allow-list, whether it conforms.

The vendor's description (a 2022 mirror of Atlassian's swagger.v3.json) documents its error
statuses without bodies, so error cases are checked for their status only: a success status
the operation does not list would fail, an error status it lists is counted as not validatable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.conformance.cases import Case, Deferred, seeded_rows

PENDING = False
"""Every response conforms (issue 18)."""

SCENARIO = "confluence.page-body"
"""The scenario the cases play in (seed 0)."""

API = "/wiki/rest/api"


def _seeded() -> tuple[Mapping[str, Mapping[str, Any]], Mapping[str, Mapping[str, Any]]]:
    """The spaces (by key) and content (by id) of :data:`SCENARIO`'s world at the cases'
    seed: keys and ids are drawn, so they are read here rather than written."""
    return seeded_rows(SCENARIO, "confluence.spaces"), seeded_rows(SCENARIO, "confluence.content")


def _space_key() -> str:
    """The first current space that holds a page with a child page."""
    spaces, content = _seeded()
    parents = {row["parent_id"] for row in content.values() if row["parent_id"]}
    return min(
        str(row["space_key"])
        for cid, row in content.items()
        if cid in parents and spaces[row["space_key"]]["status"] == "current"
    )


def _page(*, parent: bool) -> str:
    """A page of :func:`_space_key`'s space that has children (or has none)."""
    _, content = _seeded()
    parents = {row["parent_id"] for row in content.values() if row["parent_id"]}
    return min(
        (
            cid
            for cid, row in content.items()
            if row["type"] == "page"
            and row["space_key"] == _space_key()
            and (cid in parents) == parent
        ),
        key=int,
    )


def _blogpost() -> str | None:
    _, content = _seeded()
    return min(
        (cid for cid, row in content.items() if row["type"] == "blogpost"), key=int, default=None
    )


_EXPAND = "expand=body.storage,version,space,ancestors,history"


def _case(status: int, path: str, note: str = "", **options: Any) -> Case:
    return Case(SCENARIO, "GET", path, note=note, status=status, **options)


def _cases() -> list[Case]:
    space, parent, leaf = _space_key(), _page(parent=True), _page(parent=False)
    cases = [
        _case(200, f"{API}/space/{space}", note="a space by key"),
        _case(200, f"{API}/space/{space}?expand=description.plain,homepage"),
        _case(200, f"{API}/space/{space}/content", note="a space's content"),
        _case(200, f"{API}/space/{space}/content?depth=root&limit=2&{_EXPAND}"),
        _case(200, f"{API}/content/{parent}", note="a page"),
        _case(200, f"{API}/content/{leaf}?{_EXPAND}"),
        _case(200, f"{API}/content/{parent}/child/page", note="children"),
        _case(200, f"{API}/content/{parent}/child/page?limit=1&{_EXPAND}"),
        _case(200, f"{API}/content?type=blogpost&spaceKey={space}&{_EXPAND}"),
        _case(200, f"{API}/space?status=archived&expand=description.plain"),
        # Documented errors (statuses without a body schema in the vendor's description).
        _case(401, f"{API}/space", auth=False, note="no credentials"),
        _case(400, f"{API}/space?status=deleted", note="an invalid status"),
        _case(404, f"{API}/space/NOSUCHSPACE", note="no space with that key"),
        _case(404, f"{API}/space/NOSUCHSPACE/content", note="no such space"),
        _case(404, f"{API}/content/999999999999", note="no content with that id"),
        _case(400, f"{API}/content/not-a-number", note="an invalid content id"),
        _case(404, f"{API}/content/999999999999/child/page", note="no parent"),
        _case(401, f"{API}/content", auth=False, note="no credentials"),
    ]
    if (blog := _blogpost()) is not None:
        cases.append(_case(400, f"{API}/content/{blog}/child/page", note="a blog post's pages"))
    return cases


CASES = Deferred(_cases)
"""Requests no scenario's solution sends: documented errors, operations no solution needs."""

ALLOWANCES: list[dict[str, Any]] = []
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
