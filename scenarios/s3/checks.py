"""Custom checks of the S3 scenarios."""

from __future__ import annotations

import base64

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def report_uploaded(ctx: CheckContext) -> Result:
    """The object exists under exactly the given key with exactly the CSV's bytes."""
    want = f"{ctx.expected['bucket']}/{ctx.expected['key']}"
    diff = ctx.diff.get("s3.objects")
    row = diff.added.get(want) if diff else None
    if row is None:
        return False, f"no new object {ctx.expected['key']!r} in {ctx.expected['bucket']!r}"
    if base64.b64decode(row["body"]) != ctx.expected["content"].encode():
        return False, "the stored bytes differ from the CSV"
    return True, f"stored {row['size']} bytes"
