"""Custom checks of the OpenAI scenarios."""

from __future__ import annotations

import base64
from typing import Any

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def _uploaded(ctx: CheckContext) -> dict[str, Any] | None:
    diff = ctx.diff.get("openai.files")
    for row in diff.added.values() if diff else ():
        if row["filename"] == ctx.expected["filename"]:
            return row
    return None


def _document(ctx: CheckContext) -> bytes:
    if "pdf_base64" in ctx.expected:
        return base64.b64decode(ctx.expected["pdf_base64"])
    return str(ctx.expected["document"]).encode()


def contract_uploaded(ctx: CheckContext) -> Result:
    """A new file with exactly the given name, bytes and purpose user_data."""
    row = _uploaded(ctx)
    if row is None:
        return False, f"no new file named {ctx.expected['filename']!r}"
    if base64.b64decode(row["data"]) != _document(ctx):
        return False, "the uploaded bytes differ from the document"
    if row["purpose"] != "user_data":
        return False, f"purpose is {row['purpose']!r}, not 'user_data'"
    return True, f"uploaded {row['id']}"


document_uploaded = contract_uploaded
"""The same check for any document (the PDF scenario's name for it)."""


def asked_with_uploaded_file(ctx: CheckContext) -> Result:
    """A stored response whose input gives the uploaded file by file_id."""
    row = _uploaded(ctx)
    if row is None:
        return False, "nothing was uploaded"
    diff = ctx.diff.get("openai.responses")
    for response in diff.added.values() if diff else ():
        for item in response["input_items"]:
            for part in item["content"]:
                if part.get("type") == "input_file" and part.get("file_id") == row["id"]:
                    return True, f"response {response['id']} read the file"
    return False, "no stored response was given the uploaded file as input_file"


def asked_chat_completions(ctx: CheckContext) -> Result:
    """At least one Chat Completions call succeeded (the answer came from the model)."""
    calls = [
        e for e in ctx.world.log if e.service == "openai" and e.path.endswith("/chat/completions")
    ]
    if not any(e.method == "POST" and 200 <= e.status < 300 for e in calls):
        return False, f"no successful POST /v1/chat/completions ({len(calls)} attempted)"
    return True, f"{len(calls)} chat completion call(s)"


def response_with_file_url(ctx: CheckContext) -> Result:
    """A stored response whose input has the prompt as input_text and the URL as file_url."""
    want = ctx.expected["content"]
    diff = ctx.diff.get("openai.responses")
    for response in diff.added.values() if diff else ():
        parts = [part for item in response["input_items"] for part in item["content"]]
        if all(part in parts for part in want):
            return True, f"response {response['id']} was given the prompt and the file_url"
    return False, "no stored response was given both the prompt and the file_url"


def read_input_items(ctx: CheckContext) -> Result:
    """The response's input items were read back (a 200 GET .../input_items)."""
    for e in ctx.world.log:
        read = e.service == "openai" and e.method == "GET" and e.path.endswith("/input_items")
        if read and 200 <= e.status < 300:
            return True, f"read {e.path}"
    return False, "no successful GET /v1/responses/{id}/input_items"
