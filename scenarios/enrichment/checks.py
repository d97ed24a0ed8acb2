"""Custom checks of the enrichment workflows."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.checks import CheckContext
from gym_apibench.scenarios import family_module

Result = tuple[bool, str]

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.slack import checks as _slack
else:
    _slack = family_module(Path(__file__).parent.parent / "slack", "checks")
slack_line_posted = _slack.message_posted
"""Exactly one new top-level message in the expected channel, with the exact text."""
HEADER = ["record_id", "name", "segment", "employees"]


def enrichment_csv(ctx: CheckContext) -> Result:
    """The CSV object holds exactly the expected header and rows (any order)."""
    want = f"{ctx.expected['bucket']}/{ctx.expected['key']}"
    diff = ctx.diff.get("s3.objects")
    row = diff.added.get(want) if diff else None
    if row is None:
        return False, f"no new object {ctx.expected['key']!r} in {ctx.expected['bucket']!r}"
    try:
        lines = list(csv.reader(io.StringIO(base64.b64decode(row["body"]).decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        return False, f"the object is not a UTF-8 CSV: {exc}"
    lines = [line for line in lines if line]
    if not lines or [c.strip() for c in lines[0]] != HEADER:
        return False, f"header is {lines[0] if lines else None}, expected {HEADER}"
    got = sorted([c.strip() for c in line] for line in lines[1:])
    expected = sorted(ctx.expected["rows"])
    if got != expected:
        missing = [r for r in expected if r not in got]
        return False, f"{len(got)} rows, expected {len(expected)}; first missing: {missing[:1]}"
    return True, f"{len(got)} rows match"


def enriched_through_model(ctx: CheckContext) -> Result:
    """Every company's (segment, employees) came out of a stored structured response."""
    diff = ctx.diff.get("openai.responses")
    seen: set[tuple[str, int]] = set()
    for response in diff.added.values() if diff else ():
        if response["text"]["format"]["type"] != "json_schema":
            continue
        text = "".join(c.get("text", "") for o in response["output"] for c in o["content"])
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            seen.add((str(value.get("segment")), value.get("employees") or -1))
    wanted = {(r[2], int(r[3])) for r in ctx.expected["rows"]}
    missing = wanted - seen
    if missing:
        return False, f"{len(missing)} of {len(wanted)} companies were not enriched by the model"
    return True, f"{len(wanted)} companies enriched through stored responses"


def _data_url(value: str) -> bytes:
    try:
        return base64.b64decode(value.split(",", 1)[1]) if "," in value else b""
    except ValueError:
        return b""


def _inputs(ctx: CheckContext, response: dict[str, Any]) -> list[tuple[str, bytes]]:
    """``(part type, bytes)`` of each content part given to a stored response: text parts'
    text, files' bytes (uploaded, by file_id; or inline file_data)."""
    files = ctx.world.table("openai.files")
    found: list[tuple[str, bytes]] = []
    for item in response.get("input_items", []):
        for part in item.get("content", []):
            kind = str(part.get("type"))
            if "text" in part:
                found.append((kind, str(part["text"]).encode()))
            elif part.get("file_id") and part["file_id"] in files:
                found.append((kind, base64.b64decode(files[part["file_id"]]["data"])))
            elif part.get("file_data"):
                found.append((kind, _data_url(str(part["file_data"]))))
    return found


def _structured(response: dict[str, Any]) -> Any:
    if response["text"]["format"]["type"] != "json_schema":
        return None
    text = "".join(c.get("text", "") for o in response["output"] for c in o.get("content", []))
    try:
        return json.loads(text)
    except ValueError:
        return None


def _answered(value: Any, fields: dict[str, Any]) -> bool:
    return isinstance(value, dict) and all(value.get(k) == v for k, v in fields.items())


def model_read_file(ctx: CheckContext) -> Result:
    """A stored json_schema response was given the staged file as an input_file and
    answered its fields."""
    diff = ctx.diff.get("openai.responses")
    wanted = str(ctx.expected["file"]).encode()
    read = False
    for response in diff.added.values() if diff else ():
        given = [data for kind, data in _inputs(ctx, response) if kind == "input_file"]
        if wanted not in given:
            continue
        read = True
        if _answered(_structured(response), ctx.expected["fields"]):
            return True, f"response {response['id']} read the file and gave its fields"
    if read:
        return False, "a response read the file, but none answered its fields with the schema"
    return False, "no stored response was given the file (its exact bytes) as an input_file"


def model_read_report(ctx: CheckContext) -> Result:
    """A stored json_schema response was given the report's content (as text or a file) and
    answered its figures."""
    diff = ctx.diff.get("openai.responses")
    shown = str(ctx.expected["revenue_shown"]).encode()
    read = False
    for response in diff.added.values() if diff else ():
        if not any(shown in data for _, data in _inputs(ctx, response)):
            continue
        read = True
        if _answered(_structured(response), ctx.expected["fields"]):
            return True, f"response {response['id']} read the report and gave its figures"
    if read:
        return False, "a response read the report, but none answered its figures"
    return False, "no stored response was given the annual report's content"
