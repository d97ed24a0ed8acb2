"""One tool per OpenAPI operation of the task's services (the LLM agent's ``tools=operations``).

Tools are generated from ``specs/`` (never written by hand): the name is the service and the
operationId (else method and path), sanitised to ``[A-Za-z0-9_-]`` and at most 64 characters;
the parameters are the operation's path, query and header parameters, plus ``body`` (the
request body schema) and a free ``headers`` object for credentials. A call maps back to the
HTTP request the operation documents, under the task's base URL for the service.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from gym_apibench.llm.tools import ToolError, query_string, string_headers, with_query
from mockapis.registry import get_service
from mockapis.specs import HTTP_METHODS, deref, load_spec

__all__ = ["OperationTool", "operation_tools", "sanitise_name"]

MAX_NAME = 64
MAX_SCHEMA_DEPTH = 6
FORM = "application/x-www-form-urlencoded"


def sanitise_name(text: str) -> str:
    """``text`` as a function name: ``[A-Za-z0-9_-]`` only, at most 64 characters."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "op"
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{name[: MAX_NAME - 9]}_{digest}"


@dataclass(frozen=True)
class OperationTool:
    """One documented operation as a callable tool."""

    name: str
    service: str
    method: str
    path: str
    server: str | None
    """The operation's own server URL (e.g. an OAuth host), when the spec gives one."""
    parameters: tuple[tuple[str, str, str], ...]
    """``(argument name, location, wire name)`` of each path, query or header parameter."""
    body_type: str | None
    schema: dict[str, Any]

    def as_tool(self) -> dict[str, Any]:
        """The tool's Chat Completions declaration."""
        return {"type": "function", "function": {"name": self.name, **self.schema}}

    def action(self, arguments: Mapping[str, Any], base_url: str) -> dict[str, Any]:
        """The env action of a call with ``arguments``."""
        known = {arg for arg, _, _ in self.parameters} | {"headers"}
        if self.body_type is not None:
            known.add("body")
        unknown = sorted(set(arguments) - known)
        if unknown:
            raise ToolError(
                f"{self.name} has no parameter {', '.join(unknown)}; "
                f"its parameters: {', '.join(sorted(known))}"
            )
        path = self.path
        query: dict[str, Any] = {}
        headers = string_headers(arguments.get("headers"))
        for arg, where, wire in self.parameters:
            if arg not in arguments or arguments[arg] is None:
                if where == "path":
                    raise ToolError(f"{self.name}: the path parameter {arg!r} is required")
                continue
            value = arguments[arg]
            if where == "path":
                path = path.replace("{" + wire + "}", quote(str(value), safe=""))
            elif where == "query":
                query[wire] = value
            else:
                headers[wire] = str(value)
        base = (self.server or base_url).rstrip("/")
        action: dict[str, Any] = {
            "method": self.method,
            "url": with_query(base + path, query_string(query)),
            "headers": headers,
        }
        body = arguments.get("body")
        if body is not None and self.body_type == FORM:
            if not isinstance(body, Mapping):
                raise ToolError(f"{self.name}: body must be an object of form fields")
            action["body"] = urlencode(_form_pairs(body))
            action["headers"].setdefault("Content-Type", FORM)
        elif body is not None:
            action["json"] = body
        return action


def _form_pairs(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested form fields in bracket notation (``metadata[key]``, ``expand[]``)."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            pairs += _form_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, list):
        for item in value:
            pairs += _form_pairs(item, f"{prefix}[]")
    elif isinstance(value, bool):
        pairs.append((prefix, "true" if value else "false"))
    else:
        pairs.append((prefix, "" if value is None else str(value)))
    return pairs


def operation_tools(services: Sequence[str]) -> list[OperationTool]:
    """The tools of every operation of ``services``' specs, in a stable order, unique names."""
    tools: list[OperationTool] = []
    taken: set[str] = set()
    for service in sorted(services):
        spec = load_spec(get_service(service).spec_path)
        for path, item in sorted((spec.get("paths") or {}).items()):
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, Mapping):
                    tool = _tool(spec, service, method, path, item, operation, taken)
                    taken.add(tool.name)
                    tools.append(tool)
    return tools


def _tool(
    spec: Mapping[str, Any],
    service: str,
    method: str,
    path: str,
    item: Mapping[str, Any],
    operation: Mapping[str, Any],
    taken: set[str],
) -> OperationTool:
    op_id = operation.get("operationId") or f"{method}_{path}"
    name = sanitise_name(f"{service}__{op_id}")
    if name in taken:
        name = sanitise_name(f"{service}__{method}_{path}_{op_id}")
    properties: dict[str, Any] = {}
    required: list[str] = []
    parameters: list[tuple[str, str, str]] = []
    raw_params = [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
    for raw in raw_params:
        param = _resolve(spec, raw)
        where = param.get("in")
        if where not in ("path", "query", "header") or not isinstance(param.get("name"), str):
            continue
        wire = param["name"]
        arg = (
            wire
            if wire not in properties and wire not in ("headers", "body")
            else f"{where}_{wire}"
        )
        schema = _inline(spec, param.get("schema") or {"type": "string"}, 0)
        if param.get("description"):
            schema = {**schema, "description": str(param["description"])[:500]}
        properties[arg] = schema
        parameters.append((arg, where, wire))
        if param.get("required") or where == "path":
            required.append(arg)
    body_type = None
    body = _resolve(spec, operation.get("requestBody") or {})
    content = body.get("content") or {}
    if content:
        body_type = "application/json" if "application/json" in content else next(iter(content))
        body_schema = _inline(spec, (content[body_type] or {}).get("schema") or {}, 0)
        properties["body"] = {**body_schema, "description": f"the request body ({body_type})"}
        if body.get("required"):
            required.append("body")
    properties["headers"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "extra request headers, e.g. Authorization with your credentials",
    }
    summary = operation.get("summary") or operation.get("description") or ""
    description = f"{method.upper()} {path} ({service}). {summary}".strip()[:1000]
    servers = operation.get("servers") or item.get("servers") or []
    server = servers[0].get("url") if servers and isinstance(servers[0], Mapping) else None
    return OperationTool(
        name=name,
        service=service,
        method=method.upper(),
        path=path,
        server=server,
        parameters=tuple(parameters),
        body_type=body_type,
        schema={
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    )


def _resolve(spec: Mapping[str, Any], node: Any) -> dict[str, Any]:
    """``node`` with its local ``$ref`` chain followed, as a dict (``{}`` if none)."""
    node = deref(spec, node)
    return dict(node) if isinstance(node, Mapping) else {}


def _inline(spec: Mapping[str, Any], schema: Any, depth: int) -> dict[str, Any]:
    """``schema`` with every ``$ref`` inlined, cut at a depth (function schemas have no refs)."""
    node = _resolve(spec, schema)
    if depth >= MAX_SCHEMA_DEPTH:
        return {"type": node["type"]} if isinstance(node.get("type"), str) else {}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("examples", "example", "xml", "externalDocs", "discriminator"):
            continue
        if key == "properties" and isinstance(value, Mapping):
            out[key] = {k: _inline(spec, v, depth + 1) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, Mapping):
            out[key] = _inline(spec, value, depth + 1)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [_inline(spec, v, depth + 1) for v in value]
        else:
            out[key] = json.loads(json.dumps(value, default=str))
    return out
