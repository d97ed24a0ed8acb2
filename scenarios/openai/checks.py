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


def contract_uploaded(ctx: CheckContext) -> Result:
    """A new file with exactly the given name, bytes and purpose user_data."""
    row = _uploaded(ctx)
    if row is None:
        return False, f"no new file named {ctx.expected['filename']!r}"
    if base64.b64decode(row["data"]) != ctx.expected["document"].encode():
        return False, "the uploaded bytes differ from the document"
    if row["purpose"] != "user_data":
        return False, f"purpose is {row['purpose']!r}, not 'user_data'"
    return True, f"uploaded {row['id']}"


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
