"""botocore's S3 service model: which operation a request is, and whether its response conforms.

S3 answers XML, and its machine-readable description is the service model botocore ships
(``rest-xml``). :func:`operation_for` finds the operation of a request the way S3 routes it:
the method and the ``requestUri`` path (``/{Bucket}/{Key+}``, path-style or virtual-hosted),
then the most specific of the candidates: the query's sub-resource (``?uploads``,
``?list-type=2``) and the input's required query members (``uploadId``) and headers
(``x-amz-copy-source``) decide between operations sharing a path. :func:`check_response`
compares a response with the operation: the status (the model's ``responseCode``, 200 by
default), every element of an XML body against the output shape (``locationName``,
``flattened`` lists, the payload member, types, enums, required members), the headers the
output shape declares (their form), and an error's ``<Error>`` document (its code one of the
operation's errors or of S3's documented error codes, with that code's status).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from botocore.loaders import Loader

__all__ = [
    "DOCUMENTED_ERRORS",
    "NAMESPACE",
    "S3Operation",
    "check_response",
    "model",
    "operation_for",
    "operations",
    "path_style",
    "query_of",
]

NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
_VIRTUAL_HOST = re.compile(r"^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")

ROOTS = {
    "ListBuckets": "ListAllMyBucketsResult",
    "ListObjects": "ListBucketResult",
    "ListObjectsV2": "ListBucketResult",
    "CreateMultipartUpload": "InitiateMultipartUploadResult",
    "CompleteMultipartUpload": "CompleteMultipartUploadResult",
    "ListParts": "ListPartsResult",
    "GetBucketLocation": "LocationConstraint",
    "DeleteObjects": "DeleteResult",
}
"""The root element of each XML response body, from the S3 API reference (the model leaves
the output root unnamed; the SDKs ignore it, other clients and XPath users do not)."""

DOCUMENTED_ERRORS = {
    "AccessDenied": 403,
    "AuthorizationHeaderMalformed": 400,
    "AuthorizationQueryParametersError": 400,
    "BadDigest": 400,
    "BucketAlreadyExists": 409,
    "BucketAlreadyOwnedByYou": 409,
    "BucketNotEmpty": 409,
    "EntityTooLarge": 400,
    "EntityTooSmall": 400,
    "ExpiredToken": 400,
    "IllegalLocationConstraintException": 400,
    "IncompleteBody": 400,
    "InternalError": 500,
    "InvalidAccessKeyId": 403,
    "InvalidArgument": 400,
    "InvalidBucketName": 400,
    "InvalidDigest": 400,
    "InvalidPart": 400,
    "InvalidPartOrder": 400,
    "InvalidRange": 416,
    "InvalidRequest": 400,
    "KeyTooLongError": 400,
    "MalformedXML": 400,
    "MethodNotAllowed": 405,
    "MissingContentLength": 411,
    "NoSuchBucket": 404,
    "NoSuchKey": 404,
    "NoSuchUpload": 404,
    "NotImplemented": 501,
    "PreconditionFailed": 412,
    "RequestTimeTooSkewed": 403,
    "ServiceUnavailable": 503,
    "SignatureDoesNotMatch": 403,
    "SlowDown": 503,
    "XAmzContentSHA256Mismatch": 400,
}
"""S3's error codes and their statuses, from the S3 API reference's "List of error codes"
(docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): the model names few errors
(``NoSuchBucket``, ``NoSuchKey``, ``NoSuchUpload``, ``BucketAlreadyOwnedByYou``, ...)."""

GENERIC_HEADERS = frozenset({"x-amz-request-id", "x-amz-id-2"})
"""Headers S3 sends with every response, outside the operations' output shapes."""

_HTTP_DATE = "%a, %d %b %Y %H:%M:%S GMT"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_ENTITY_TAG = re.compile(r'^(W/)?"[^"]*"$')


@functools.cache
def model() -> dict[str, Any]:
    """botocore's S3 service model (``service-2``)."""
    loaded: dict[str, Any] = Loader().load_service_model("s3", "service-2")
    return loaded


def _shape(name: str) -> dict[str, Any]:
    found: dict[str, Any] = model()["shapes"][name]
    return found


@dataclass(frozen=True)
class S3Operation:
    """One operation of the model: its method, ``requestUri`` (split into the path template
    and the query's literal sub-resources) and what tells it apart from others on the path."""

    name: str
    method: str
    path: str
    query: tuple[tuple[str, str | None], ...]
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]
    status: int
    output: str | None
    errors: tuple[str, ...]

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", self.path)
        regex = "".join(
            (".+" if p.endswith("+}") else "[^/]+") if p.startswith("{") else re.escape(p)
            for p in parts
        )
        return re.compile(f"^{regex}$")

    def score(
        self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str]
    ) -> int | None:
        """How specifically this operation matches the request (``None``: it does not)."""
        if method != self.method or not self._pattern.match(path):
            return None
        for key, value in self.query:
            if key not in query or (value is not None and query[key] != value):
                return None
        if any(k not in query for k in self.required_query):
            return None
        if any(h not in headers for h in self.required_headers):
            return None
        return len(self.query) + len(self.required_query) + len(self.required_headers)


def _operation(name: str, spec: Mapping[str, Any]) -> S3Operation:
    path, _, query = spec["http"]["requestUri"].partition("?")
    literal = []
    for item in filter(None, query.split("&")):
        key, sep, value = item.partition("=")
        literal.append((key, value if sep else None))
    required_query: list[str] = []
    required_headers: list[str] = []
    if "input" in spec:
        shape = _shape(spec["input"]["shape"])
        for member in shape.get("required", []):
            ref = shape["members"][member]
            if ref.get("location") == "querystring":
                required_query.append(ref["locationName"])
            elif ref.get("location") == "header":
                required_headers.append(ref["locationName"].lower())
    return S3Operation(
        name=name,
        method=spec["http"]["method"],
        path=path,
        query=tuple(literal),
        required_query=tuple(required_query),
        required_headers=tuple(required_headers),
        status=int(spec["http"].get("responseCode", 200)),
        output=spec["output"]["shape"] if "output" in spec else None,
        errors=tuple(e["shape"] for e in spec.get("errors", [])),
    )


@functools.cache
def operations() -> tuple[S3Operation, ...]:
    """Every operation of the model."""
    return tuple(_operation(name, spec) for name, spec in model()["operations"].items())


def path_style(host: str, path: str) -> str:
    """The request's path-style path: a virtual-hosted bucket (``b.s3.amazonaws.com``,
    ``b.s3.us-east-1.amazonaws.com``) moves into the path, as S3 reads it."""
    hosted = _VIRTUAL_HOST.match(host)
    full = f"/{hosted.group(1)}{path}" if hosted else path or "/"
    # the bucket's own URL may end with "/" (a virtual host's root): still the bucket
    return full[:-1] if full.count("/") == 2 and full.endswith("/") else full


def operation_for(
    method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str]
) -> S3Operation | None:
    """The operation S3 runs for a path-style request (``headers`` with lower-case names);
    the most specific match wins."""
    lowered = {k.lower(): v for k, v in headers.items()}
    best: tuple[int, S3Operation] | None = None
    for operation in operations():
        score = operation.score(method.upper(), path, query, lowered)
        if score is not None and (best is None or score > best[0]):
            best = (score, operation)
    return best[1] if best else None


def check_response(
    operation: S3Operation,
    method: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> list[str]:
    """Where a response of ``operation`` departs from the model (empty: it conforms)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if status >= 300:
        return _check_error(operation, method, status, lowered, body)
    errors = []
    if status != operation.status:
        errors.append(f"status {status}, where the operation's is {operation.status}")
    output = _shape(operation.output) if operation.output else {"members": {}}
    errors += _check_headers(output, lowered)
    payload = output.get("payload")
    body_members = {name: ref for name, ref in output["members"].items() if "location" not in ref}
    if payload is not None and _shape(output["members"][payload]["shape"])["type"] != "structure":
        return errors  # a blob payload (GetObject's Body): the object's bytes, any bytes
    if method.upper() == "HEAD" or not (body_members or payload):
        if body.strip():
            errors.append("a body, where the operation has none")
        return errors
    if not body.strip():
        if operation.name in ROOTS:
            errors.append(f"no body, where S3 answers <{ROOTS[operation.name]}>")
        return errors
    if "xml" not in lowered.get("content-type", ""):
        errors.append(f"content-type {lowered.get('content-type')!r} for an XML body")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return [*errors, f"the body is not XML ({exc})"]
    namespace, tag = _split(root.tag)
    if namespace != NAMESPACE:
        errors.append(f"<{tag}> in namespace {namespace or 'none'!r}, not S3's {NAMESPACE!r}")
    expected = ROOTS.get(operation.name)
    if expected is not None and tag != expected:
        errors.append(f"root element <{tag}>, where S3 answers <{expected}>")
    if payload is not None:
        _check_value(root, output["members"][payload]["shape"], tag, namespace, errors)
    elif operation.name == "GetBucketLocation":  # the member is the root itself
        # empty: us-east-1, whose LocationConstraint is null (the operation's reference)
        if root.text or len(root):
            shape = body_members["LocationConstraint"]["shape"]
            _check_value(root, shape, tag, namespace, errors)
    else:
        _check_structure(root, output, tag, namespace, errors)
    return errors


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _xml_name(member: str, ref: Mapping[str, Any]) -> str:
    shape = _shape(ref["shape"])
    if shape["type"] == "list" and shape.get("flattened"):
        return str(shape["member"].get("locationName") or ref.get("locationName") or member)
    return str(ref.get("locationName") or member)


def _check_structure(
    elem: ET.Element, shape: Mapping[str, Any], where: str, namespace: str, errors: list[str]
) -> None:
    members = {
        _xml_name(name, ref): (name, ref)
        for name, ref in shape.get("members", {}).items()
        if "location" not in ref and not ref.get("xmlAttribute")
    }
    seen: set[str] = set()
    for child in elem:
        child_ns, tag = _split(child.tag)
        path = f"{where}/{tag}"
        if child_ns != namespace:
            errors.append(f"{path}: namespace {child_ns!r}, not its parent's {namespace!r}")
        if tag not in members:
            errors.append(f"{path}: not a member of {where}")
            continue
        name, ref = members[tag]
        target = _shape(ref["shape"])
        if target["type"] == "list" and target.get("flattened"):
            _check_value(child, target["member"]["shape"], path, namespace, errors)
        else:
            if name in seen:
                errors.append(f"{path}: repeated")
            _check_value(child, ref["shape"], path, namespace, errors)
        seen.add(name)
    for name in shape.get("required", []):
        ref = shape["members"][name]
        if "location" not in ref and name not in seen:
            errors.append(f"{where}/{_xml_name(name, ref)}: required, missing")


def _check_value(
    elem: ET.Element, shape_name: str, where: str, namespace: str, errors: list[str]
) -> None:
    shape = _shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        _check_structure(elem, shape, where, namespace, errors)
        return
    if kind == "list":
        item = shape["member"].get("locationName", "member")
        for child in elem:
            child_ns, tag = _split(child.tag)
            if tag != item or child_ns != namespace:
                errors.append(f"{where}/{tag}: a list of <{item}> holds <{tag}>")
            else:
                _check_value(child, shape["member"]["shape"], f"{where}/{tag}", namespace, errors)
        return
    if len(elem):
        errors.append(f"{where}: child elements in a {kind}")
        return
    problem = _scalar_problem(shape, elem.text or "", "iso8601")
    if problem is None and _split(elem.tag)[1] == "ETag" and not _ENTITY_TAG.match(elem.text or ""):
        problem = f"{elem.text!r} is not a quoted entity tag"
    if problem:
        errors.append(f"{where}: {problem}")


def _scalar_problem(shape: Mapping[str, Any], text: str, timestamp_format: str) -> str | None:
    """Why ``text`` is not a value of the scalar ``shape`` (``None``: it is)."""
    kind = shape["type"]
    if kind in ("integer", "long"):
        return None if re.fullmatch(r"-?\d+", text) else f"{text!r} is not an integer"
    if kind == "boolean":
        return None if text in ("true", "false") else f"{text!r} is not true/false"
    if kind in ("double", "float"):
        try:
            float(text)
        except ValueError:
            return f"{text!r} is not a number"
        return None
    if kind == "timestamp":
        return _timestamp_problem(text, shape.get("timestampFormat", timestamp_format))
    if kind == "blob":
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return f"{text!r} is not base64"
        return None
    if "enum" in shape and text not in shape["enum"]:
        return f"{text!r} is not one of {shape['enum']}"
    return None


def _timestamp_problem(text: str, form: str) -> str | None:
    if form == "iso8601":
        return None if _ISO.match(text) else f"{text!r} is not an ISO 8601 timestamp"
    if form == "rfc822":
        try:
            dt.datetime.strptime(text, _HTTP_DATE)
        except ValueError:
            return f"{text!r} is not an RFC 7231 date"
        return None
    return None if re.fullmatch(r"\d+(\.\d+)?", text) else f"{text!r} is not epoch seconds"


def _check_headers(output: Mapping[str, Any], headers: Mapping[str, str]) -> list[str]:
    errors = []
    declared: dict[str, Mapping[str, Any]] = {}
    prefixes = []
    for ref in output["members"].values():
        if ref.get("location") == "header":
            declared[ref["locationName"].lower()] = ref
        elif ref.get("location") == "headers":
            prefixes.append(ref["locationName"].lower())
    for header, value in headers.items():
        ref = declared.get(header)
        if ref is None:
            if (
                header.startswith("x-amz-")
                and header not in GENERIC_HEADERS
                and not any(header.startswith(p) for p in prefixes)
            ):
                errors.append(f"header {header}: not in the operation's output")
            continue
        shape = _shape(ref["shape"])
        problem = _scalar_problem(shape, value, ref.get("timestampFormat", "rfc822"))
        if problem is None and header == "etag" and not _ENTITY_TAG.match(value):
            problem = f"{value!r} is not a quoted entity tag"
        if problem:
            errors.append(f"header {header}: {problem}")
    for name in output.get("required", []):
        ref = output["members"][name]
        if ref.get("location") == "header" and ref["locationName"].lower() not in headers:
            errors.append(f"header {ref['locationName']}: required, missing")
    return errors


def _check_error(
    operation: S3Operation, method: str, status: int, headers: Mapping[str, str], body: bytes
) -> list[str]:
    if method.upper() == "HEAD":  # S3 answers a HEAD's error with its status alone
        return ["a body in a HEAD's error"] if body.strip() else []
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return [f"status {status}: the error body is not XML ({exc})"]
    if root.tag != "Error":
        return [f"status {status}: the error document is <{root.tag}>, not <Error>"]
    fields = {child.tag: child.text or "" for child in root}
    errors = [f"<Error> without <{f}>" for f in ("Code", "Message") if f not in fields]
    code = fields.get("Code", "")
    documented = DOCUMENTED_ERRORS.get(code)
    modelled = code in operation.errors
    if modelled:
        documented = _shape(code).get("error", {}).get("httpStatusCode", documented)
    if documented is None and not modelled:
        errors.append(f"error code {code!r}: not the operation's nor a documented S3 code")
    elif documented is not None and documented != status:
        errors.append(f"error code {code} with status {status}, where S3 answers {documented}")
    if "xml" not in headers.get("content-type", ""):
        errors.append(f"content-type {headers.get('content-type')!r} for an XML error")
    return errors


def query_of(raw: str) -> dict[str, str]:
    """A raw query string's parameters, percent-decoded (a bare ``?uploads`` is ``""``)."""
    found = {}
    for item in filter(None, raw.split("&")):
        key, _, value = item.partition("=")
        found[unquote(key)] = unquote(value)
    return found
