"""Reference solutions of the S3 scenarios: HTTP only, signing SigV4 with scenarios/s3/sigv4.py."""

from __future__ import annotations

import re
import time
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import unescape

from gym_apibench.scenarios import family_module
from gym_apibench.solving import (
    CursorExpired,
    Exchange,
    Solution,
    SolutionError,
    cursor_expired,
    request,
    restarts,
    send,
    server_time,
)

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.s3 import sigv4
else:
    sigv4 = family_module(Path(__file__).parent, "sigv4")


class Api:
    """The S3 base URL, signing key, and the server's clock (from its ``Date`` header)."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["s3"]
        self.creds = task["credentials"]["s3"]
        self.now = 0.0

    def action(self, method: str, path: str, query: str = "", body: str = "") -> dict[str, Any]:
        """A signed request action (``path`` and ``query`` already encoded)."""
        url = self.base + path + (f"?{query}" if query else "")
        headers = sigv4.sign(
            method,
            url,
            body.encode(),
            access_key=self.creds["access_key_id"],
            secret=self.creds["secret_access_key"],
            region=self.creds["region"],
            amz_date=time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.now)),
        )
        action = request(method, url, headers=headers)
        if body:
            action["body"] = body
        return action

    def call(self, method: str, path: str, query: str = "", body: str = "") -> Exchange:
        """Sync the clock (from a first unsigned request's ``Date``), then send signed; an
        error is a :class:`SolutionError` (a :class:`CursorExpired` for an expired
        continuation token)."""
        if not self.now:
            probe = yield from send(request("GET", self.base + "/"))
            now = server_time(probe)
            if now is None:
                raise SolutionError("the server sent no Date header")
            self.now = now.timestamp()
        obs = yield from send(self.action(method, path, query, body))
        if obs["status"] >= 300:
            error = CursorExpired if cursor_expired(obs) else SolutionError
            raise error(f"{method} {path}: {obs['status']} {obs['body'][:400]}")
        return obs


@restarts
def _keys(
    api: Api, bucket: str, *, pages: int = 0
) -> Generator[dict[str, Any], dict[str, Any], list[str]]:
    """Every key of ``bucket``, ListObjectsV2 page by page (``pages``: stop after that many,
    0 for no limit); from the first page again if a continuation token expires."""
    keys: list[str] = []
    token = ""
    count = 0
    while True:
        query = "list-type=2&max-keys=1000" + (
            f"&continuation-token={quote(token, safe='')}" if token else ""
        )
        obs = yield from api.call("GET", "/" + quote(bucket), query)
        body = obs["body"]
        keys += [unescape(k) for k in re.findall(r"<Key>([^<]*)</Key>", body)]
        count += 1
        found = re.search(r"<NextContinuationToken>([^<]*)</NextContinuationToken>", body)
        if found is None or count == pages:
            return keys
        token = unescape(found.group(1))


def _upload(api: Api, task: dict[str, Any]) -> Exchange:
    inputs = task["inputs"]
    path = f"/{quote(inputs['bucket'])}/{quote(inputs['key'], safe='/~')}"
    return (yield from api.call("PUT", path, body=inputs["content"]))


def upload_report(task: dict[str, Any]) -> Solution:
    """PUT the object, then walk ListObjectsV2 with continuation tokens."""
    api = Api(task)
    yield from _upload(api, task)
    keys = yield from _keys(api, task["inputs"]["bucket"])
    yield {"submit": keys}


def upload_report_first_page(task: dict[str, Any]) -> Solution:
    """The naive mistake: one page of the listing (at most 1000 keys)."""
    api = Api(task)
    yield from _upload(api, task)
    keys = yield from _keys(api, task["inputs"]["bucket"], pages=1)
    yield {"submit": keys}
