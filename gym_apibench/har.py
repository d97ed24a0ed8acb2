"""Episode traces as HAR 1.2 files (openable in browser dev tools), recorded step by step.

Every HTTP request of an episode is a HAR entry; its times come from the episode's virtual
clock (``startedDateTime`` in ISO 8601, ``time`` in milliseconds), so one (scenario, seed,
agent) always gives the same file. Custom fields (HAR allows names starting with ``_``):

- ``entry["_apibench"]``: ``{"step", "service"}``: the env step that sent it, the service hit.
- ``entry["_faults"]``: the faults injected into it, ``[{"rule", "kind"}]`` (may be empty).
- ``entry["response"]["_error"]``: for status 0 (no HTTP response: a transport fault, an
  unknown host), the error's name.
- ``log["_apibench"]``: the episode (scenario, seed, attempt, agent), its outcome, and
  ``events``: every step that is not an HTTP request (``submit`` with the answer, ``wait``,
  ``invalid`` actions with the error returned), ``{"step", "type", "startedDateTime", ...}``.

:meth:`Trace.to_har` keeps whole bodies (the taxonomy reads them); :func:`write_har` cuts
bodies longer than :data:`MAX_BODY_CHARS` (``content["_truncated"]`` is then true; ``size``
stays the full size), so a trace file stays small enough for dev tools.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from gym_apibench.actions import InvalidAction, parse_request
from gym_apibench.bodies import BODY_ENCODING_HEADER, body_bytes, is_base64, observed_body

__all__ = [
    "HAR_VERSION",
    "MAX_BODY_CHARS",
    "Trace",
    "har_time",
    "read_har",
    "trace_path",
    "truncated",
    "write_har",
]

HAR_VERSION = "1.2"
MAX_BODY_CHARS = 200_000
"""Request and response bodies are kept up to this many characters in a trace."""
CREATOR = {"name": "apibench", "version": "0"}


def har_time(ns: int) -> str:
    """``ns`` (nanoseconds since the Unix epoch) as ISO 8601 with milliseconds, in UTC."""
    stamp = datetime.fromtimestamp(ns // 10**9, tz=UTC).replace(microsecond=(ns % 10**9) // 1000)
    return stamp.isoformat(timespec="milliseconds")


def trace_path(
    out_dir: str | os.PathLike[str], agent: str, scenario: str, seed: int, attempt: int
) -> Path:
    """Where the trace of an episode goes: ``OUT/traces/<agent>/<scenario>/<seed>-<attempt>.har``.

    An agent spec's ``:`` and ``/`` (``module:factory``) become ``_`` in the folder name.
    """
    folder = "".join("_" if c in ":/\\" else c for c in agent)
    return Path(out_dir) / "traces" / folder / scenario / f"{seed}-{attempt}.har"


def _headers(pairs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _header(pairs: Sequence[tuple[str, str]], name: str) -> str:
    return next((v for k, v in pairs if k.lower() == name), "")


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip()


@dataclass
class _Step:
    step: int
    started_ns: int
    ended_ns: int
    action: Any
    observation: Mapping[str, Any]
    faults: list[dict[str, Any]]


@dataclass
class Trace:
    """The steps of one episode, turned into a HAR log on demand.

    ``hosts`` maps each real hostname of the episode's services to the service's name;
    ``base_urls`` are the task's (to resolve relative URLs as the env does).
    """

    hosts: Mapping[str, str]
    base_urls: Mapping[str, str]
    steps: list[_Step] = field(default_factory=list)

    def record(
        self,
        step: int,
        started_ns: int,
        ended_ns: int,
        action: Any,
        observation: Mapping[str, Any],
        faults: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Record env step ``step``: the action sent and the observation returned."""
        met = [{"rule": f["rule"], "kind": f["kind"]} for f in faults]
        self.steps.append(_Step(step, started_ns, ended_ns, action, observation, met))

    def to_har(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        """The HAR document; ``meta`` (scenario, seed, outcome, ...) goes in ``_apibench``."""
        entries: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for step in self.steps:
            action = step.action
            if isinstance(action, str):
                try:
                    action = json.loads(action)
                except ValueError:
                    action = {"_raw": action}
            entry = self._entry(step, action) if isinstance(action, Mapping) else None
            if entry is not None:
                entries.append(entry)
            else:
                events.append(self._event(step, action))
        started = self.steps[0].started_ns if self.steps else 0
        title = " ".join(
            f"{k}={meta[k]}" for k in ("scenario", "seed", "attempt", "agent") if k in meta
        )
        return {
            "log": {
                "version": HAR_VERSION,
                "creator": dict(CREATOR),
                "pages": [
                    {
                        "startedDateTime": har_time(started),
                        "id": "episode",
                        "title": title or "episode",
                        "pageTimings": {},
                    }
                ],
                "entries": entries,
                "_apibench": {**meta, "events": events},
            }
        }

    def _entry(self, step: _Step, action: Mapping[str, Any]) -> dict[str, Any] | None:
        """The HAR entry of a request step; ``None`` for any other step (submit, wait, invalid)."""
        if "method" not in action or "url" not in action:
            return None
        try:
            request = parse_request(action, self.base_urls)
        except (InvalidAction, UnicodeError):
            return None
        url = request.url
        full = f"{url.scheme}://{url.netloc}{url.path}" + (f"?{url.query}" if url.query else "")
        obs = step.observation
        status = int(obs.get("status", 0))
        out_headers = [
            (str(k), str(v))
            for k, v in dict(obs.get("headers") or {}).items()
            if str(k).lower() != BODY_ENCODING_HEADER
        ]
        body = str(obs.get("body", ""))
        size = len(body_bytes(obs))
        content = {
            "size": size,
            "mimeType": _mime(_header(out_headers, "content-type")),
            "text": body,
        }
        if is_base64(obs):
            content["encoding"] = "base64"  # HAR 1.2: text holds the bytes as base64
        response: dict[str, Any] = {
            "status": status,
            "statusText": _status_text(status),
            "httpVersion": "HTTP/1.1" if status else "",
            "headers": _headers(out_headers),
            "cookies": [],
            "content": content,
            "redirectURL": _header(out_headers, "location"),
            "headersSize": -1,
            "bodySize": size if status else -1,
        }
        if not status:
            response["_error"] = _error_name(body)
        har_request: dict[str, Any] = {
            "method": request.method,
            "url": full,
            "httpVersion": "HTTP/1.1",
            "headers": _headers(request.headers),
            "queryString": [
                {"name": k, "value": v} for k, v in parse_qsl(url.query, keep_blank_values=True)
            ],
            "cookies": [],
            "headersSize": -1,
            "bodySize": len(request.body),
        }
        if request.body:
            text, encoded = observed_body(request.body)
            har_request["postData"] = {
                "mimeType": _mime(_header(request.headers, "content-type")),
                "text": text,
            }
            if encoded:  # not in HAR 1.2's postData; the same convention as content
                har_request["postData"]["_encoding"] = "base64"
        elapsed_ms = max(0.0, (step.ended_ns - step.started_ns) / 1e6)
        return {
            "pageref": "episode",
            "startedDateTime": har_time(step.started_ns),
            "time": elapsed_ms,
            "request": har_request,
            "response": response,
            "cache": {},
            "timings": {"send": 0, "wait": elapsed_ms, "receive": 0},
            "_apibench": {"step": step.step, "service": self.hosts.get(url.host)},
            "_faults": step.faults,
        }

    @staticmethod
    def _event(step: _Step, action: Any) -> dict[str, Any]:
        """A non-request step: a submit, a wait or an invalid action."""
        event: dict[str, Any] = {"step": step.step, "startedDateTime": har_time(step.started_ns)}
        if isinstance(action, Mapping) and set(action) == {"submit"}:
            return {**event, "type": "submit", "answer": action["submit"]}
        obs = step.observation
        if isinstance(action, Mapping) and set(action) == {"wait"} and obs.get("status") == 200:
            return {**event, "type": "wait", "seconds": action["wait"]}
        text = json.dumps(action, ensure_ascii=False, default=repr)
        return {
            **event,
            "type": "invalid",
            "action": text[:MAX_BODY_CHARS],
            "error": str(obs.get("body", ""))[:2000],
        }


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _error_name(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return "error"
    return str(data.get("error", "error")) if isinstance(data, dict) else "error"


def _cut(body: Mapping[str, Any], limit: int) -> Mapping[str, Any]:
    text = body.get("text")
    if not isinstance(text, str) or len(text) <= limit:
        return body
    return {**body, "text": text[:limit], "_truncated": True}


def truncated(har: Mapping[str, Any], limit: int = MAX_BODY_CHARS) -> dict[str, Any]:
    """``har`` with request and response bodies cut to ``limit`` characters (a copy)."""
    log = har["log"]
    entries = []
    for entry in log["entries"]:
        request, response = entry["request"], entry["response"]
        if "postData" in request:
            request = {**request, "postData": _cut(request["postData"], limit)}
        response = {**response, "content": _cut(response["content"], limit)}
        entries.append({**entry, "request": request, "response": response})
    return {**har, "log": {**log, "entries": entries}}


def write_har(path: Path, har: Mapping[str, Any], limit: int = MAX_BODY_CHARS) -> Path:
    """Write ``har`` to ``path`` (parents created, bodies cut to ``limit`` characters),
    atomically; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    text = json.dumps(truncated(har, limit), ensure_ascii=False, default=repr)
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return path


def read_har(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The HAR document at ``path``."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data
