"""Reference solutions of the OpenAI scenarios (HTTP only)."""

from __future__ import annotations

import json
from typing import Any

from gym_apibench.solving import Exchange, Solution, auth_headers, expect_json, send

BOUNDARY = "apibench-solution-boundary"
CONTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "supplier": {"type": "string"},
        "contract_value": {"type": "number"},
        "currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"]},
        "auto_renewal": {"type": "boolean"},
    },
    "required": ["supplier", "contract_value", "currency", "auto_renewal"],
    "additionalProperties": False,
}


def upload(task: dict[str, Any], filename: str, content: str, purpose: str) -> Exchange:
    """POST /v1/files as multipart/form-data; returns the file object."""
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    )
    headers = {
        **auth_headers(task["credentials"]["openai"]),
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/files",
        "headers": headers,
        "body": body,
    }
    return expect_json((yield from send(action)))


def ask(task: dict[str, Any], payload: dict[str, Any]) -> Exchange:
    """POST /v1/responses; returns the parsed JSON of the output text."""
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/responses",
        "headers": auth_headers(task["credentials"]["openai"]),
        "json": {"model": "gpt-4.1", **payload},
    }
    response = expect_json((yield from send(action)))
    text = "".join(c["text"] for o in response["output"] for c in o["content"])
    return json.loads(text)


def _schema_format() -> dict[str, Any]:
    return {
        "format": {
            "type": "json_schema",
            "name": "contract",
            "schema": CONTRACT_SCHEMA,
            "strict": True,
        }
    }


def extract_contract(task: dict[str, Any]) -> Solution:
    """Upload the document, then extract the terms with input_file by file_id."""
    inputs = task["inputs"]
    made = yield from upload(task, inputs["filename"], inputs["document"], "user_data")
    part = {"type": "input_file", "file_id": made["id"]}
    answer = yield from ask(
        task,
        {
            "instructions": "Extract the contract's terms.",
            "input": [{"role": "user", "content": [part]}],
            "text": _schema_format(),
        },
    )
    yield {"submit": answer}


def extract_contract_inline(task: dict[str, Any]) -> Solution:
    """The naive shortcut: the document pasted as text, nothing uploaded."""
    part = {"type": "input_text", "text": task["inputs"]["document"]}
    answer = yield from ask(
        task, {"input": [{"role": "user", "content": [part]}], "text": _schema_format()}
    )
    yield {"submit": answer}
