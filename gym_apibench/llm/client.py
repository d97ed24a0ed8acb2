"""A small OpenAI-compatible Chat Completions client over httpx, with retries and usage."""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from gym_apibench.llm.options import ModelOptions

__all__ = ["ChatClient", "ChatReply", "ModelEndpointError", "Usage"]

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
CHECK_TIMEOUT = 10.0
"""Seconds at most for :meth:`ChatClient.check_endpoint`'s one request."""


class ModelEndpointError(RuntimeError):
    """The model endpoint refused a request, or kept failing after every retry."""


@dataclass
class Usage:
    """Token usage summed over an episode's model calls, as the endpoint reported it.

    ``calls`` counts successful model responses; ``retries`` the requests sent again after a
    429, a 5xx or a transport error.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    calls: int = 0
    retries: int = 0

    def add(self, reported: Mapping[str, Any] | None) -> None:
        """Count one response's ``usage`` object (missing fields count as 0)."""
        self.calls += 1
        if not isinstance(reported, Mapping):
            return
        prompt = _count(reported.get("prompt_tokens"))
        completion = _count(reported.get("completion_tokens"))
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += _count(reported.get("total_tokens")) or prompt + completion

    def as_dict(self) -> dict[str, int]:
        """The counters as a JSON-ready dict."""
        return asdict(self)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


@dataclass(frozen=True)
class ChatReply:
    """One completion: the first choice's message (``None`` when there was no choice)."""

    message: dict[str, Any] | None
    finish_reason: str | None
    raw: dict[str, Any]


class ChatClient:
    """Sends Chat Completions requests to ``options.base_url`` as ``options.model``.

    Answers 429, 408, 409 and 5xx, transport errors and unreadable bodies are retried up to
    ``options.retries`` times, waiting as ``Retry-After`` (or ``retry-after-ms``) says, else
    ``backoff * 2**n`` seconds, never more than ``max_retry_wait``. Other 4xx answers raise
    :class:`ModelEndpointError` at once. ``usage`` sums the tokens of every reply since the
    last :meth:`reset_usage`.
    """

    def __init__(
        self,
        options: ModelOptions,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not options.model:
            raise ValueError("no model given: set the option model (--model) or $APIBENCH_MODEL")
        if not options.base_url:
            raise ValueError("no base URL given: set base_url (--base-url) or $OPENAI_BASE_URL")
        self.options = options
        self.url = options.base_url.rstrip("/") + "/chat/completions"
        self.usage = Usage()
        self._sleep = sleep
        self._transport = transport
        self._http: httpx.Client | None = None

    def reset_usage(self) -> None:
        """Start counting from zero (at each episode)."""
        self.usage = Usage()

    def close(self) -> None:
        """Close the connection pool (it reopens on the next request)."""
        if self._http is not None:
            self._http.close()
            self._http = None

    def check_endpoint(self) -> None:
        """Fail fast on an endpoint no episode could use: one ``GET <base_url>/models``.

        :class:`ModelEndpointError` when it cannot be reached (connection refused, unknown
        host, timeout) or refuses the API key (401, 403); any other answer, a 404 included
        (not every OpenAI-compatible server lists its models), counts as reachable.
        """
        url = self.url.removesuffix("/chat/completions") + "/models"
        headers = {k: v for k, v in self._headers().items() if k != "content-type"}
        timeout = min(self.options.timeout, CHECK_TIMEOUT)
        try:
            with httpx.Client(timeout=timeout, transport=self._transport) as http:
                response = http.get(url, headers=headers)
        except httpx.TransportError as exc:
            raise ModelEndpointError(
                f"the model endpoint {self.options.base_url} is unreachable "
                f"({type(exc).__name__}: {exc}); start it, or give another with --base-url "
                "(or $OPENAI_BASE_URL)"
            ) from None
        if response.status_code in (401, 403):
            raise ModelEndpointError(
                f"the model endpoint {self.options.base_url} refused the API key "
                f"(HTTP {response.status_code} to GET {url}); set ${self.options.api_key_env} "
                "or choose the variable with --api-key-env"
            )

    def complete(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        tools: Sequence[Mapping[str, Any]] | None = None,
        seed: int | None = None,
    ) -> ChatReply:
        """The model's reply to ``messages`` (offering ``tools`` when given)."""
        payload: dict[str, Any] = {
            "model": self.options.model,
            "messages": list(messages),
            "temperature": self.options.temperature,
        }
        if seed is not None:
            payload["seed"] = seed
        if self.options.max_tokens is not None:
            payload["max_tokens"] = self.options.max_tokens
        if tools:
            payload["tools"] = list(tools)
        data = self._post(payload)
        self.usage.add(data.get("usage"))
        choices = data.get("choices")
        first = choices[0] if isinstance(choices, list) and choices else None
        if not isinstance(first, Mapping):
            return ChatReply(None, None, data)
        message = first.get("message")
        reason = first.get("finish_reason")
        return ChatReply(
            dict(message) if isinstance(message, Mapping) else None,
            reason if isinstance(reason, str) else None,
            data,
        )

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                timeout=httpx.Timeout(self.options.timeout), transport=self._transport
            )
        return self._http

    def _headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        key = os.environ.get(self.options.api_key_env)
        if key:
            headers["authorization"] = f"Bearer {key}"
        return headers

    def _post(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        problem = ""
        for attempt in range(self.options.retries + 1):
            if attempt:
                self.usage.retries += 1
            delay: float | None = None
            try:
                response = self._client().post(self.url, content=body, headers=self._headers())
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    try:
                        data = response.json()
                    except ValueError:
                        problem = "a 200 response whose body is not JSON"
                    else:
                        if isinstance(data, dict):
                            return data
                        problem = "a 200 response whose body is not a JSON object"
                elif response.status_code in RETRYABLE_STATUS:
                    problem = f"HTTP {response.status_code}: {response.text[:300]}"
                    delay = retry_delay(response.headers)
                else:
                    raise ModelEndpointError(
                        f"model endpoint {self.url} answered HTTP {response.status_code}: "
                        f"{response.text[:500]}"
                    )
            if attempt < self.options.retries:
                wait = self.options.backoff * 2**attempt if delay is None else delay
                self._sleep(min(wait, self.options.max_retry_wait))
        raise ModelEndpointError(
            f"model endpoint {self.url} failed {self.options.retries + 1} times; last: {problem}"
        )


def retry_delay(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP-date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
