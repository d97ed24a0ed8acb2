"""Error responses: upstream 5xx (JSON or an HTML gateway page), and outage windows."""

from __future__ import annotations

import math

from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply
from mockapis.kit.errors import ApiError
from mockapis.kit.responses import dumps

__all__ = ["KINDS", "gateway_page", "service_error"]

_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def gateway_page(status: int) -> bytes:
    """The HTML page a reverse proxy answers with when the upstream fails (nginx's shape)."""
    title = f"{status} {_REASONS[status]}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


def service_error(call: FaultCall, status: int, message: str, code: str) -> Reply:
    """A JSON error in the service's own error format."""
    body = dumps(call.service.render_error(ApiError(status, message, code=code)))
    return Reply(status, [(b"content-type", b"application/json")], body)


def _error_reply(call: FaultCall, status: int, body_style: str, retry_after: int | None) -> Reply:
    if body_style == "html":
        reply = Reply(status, [(b"content-type", b"text/html")], gateway_page(status))
    else:
        message = f"{_REASONS[status]}: the server could not complete the request. Try again."
        reply = service_error(call, status, message, "server_error")
    if retry_after is not None:
        reply.headers.append((b"retry-after", str(retry_after).encode()))
    reply.headers.append((b"content-length", str(len(reply.body)).encode()))
    return reply


async def _http_error(call: FaultCall, proceed: Proceed) -> Reply:
    call.inject()
    p = call.params
    return _error_reply(call, p["status"], p["body"], p["retry_after"])


async def _outage(call: FaultCall, proceed: Proceed) -> Reply:
    """503 until the rule's window ends, with Retry-After counting down to it."""
    call.inject()
    window = call.rule.when.window
    retry_after = None
    if window is not None:
        elapsed_s = (call.world.clock.now_ns - call.world.epoch_ns) / 1e9
        retry_after = max(1, math.ceil(window[1] - elapsed_s))
    return _error_reply(call, 503, call.params["body"], retry_after)


_STATUS = Param("status", (int,), 503, "the status to answer", choices=(500, 502, 503, 504))
_BODY = Param(
    "body",
    (str,),
    "json",
    "json (the service's error format) or html (a gateway page)",
    choices=("json", "html"),
)

KINDS = (
    Kind(
        "http_error",
        "Answer with a 5xx instead of the service. With `when: {first: N}` it is "
        "fail-first-N-then-succeed.",
        (
            _STATUS,
            _BODY,
            Param(
                "retry_after", (int, type(None)), None, "Retry-After seconds, or none", minimum=0
            ),
        ),
        _http_error,
    ),
    Kind(
        "outage",
        "The service is down for the rule's `when.window`: 503 with Retry-After until it ends.",
        (_BODY,),
        _outage,
    ),
)
