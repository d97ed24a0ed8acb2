"""openai in the conformance suite: extra cases, allow-list, whether it conforms.

Files are retrieved, read and deleted by the ids of the files seeded in the case's world
(:func:`~tests.conformance.cases.seeded_id`). A stored response exists only in the
episode that created it and every case is a fresh episode, so a retrieve, delete or
input-items list of a response by id is exercised here with its 404 only; their success
bodies are validated by ``tests/mockapis/openai/test_openai_conformance.py``, which chains
the requests in one world.
"""

from __future__ import annotations

import functools
from typing import Any

from tests.conformance.cases import Case, Deferred, case, seeded_id

__all__ = ["ALLOWANCES", "CASES", "PENDING"]

SCENARIO = "openai.structured-record"
_RESPONSE = {"model": "gpt-4.1-mini", "input": "Say hello."}
_CHAT = {"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": "Say hello."}]}


_case = functools.partial(case, SCENARIO)


def _cases() -> list[Case]:
    file_id = seeded_id(SCENARIO, "openai.files")
    return [
        # Operations no solution sends, answered with success.
        _case(200, "GET", "/v1/files", note="list files"),
        _case(
            200, "GET", "/v1/files?purpose=fine-tune&order=asc&limit=2", note="list files, filtered"
        ),
        _case(200, "GET", f"/v1/files/{file_id}", note="retrieve file"),
        _case(200, "GET", f"/v1/files/{file_id}/content", note="file content"),
        _case(200, "DELETE", f"/v1/files/{file_id}", note="delete file"),
        _case(200, "GET", "/v1/models", note="list models"),
        _case(200, "GET", "/v1/models/gpt-4.1-mini", note="retrieve model"),
        _case(
            200, "POST", "/v1/responses", {**_RESPONSE, "user": "u-1"}, note="response with user"
        ),
        # Errors: OpenAI's error object (the description documents few of them).
        _case(401, "GET", "/v1/models", note="no key", auth=False),
        _case(
            401,
            "GET",
            "/v1/files",
            note="wrong key",
            auth=False,
            headers={"Authorization": "Bearer sk-proj-wrong000000000000"},
        ),
        _case(404, "GET", "/v1/files/file-nope", note="no such file"),
        _case(404, "GET", "/v1/files/file-nope/content", note="content: none such"),
        _case(404, "DELETE", "/v1/files/file-nope", note="delete file: none such"),
        _case(400, "GET", "/v1/files?limit=0", note="limit"),
        _case(404, "GET", "/v1/models/gpt-nope", note="no such model"),
        _case(404, "GET", "/v1/responses/resp_nope", note="retrieve response: none such"),
        _case(404, "DELETE", "/v1/responses/resp_nope", note="delete response: none such"),
        _case(404, "GET", "/v1/responses/resp_nope/input_items", note="input items: none such"),
        _case(400, "POST", "/v1/responses", {"input": "Say hello."}, note="no model"),
        _case(400, "POST", "/v1/responses", {"model": "gpt-4.1-mini"}, note="no input"),
        _case(400, "POST", "/v1/responses", {**_RESPONSE, "user": 7}, note="user type"),
        _case(
            404,
            "POST",
            "/v1/responses",
            {**_RESPONSE, "model": "gpt-nope"},
            note="model: none such",
        ),
        _case(
            400,
            "POST",
            "/v1/responses",
            "{",
            note="not JSON",
            headers={"Content-Type": "application/json"},
        ),
        _case(401, "POST", "/v1/chat/completions", _CHAT, note="chat 401", auth=False),
        _case(400, "POST", "/v1/chat/completions", {"model": "gpt-4.1-mini"}, note="no messages"),
        _case(
            400,
            "POST",
            "/v1/chat/completions",
            {**_CHAT, "messages": [{"role": "robot", "content": "hi"}]},
            note="bad role",
        ),
        _case(415, "POST", "/v1/files", {"purpose": "user_data"}, note="not multipart"),
    ]


PENDING = False
"""Every response conforms (issue 18): the suite's test must pass."""

CASES = Deferred(_cases)
"""Requests no scenario's solution sends: documented errors, operations no solution needs."""

ALLOWANCES: list[dict[str, Any]] = [
    {
        "operation": "GET /files/{file_id}/content",
        "match": r"^<body>: not JSON$",
        "reason": "The API answers the file's raw bytes, not a JSON string: the openai SDK's "
        "files.content() sends Accept: application/binary and returns the bytes "
        "(HttpxBinaryResponseContent). The description's application/json string schema "
        "describes no body the API sends.",
    },
    {
        "operation": "DELETE /responses/{response_id}",
        "match": r"^<body>: '(code|message|param|type)' is a required property$",
        "reason": "The description's 404 schema is the bare Error object; the API wraps it in "
        "{'error': Error} (its ErrorResponse) like every other error: the openai SDK reads "
        "body['error'], and OpenAI's 404 for a missing response quoted in BerriAI/litellm#34422 "
        "is wrapped. The inner object is validated against Error by "
        "tests/mockapis/openai/test_openai_conformance.py.",
    },
]
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""
