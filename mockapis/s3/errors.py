"""S3's XML error document, and the wrapper that renders handler errors with it."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.errors import ApiError

__all__ = ["NAMESPACE", "S3Error", "error_response", "render_error", "xml_response"]

NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
"""The namespace of S3's XML documents (an ``<Error>`` has none)."""

_CODES = {
    400: "InvalidRequest",
    403: "AccessDenied",
    404: "NoSuchKey",
    405: "MethodNotAllowed",
    411: "MissingContentLength",
    413: "EntityTooLarge",
}


class S3Error(ApiError):
    """An error with an S3 code (``NoSuchBucket``, ``SignatureDoesNotMatch``, ...)."""

    def __init__(self, status: int, code: str, message: str, **fields: str) -> None:
        super().__init__(status, message, code=code, extra=fields)


def _code(exc: ApiError) -> str:
    if isinstance(exc, S3Error):
        return exc.code
    return _CODES.get(exc.status, "InternalError" if exc.status >= 500 else "InvalidRequest")


def render_error(exc: ApiError) -> dict[str, Any]:
    """The error's fields as a mapping (the service answers with :func:`error_response`)."""
    return {"Error": {"Code": _code(exc), "Message": exc.message, **exc.extra}}


def xml_response(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """An ``application/xml`` response with the XML declaration."""
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    return Response(text, status, headers=headers, media_type="application/xml")


def error_response(exc: ApiError, request: Request) -> Response:
    """S3's ``<Error>`` document (headers only for HEAD), with a request id."""
    request_id = request.scope["world"].uuid4().replace("-", "")[:16].upper()
    parts = [f"<Code>{_code(exc)}</Code>", f"<Message>{escape(exc.message)}</Message>"]
    parts += [f"<{k}>{escape(str(v))}</{k}>" for k, v in exc.extra.items()]
    parts.append(f"<RequestId>{request_id}</RequestId>")
    headers = {**exc.headers, "x-amz-request-id": request_id}
    if request.method == "HEAD":
        return Response(b"", exc.status, headers=headers)
    return xml_response("<Error>" + "".join(parts) + "</Error>", exc.status, headers)
