"""The LLM agent's tools: their schemas, model tool calls turned into env actions, and results.

A tool call either becomes an env action (an HTTP request, a wait, a submit) or a
:class:`ToolError` whose message goes back to the model as the call's result, so a malformed
call never reaches the env and never raises.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

__all__ = [
    "GENERIC_TOOLS",
    "ToolCall",
    "ToolError",
    "control_tools",
    "http_action",
    "parse_tool_calls",
    "query_string",
    "render_observation",
    "truncate",
]

_HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class ToolError(ValueError):
    """A tool call the agent cannot carry out; the message is what the model is told."""


@dataclass(frozen=True)
class ToolCall:
    """One call the model asked for: its id, the tool's name and the raw arguments text."""

    id: str
    name: str
    arguments: Any

    def as_message(self) -> dict[str, Any]:
        """The call as an assistant message's ``tool_calls`` entry (arguments as text)."""
        raw = self.arguments
        text = raw if isinstance(raw, str) else json.dumps(raw if raw is not None else {})
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": text},
        }

    def parsed(self) -> dict[str, Any]:
        """The arguments as an object; :class:`ToolError` when they are not a JSON object."""
        raw = self.arguments
        if isinstance(raw, Mapping):
            return dict(raw)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return {}
        if not isinstance(raw, str):
            raise ToolError(f"arguments of {self.name} must be a JSON object, got {raw!r}")
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise ToolError(
                f"the arguments of {self.name} are not valid JSON ({exc}); "
                "send one JSON object with the documented parameters"
            ) from None
        if not isinstance(value, dict):
            raise ToolError(f"the arguments of {self.name} must be a JSON object, got {raw!r}")
        return value


def parse_tool_calls(message: Mapping[str, Any]) -> list[ToolCall]:
    """The well-formed entries of ``message["tool_calls"]`` (others become a bad-name call)."""
    calls: list[ToolCall] = []
    raw_calls = message.get("tool_calls")
    if not isinstance(raw_calls, list):
        return calls
    for index, raw in enumerate(raw_calls):
        raw_map: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        function = raw_map.get("function")
        function = function if isinstance(function, Mapping) else {}
        call_id = raw_map.get("id")
        name = function.get("name")
        calls.append(
            ToolCall(
                id=call_id if isinstance(call_id, str) and call_id else f"call_{index}",
                name=name if isinstance(name, str) else "",
                arguments=function.get("arguments"),
            )
        )
    return calls


def _function(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


HTTP_REQUEST = _function(
    "http_request",
    "Send one HTTP request to a service of the task and get its response (status, headers, "
    "body). Use the services' base URLs and the credentials given in the task.",
    {
        "method": {"type": "string", "enum": list(_HTTP_METHODS)},
        "url": {"type": "string", "description": "absolute URL: a service base URL + path"},
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "request headers, e.g. Authorization",
        },
        "query": {
            "type": "object",
            "description": "query parameters, added to the URL (a list value repeats the key)",
        },
        "json": {"description": "a JSON request body (sent as application/json)"},
        "body": {
            "type": "string",
            "description": "a raw request body (set Content-Type yourself); not with json",
        },
        "body_base64": {
            "type": "string",
            "description": "a binary request body as base64 (e.g. a PDF to upload); "
            "a response body that is not text comes back as base64 the same way",
        },
    },
    ["method", "url"],
)


def control_tools(services: Sequence[str]) -> list[dict[str, Any]]:
    """``submit``, ``wait`` and ``read_docs`` (for the task's ``services``)."""
    return [
        _function(
            "submit",
            "End the task with your final answer (a JSON value: number, string, list, "
            "object, or null when the task asks for no answer). Call it once, last.",
            {"answer": {"description": "the answer as a JSON value, not a string of JSON"}},
            ["answer"],
        ),
        _function(
            "wait",
            "Wait before the next request (e.g. as a Retry-After header asks).",
            {"seconds": {"type": "number", "minimum": 0}},
            ["seconds"],
        ),
        _function(
            "read_docs",
            "Read a service's API documentation (its OpenAPI spec).",
            {"service": {"type": "string", "enum": sorted(services)}},
            ["service"],
        ),
    ]


GENERIC_TOOLS = (HTTP_REQUEST,)
"""The generic request tool; :func:`control_tools` adds the rest."""


def query_string(query: Any) -> str:
    """``query`` (an object of scalars or lists of scalars) as a URL query string."""
    if not isinstance(query, Mapping):
        raise ToolError(f"query must be an object of parameter values, got {query!r}")
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Mapping | list):
                raise ToolError(f"query parameter {key!r}: nested values are not allowed")
            pairs.append((str(key), _scalar_text(item)))
    return urlencode(pairs)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def with_query(url: str, query: str) -> str:
    """``url`` with ``query`` appended (after its own query, if any)."""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def string_headers(headers: Any) -> dict[str, str]:
    """``headers`` with scalar values as strings; :class:`ToolError` if not an object."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ToolError(f"headers must be an object of strings, got {headers!r}")
    result: dict[str, str] = {}
    for key, value in headers.items():
        if isinstance(value, Mapping | list):
            raise ToolError(f"header {key!r} must be a string, got {value!r}")
        result[str(key)] = _scalar_text(value)
    return result


def http_action(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The env action of an ``http_request`` call."""
    known = HTTP_REQUEST["function"]["parameters"]["properties"]
    unknown = sorted(set(arguments) - set(known))
    if unknown:
        raise ToolError(
            f"http_request has no parameter {', '.join(unknown)}; "
            f"its parameters: {', '.join(known)}"
        )
    method = arguments.get("method")
    if not isinstance(method, str) or method.upper() not in _HTTP_METHODS:
        raise ToolError(f"method must be one of {', '.join(_HTTP_METHODS)}, got {method!r}")
    url = arguments.get("url")
    if not isinstance(url, str) or not url:
        raise ToolError(f"url must be a non-empty string, got {url!r}")
    action: dict[str, Any] = {
        "method": method.upper(),
        "url": with_query(url, query_string(arguments.get("query") or {})),
        "headers": string_headers(arguments.get("headers")),
    }
    given = [key for key in ("json", "body", "body_base64") if arguments.get(key) is not None]
    if len(given) > 1:
        raise ToolError(f"give one of json, body or body_base64, not {' and '.join(given)}")
    if given == ["json"]:
        action["json"] = arguments["json"]
    elif given == ["body"]:
        body = arguments["body"]
        action["body"] = body if isinstance(body, str) else json.dumps(body)
    elif given == ["body_base64"]:
        action["body_base64"] = str(arguments["body_base64"])
    return action


def truncate(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[truncated: showing {limit} of {len(text)} characters]"


def render_observation(observation: Mapping[str, Any], limit: int) -> str:
    """An env observation as the text of a tool result, at most about ``limit`` characters."""
    status = observation.get("status")
    headers = observation.get("headers") or {}
    body = str(observation.get("body", ""))
    if status == 0:
        head = "No HTTP response (a transport error or an invalid request):"
    else:
        lines = [f"HTTP {status}"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "x-apibench"]
        head = "\n".join(lines) + "\n"
    return truncate(f"{head}\n{body}", limit)
