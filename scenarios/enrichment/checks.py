"""Custom checks of the enrichment workflows."""

from __future__ import annotations

import base64
import csv
import io
import json

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]
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
