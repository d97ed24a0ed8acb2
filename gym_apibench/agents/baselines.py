"""Scripted failure baselines: the reference solution with one bad habit, for every scenario.

They show what the failure taxonomy catches. Both wrap the oracle (the scenario's reference
solution, HTTP only), so they work on any scenario without a hand-written variant:

- :class:`FirstPageOnlyAgent` never requests a second page: when the solution asks for the
  next page of a list it already has a page of, the request is not sent and the solution
  is told the list ended there (the first page's response with its items emptied and its
  "more" signals cleared: ``Link`` header gone, ``has_more`` false, next cursors empty).
  Where the reference solution makes no follow-up page request, it plays the reference.
- :class:`NoRetryAgent` never retries: at the first 429, 5xx or transport error (or an error
  the reference solution raises on) it gives up and submits ``null``, as a script that
  raises on an error status would stop.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.solving import SolutionError

__all__ = ["PAGE_KEYS", "FirstPageOnlyAgent", "NoRetryAgent"]

PAGE_KEYS = frozenset(
    {
        "page",
        "offset",
        "cursor",
        "starting_after",
        "ending_before",
        "page_info",
        "page_token",
        "pageToken",
        "after",
        "before",
        "start",
        "skip",
        "since_id",
        "marker",
    }
)
"""Query parameters and JSON body fields that select a page rather than what is listed."""
_MORE_KEYS = frozenset({"has_more", "hasMore", "has_next", "hasNext"})
_NEXT_KEYS = frozenset(
    {"next", "next_cursor", "nextCursor", "next_page", "nextPage", "next_page_token"}
)
_LINK_NEXT = re.compile(r'<([^>]+)>\s*;[^,]*rel="?next"?')

Signature = tuple[str, str, tuple[tuple[str, str], ...], str]


def _split(action: Mapping[str, Any]) -> tuple[Signature, tuple[tuple[str, str], ...]] | None:
    """A request's signature (what it lists) and its page selectors; ``None`` if no request."""
    method, url = action.get("method"), action.get("url")
    if not isinstance(method, str) or not isinstance(url, str):
        return None
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    pages = [(k, v) for k, v in query if k in PAGE_KEYS]
    body = action.get("json")
    if isinstance(body, dict):
        pages += [(k, json.dumps(v)) for k, v in body.items() if k in PAGE_KEYS]
        body = {k: v for k, v in body.items() if k not in PAGE_KEYS}
    rest = tuple(sorted((k, v) for k, v in query if k not in PAGE_KEYS))
    where = f"{parts.scheme}://{parts.netloc}{parts.path}"
    signature = (method.upper(), where, rest, json.dumps(body, sort_keys=True, default=str))
    return signature, tuple(sorted(pages))


def _next_links(observation: Mapping[str, Any]) -> list[str]:
    headers = {str(k).lower(): str(v) for k, v in (observation.get("headers") or {}).items()}
    return _LINK_NEXT.findall(headers.get("link", ""))


def _ended(data: Any, depth: int = 0) -> Any:
    """``data`` with its item lists emptied and its "more" signals cleared."""
    if isinstance(data, list):
        return [] if depth <= 1 else data
    if not isinstance(data, dict) or depth > 2:
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _MORE_KEYS:
            out[key] = False
        elif key in _NEXT_KEYS:
            out[key] = "" if isinstance(value, str) else None
        else:
            out[key] = _ended(value, depth + 1)
    return out


def _end_of_list(page: Mapping[str, Any]) -> dict[str, Any]:
    """What the solution is shown instead of the next page: the list ended."""
    headers = {k: v for k, v in dict(page.get("headers") or {}).items() if k.lower() != "link"}
    try:
        body = json.dumps(_ended(json.loads(page.get("body") or "null")))
    except ValueError:
        body = ""
    return {"status": page.get("status", 200), "headers": headers, "body": body}


class FirstPageOnlyAgent:
    """The reference solution that never fetches a second page of any list."""

    name = "first-page-only"
    MAX_SKIPS = 20
    """Follow-up page requests skipped in a row before the agent gives up (submits null)."""

    def __init__(self) -> None:
        self._oracle = OracleAgent()
        self._first_pages: dict[Signature, tuple[tuple[tuple[str, str], ...], dict[str, Any]]] = {}
        self._next_urls: dict[str, Signature] = {}
        self._sent: tuple[Signature, tuple[tuple[str, str], ...]] | None = None

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start the reference solution on ``task``."""
        self._oracle.reset(task, seed=seed)
        self._first_pages = {}
        self._next_urls = {}
        self._sent = None

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The solution's next action, with follow-up page requests answered "no more"."""
        self._remember(observation)
        for _ in range(self.MAX_SKIPS + 1):
            action = self._oracle.act(observation)
            split = _split(action)
            if split is None:
                return action
            signature, pages = split
            first = self._next_urls.get(str(action.get("url")))
            if first is None and self._first_pages.get(signature, (pages,))[0] != pages:
                first = signature
            if first is None:
                self._sent = split
                return action
            observation = _end_of_list(self._first_pages[first][1])
        # The solution keeps asking for pages it is told do not exist: it would loop forever.
        return {"submit": None}

    def _remember(self, observation: Mapping[str, Any]) -> None:
        """Keep the first 2xx page of each list the last request was for."""
        sent, self._sent = self._sent, None
        if sent is None or not 200 <= int(observation.get("status", 0)) < 300:
            return
        signature, pages = sent
        if signature in self._first_pages:
            return
        self._first_pages[signature] = (pages, dict(observation))
        for url in _next_links(observation):
            self._next_urls[url] = signature


class NoRetryAgent:
    """The reference solution that gives up (submits ``null``) at the first 429, 5xx or
    transport error instead of retrying."""

    name = "no-retry"

    def __init__(self) -> None:
        self._oracle = OracleAgent()

    def reset(self, task: Mapping[str, Any], *, seed: int) -> None:
        """Start the reference solution on ``task``."""
        self._oracle.reset(task, seed=seed)

    def act(self, observation: Mapping[str, Any]) -> dict[str, Any]:
        """The solution's next action, or ``{"submit": None}`` after an error to retry."""
        status = int(observation.get("status", 0))
        if status == 429 or status >= 500 or status == 0:
            return {"submit": None}
        try:
            return self._oracle.act(observation)
        except SolutionError:
            # An error the status hides (a reader's 200 wrapping its target's 502) stops the
            # script as well: a give-up, not a crash of the agent.
            return {"submit": None}
