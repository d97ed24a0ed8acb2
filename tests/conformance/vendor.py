"""The vendors' own API descriptions, and validating a response against one.

Each emulated service with a published description (``../shared/vendor-specs/``, read in
place and never copied into the project: see its README) has a :class:`Vendor`: the
description's files, the path prefix its paths are written under, and the hosts it serves.
:meth:`Vendor.operation` finds the vendor's operation for a request (the most specific path
template that matches), and :meth:`Vendor.check` validates a response's status and JSON body
against that operation's schema for the status (then ``2XX``-style ranges, then
``default``; Slack's ``ok: false`` bodies against ``default``; an error status no response
covers against the vendor's general error schema, where it has one), with the OpenAPI dialect of
the description (3.0's ``nullable``, 3.1's JSON Schema; 3.0 and Swagger 2.0 descriptions are
read into 3.1's dialect first) by ``openapi-schema-validator``.

The folder is found at ``$APIBENCH_VENDOR_SPECS``, else ``../shared/vendor-specs`` beside the
repository; :func:`vendor_specs_dir` is ``None`` where it is absent, and the conformance
tests skip, saying so.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS31Validator

__all__ = ["VENDORS", "Check", "Operation", "Vendor", "distinct_shapes", "vendor_specs_dir"]

REPO = Path(__file__).resolve().parents[2]
VARIABLE = "APIBENCH_VENDOR_SPECS"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def vendor_specs_dir() -> Path | None:
    """The folder of vendor descriptions, or ``None`` where this machine has none."""
    configured = os.environ.get(VARIABLE)
    folder = Path(configured) if configured else REPO.parent / "shared" / "vendor-specs"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Operation:
    """One operation of a vendor description: ``GET /v1/customers/{customer}``."""

    method: str
    template: str
    spec: Mapping[str, Any] = field(repr=False, compare=False)
    document: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.template}"

    def response(self, status: int, *, error: bool = False) -> Mapping[str, Any] | None:
        """The response object documented for ``status`` (exact, ``4XX``, ``default``), or
        for an ``error`` the API answers with a success status (``default`` only)."""
        responses = self.spec.get("responses") or {}
        keys = (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx")
        for key in (*(() if error else keys), "default"):
            if key in responses:
                found: Mapping[str, Any] = _deref(self.document, responses[key])
                return found
        return None


@dataclass(frozen=True)
class Check:
    """How one response compares with the vendor's description.

    ``outcome``: ``valid``; ``invalid`` (``errors`` say where); ``undocumented-status`` (the
    operation lists no response for the status, nor a default); ``no-schema`` (the status is
    documented without a JSON body schema: nothing to validate); ``no-operation`` (the path
    is not in the description)."""

    service: str
    operation: str
    status: int
    outcome: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vendor:
    """A service's vendor description: ``files`` (under the vendor-specs folder; ``*.md``
    files are ClickUp's per-operation excerpts, whose JSON blocks are merged), ``prefix`` (the
    request path prefix the description's paths leave out) and the ``hosts`` it covers."""

    service: str
    files: tuple[str, ...]
    prefix: str = ""
    hosts: tuple[str, ...] = ()
    any_method: bool = False
    """Whether the API takes every operation by any method (Slack's Web API: GET or POST)
    while its description lists one."""
    errors_in_body: bool = False
    """Whether the API answers errors with a success status and ``"ok": false`` in the body
    (Slack's Web API: HTTP 200), documented as each operation's ``default`` response: such a
    body is validated against ``default``, not the success schema."""
    error_schema: str | None = None
    """The component (``components/schemas/<name>``) every error body of the API has, by the
    vendor's own account: an error status an operation does not list is validated against
    it (OpenAI's ``ErrorResponse``), rather than left unvalidated."""
    lists_error_statuses: bool = False
    """Whether the description lists every error status of each operation (Confluence's
    do), so that a response with a status its operation does not list is a wrong status."""

    def available(self) -> bool:
        folder = vendor_specs_dir()
        return folder is not None and all(any(folder.glob(f)) for f in self.files)

    @functools.cached_property
    def documents(self) -> list[dict[str, Any]]:
        folder = vendor_specs_dir()
        assert folder is not None, "no vendor-specs folder"
        documents = []
        for pattern in self.files:
            if pattern.endswith(".md"):  # ClickUp's excerpts: one merged document
                documents.append(_merged_markdown(folder / Path(pattern).parent))
            else:
                documents += [_load(path) for path in sorted(folder.glob(pattern))]
        return documents

    @functools.cached_property
    def _operations(self) -> list[tuple[re.Pattern[str], int, Operation]]:
        found = []
        for document in self.documents:
            for template, item in (document.get("paths") or {}).items():
                for method in METHODS:
                    if method not in item:
                        continue
                    operation = Operation(method, template, item[method], document)
                    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
                    found.append((re.compile(pattern + "/?"), template.count("{"), operation))
        found.sort(key=lambda entry: entry[1])  # fewer parameters: more specific
        return found

    def operations(self) -> list[Operation]:
        """Every operation of the description."""
        return [operation for _, _, operation in self._operations]

    def operation(self, method: str, path: str) -> Operation | None:
        """The vendor's operation for ``method`` on request ``path`` (prefix included)."""
        if not path.startswith(self.prefix):
            return None
        path = path[len(self.prefix) :] or "/"
        for pattern, _, operation in self._operations:
            same = self.any_method or operation.method == method.lower()
            if same and pattern.fullmatch(path):
                return operation
        return None

    def check(self, method: str, path: str, status: int, body: Any, *, json: bool = True) -> Check:
        """Validate one response: ``body`` parsed JSON, unless ``json`` is false (no body, or
        one that is not JSON: wrong where the vendor documents a JSON body)."""
        operation = self.operation(method, path)
        if operation is None:
            return Check(self.service, f"{method.upper()} {path}", status, "no-operation")
        error = self.errors_in_body and isinstance(body, Mapping) and body.get("ok") is False
        response = operation.response(status, error=error)
        if response is not None:
            schema = _json_schema(operation.document, response)
        elif status >= 400 and self.error_schema is not None:
            schema = {"$ref": f"#/components/schemas/{self.error_schema}"}
        else:
            return Check(self.service, operation.name, status, "undocumented-status")
        if schema is None:
            return Check(self.service, operation.name, status, "no-schema")
        if not json:
            return Check(self.service, operation.name, status, "invalid", ("<body>: not JSON",))
        errors = validate(operation.document, schema, distinct_shapes(body))
        outcome = "invalid" if errors else "valid"
        return Check(self.service, operation.name, status, outcome, errors)


def validate(document: Mapping[str, Any], schema: Mapping[str, Any], body: Any) -> tuple[str, ...]:
    """Where ``body`` breaks ``schema`` (local ``$ref``s resolve in ``document``, already in
    the 3.1 dialect: see :func:`_as_openapi_31`)."""
    root = {key: value for key, value in document.items() if key != "paths"}
    validator = OAS31Validator({**root, **schema})
    return tuple(sorted({_describe(error) for error in validator.iter_errors(body)}))


def distinct_shapes(body: Any) -> Any:
    """``body`` with each array cut to the first item of each distinct shape (keys and value
    types, recursively): a page of a thousand records made by one serializer is validated as
    the few variants it holds (a null here, an extra key there), not a thousand times. What
    this can miss: a bad value of a right type (an enum's unknown member) in a later item."""
    if isinstance(body, dict):
        return {key: distinct_shapes(value) for key, value in body.items()}
    if isinstance(body, list):
        kept: dict[Any, Any] = {}
        for item in body:
            kept.setdefault(_shape(item), item)
        return [distinct_shapes(item) for item in kept.values()]
    return body


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _shape(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("list", frozenset(_shape(item) for item in value))
    return type(value).__name__


def _describe(error: ValidationError) -> str:
    """``path: what failed``, from the branch that came closest where ``anyOf``/``oneOf``
    failed, without the (often long) value itself; an enum's long list is cut, and the
    scalar that missed it named (so an allowance can name one value)."""
    while error.context:
        error = best_match(error.context)
    path = "/".join(map(str, error.absolute_path)) or "<body>"
    message = error.message
    if (
        len(message) > 160
        and error.validator == "enum"
        and not isinstance(error.instance, dict | list)
    ):
        message = f"{error.instance!r} fails enum: {str(error.validator_value)[:100]}"
    elif len(message) > 160:
        message = f"fails {error.validator}: {str(error.validator_value)[:120]}"
    return f"{path}: {message}"


def _as_openapi_31(node: Any) -> Any:
    """An OpenAPI 3.0 (or converted Swagger 2.0) schema tree in 3.1's JSON Schema dialect:
    ``nullable: true`` becomes a ``null`` type (beside ``type``, or as an ``anyOf`` branch
    when the schema has no type, as Stripe's nullable ``anyOf`` references do), and a null
    member of its ``enum`` (Stripe's nullable enums: the 3.1 reading of 3.0's intent). A ``oneOf``
    with an empty branch (ClickUp's excerpts have ``oneOf: [{}, {...}]``) matches anything by
    that branch, and is read as what it says: anything."""
    if isinstance(node, list):
        return [_as_openapi_31(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_openapi_31(value) for key, value in node.items()}
    if converted.get("nullable") is True:
        del converted["nullable"]
        if isinstance(converted.get("enum"), list) and None not in converted["enum"]:
            converted["enum"] = [*converted["enum"], None]  # 3.0 meant the null too
        kind = converted.get("type")
        if isinstance(kind, str):
            converted["type"] = [kind, "null"]
        elif isinstance(kind, list):
            converted["type"] = [*kind, "null"] if "null" not in kind else kind
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    elif converted.get("nullable") is False:
        del converted["nullable"]
    one_of = converted.get("oneOf")
    if isinstance(one_of, list) and any(_is_empty_schema(branch) for branch in one_of):
        del converted["oneOf"]
    return converted


def _is_empty_schema(schema: Any) -> bool:
    words = {"description", "title", "example", "examples"}
    return isinstance(schema, dict) and not (set(schema) - words)


def _json_schema(document: Mapping[str, Any], response: Mapping[str, Any]) -> Any:
    """The JSON body schema of a response object (OpenAPI 3 ``content`` or Swagger 2)."""
    if "schema" in response:  # Swagger 2.0
        return _deref(document, response["schema"])
    content = response.get("content") or {}
    for media, entry in content.items():
        if "json" in media and isinstance(entry, Mapping) and "schema" in entry:
            return entry["schema"]
    anything = content.get("*/*")  # HubSpot declares its JSON error bodies so
    if isinstance(anything, Mapping) and "schema" in anything:
        return anything["schema"]
    return None


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    """``node`` with a top-level local ``$ref`` followed (responses are often refs)."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = document
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or key not in target:
                return {}  # a dangling reference (ClickUp's excerpts lack some): no schema
            target = target[key]
        node = target
    return node


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if loaded.get("swagger"):
        loaded = _swagger_as_openapi(loaded)
    if not str(loaded.get("openapi", "")).startswith("3.1"):
        loaded = {**_as_openapi_31(loaded), "openapi": "3.1.0"}
    return loaded


@functools.cache
def _merged_markdown(folder: Path) -> dict[str, Any]:
    """ClickUp's excerpts: one OpenAPI document of every ``json`` block's paths and components."""
    merged: dict[str, Any] = {"openapi": "3.1.0", "paths": {}, "components": {}}
    for path in sorted(folder.glob("*.md")):
        for block in re.findall(r"```json\n(.*?)\n```", path.read_text(encoding="utf-8"), re.S):
            try:
                document = json.loads(block)
            except json.JSONDecodeError:
                continue
            if not isinstance(document, dict) or "paths" not in document:
                continue
            for template, item in document["paths"].items():
                merged["paths"].setdefault(template, {}).update(item)
            for kind, entries in (document.get("components") or {}).items():
                merged["components"].setdefault(kind, {}).update(entries)
    converted: dict[str, Any] = _as_openapi_31(merged)  # the oneOf reading, below
    return converted


def _swagger_as_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 document read as OpenAPI 3.0: ``definitions`` under ``components``
    (refs rewritten), ``x-nullable`` as ``nullable``, an object's ``items: [A, B]`` as
    ``anyOf``."""
    text = json.dumps(document).replace('"#/definitions/', '"#/components/schemas/')
    text = text.replace('"x-nullable"', '"nullable"')
    converted: dict[str, Any] = _one_of_items(json.loads(text))
    converted["openapi"] = "3.0.0"
    converted["components"] = {"schemas": converted.pop("definitions", {})}
    return converted


def _one_of_items(node: Any) -> Any:
    """Slack's description writes "A or B" for an object as ``items: [A, B]`` (a tuple form
    JSON Schema ignores on objects, so nothing would be checked): read it as ``anyOf``."""
    if isinstance(node, list):
        return [_one_of_items(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _one_of_items(value) for key, value in node.items()}
    items = converted.get("items")
    if isinstance(items, list) and converted.get("type") != "array":
        del converted["items"]
        converted["anyOf"] = items
    return converted


def _vendors(entries: Iterable[Vendor]) -> dict[str, Vendor]:
    return {vendor.service: vendor for vendor in entries}


VENDORS = _vendors(
    [
        Vendor("stripe", ("stripe.spec3.2022-04.json",), hosts=("api.stripe.com",)),
        Vendor(
            "openai",
            ("openai.openapi.json",),
            prefix="/v1",
            hosts=("api.openai.com",),
            # Every error is {"error": {message, type, param, code}}: the openai SDK reads
            # body["error"] for any status error (openai/_client.py, _make_status_error).
            error_schema="ErrorResponse",
        ),
        Vendor(
            "slack",
            ("slack.openapi_v2.json",),
            prefix="/api",
            hosts=("slack.com",),
            any_method=True,
            errors_in_body=True,
        ),
        Vendor("github", ("github.api.2020-09.json",), hosts=("api.github.com",)),
        Vendor("hubspot", ("hubspot.*.json",), hosts=("api.hubapi.com",)),
        Vendor("attio", ("attio.speakeasy-out.openapi.yaml",), hosts=("api.attio.com",)),
        Vendor(
            "confluence",
            ("confluence.swagger.v3.json",),
            hosts=("apibench.atlassian.net",),
            lists_error_statuses=True,
        ),
        Vendor("clickup", ("clickup/*.md",), prefix="/api", hosts=("api.clickup.com",)),
    ]
)
"""The services with a vendor description, by service name."""
