"""Reference solutions of the OpenAI scenarios (HTTP only)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from gym_apibench.solving import Exchange, Solution, auth_headers, expect_json, send

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.openai import schemas
else:
    schemas = family_module(Path(__file__).parent, "schemas")

BOUNDARY = "apibench-solution-boundary"


def upload(task: dict[str, Any], filename: str, content: str | bytes, purpose: str) -> Exchange:
    """POST /v1/files as multipart/form-data; returns the file object. Bytes travel as the
    action's ``body_base64``."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    headers = {
        **auth_headers(task["credentials"]["openai"]),
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/files",
        "headers": headers,
        "body_base64": base64.b64encode(body).decode("ascii"),
    }
    base, auth = task["services"]["openai"], auth_headers(task["credentials"]["openai"])

    def uploaded() -> Exchange:
        """After a lost response: the file, if the upload went through (the newest by name)."""
        listing = yield from send({"method": "GET", "url": base + "/v1/files", "headers": auth})
        for item in expect_json(listing)["data"]:
            if item.get("filename") == filename:
                return {"status": 200, "headers": {}, "body": json.dumps(item)}
        return {}

    made: dict[str, Any] = expect_json((yield from send(action, check=uploaded)))
    return made


def ask(task: dict[str, Any], payload: dict[str, Any]) -> Exchange:
    """POST /v1/responses; returns the parsed JSON of the output text."""
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/responses",
        "headers": auth_headers(task["credentials"]["openai"]),
        "json": {"model": "gpt-4.1", **payload},
    }
    # A model response reads the world and changes nothing in it: safe to ask again.
    response = expect_json((yield from send(action, safe=True)))
    text = "".join(c["text"] for o in response["output"] for c in o["content"])
    answer: dict[str, Any] = json.loads(text)
    return answer


def _schema_format() -> dict[str, Any]:
    return {
        "format": {
            "type": "json_schema",
            "name": "contract",
            "schema": schemas.CONTRACT_SCHEMA,
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


def _read_invoice(task: dict[str, Any], content: str | bytes) -> Solution:
    made = yield from upload(task, task["inputs"]["filename"], content, "user_data")
    answer = yield from ask(
        task,
        {
            "instructions": "Read the invoice.",
            "input": [{"role": "user", "content": [{"type": "input_file", "file_id": made["id"]}]}],
            "text": {
                "format": {
                    "type": "json_schema",
                    "name": "invoice",
                    "schema": schemas.INVOICE_SCHEMA,
                    "strict": True,
                }
            },
        },
    )
    yield {"submit": answer}


def read_invoice_pdf(task: dict[str, Any]) -> Solution:
    """Decode the PDF, upload its bytes, read it by file_id."""
    yield from _read_invoice(task, base64.b64decode(task["inputs"]["pdf_base64"]))


def read_invoice_pdf_undecoded(task: dict[str, Any]) -> Solution:
    """The naive slip: the base64 text uploaded as the .pdf file, never decoded (the model
    cannot parse it)."""
    yield from _read_invoice(task, task["inputs"]["pdf_base64"])


def structured_record(task: dict[str, Any]) -> Solution:
    """One Chat Completions call with ``response_format`` json_schema; submit its JSON."""
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/chat/completions",
        "headers": auth_headers(task["credentials"]["openai"]),
        "json": {
            "model": "gpt-4.1",
            "messages": [{"role": "user", "content": task["inputs"]["note"]}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "person", "schema": schemas.PERSON_SCHEMA, "strict": True},
            },
        },
    }
    completion = expect_json((yield from send(action, safe=True)))
    yield {"submit": json.loads(completion["choices"][0]["message"]["content"])}


def structured_record_by_hand(task: dict[str, Any]) -> Solution:
    """Naive: read the note's fact lines itself, never asking the model."""
    facts = dict(
        line.split(": ", 1) for line in task["inputs"]["note"].splitlines() if ": " in line
    )
    yield {"submit": {"name": facts["Name"], "age": int(facts["Age"]), "city": facts["City"]}}


def _create_with_file_url(task: dict[str, Any]) -> Exchange:
    inputs = task["inputs"]
    content = [
        {"type": "input_text", "text": inputs["prompt"]},
        {"type": "input_file", "file_url": inputs["url"]},
    ]
    action = {
        "method": "POST",
        "url": task["services"]["openai"] + "/v1/responses",
        "headers": auth_headers(task["credentials"]["openai"]),
        "json": {"model": "gpt-4.1", "input": [{"role": "user", "content": content}]},
    }
    created: dict[str, Any] = expect_json(
        (yield from send(action, safe=True, transient=_download_unavailable))
    )
    return created


def _download_unavailable(observation: Mapping[str, Any]) -> bool:
    """Whether the service could not fetch a file_url because its host failed for now: a
    5xx, or the reader's 422 for a target whose connection failed (the task's file_url is a
    reader URL, so a 422 there is the reader's, not the file's)."""
    body = str(observation["body"])
    if observation["status"] != 400 or "Error while downloading" not in body:
        return False
    return "(HTTP 5" in body or ("(HTTP 422)" in body and "downloading https://r.jina.ai/" in body)


def file_url_input_items(task: dict[str, Any]) -> Solution:
    """A Responses call with input_text and input_file.file_url, then its input_items."""
    response = yield from _create_with_file_url(task)
    action = {
        "method": "GET",
        "url": f"{task['services']['openai']}/v1/responses/{response['id']}/input_items",
        "headers": auth_headers(task["credentials"]["openai"]),
    }
    items = expect_json((yield from send(action)))["data"]
    yield {"submit": [part for item in items for part in item["content"]]}


def file_url_echo(task: dict[str, Any]) -> Solution:
    """Naive: make the call, then submit what it sent instead of reading the items back."""
    yield from _create_with_file_url(task)
    inputs = task["inputs"]
    yield {
        "submit": [
            {"type": "input_text", "text": inputs["prompt"]},
            {"type": "input_file", "file_url": inputs["url"]},
        ]
    }
