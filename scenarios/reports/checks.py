"""Custom checks of the report workflows: the exact rendered bytes landed in the target
system, once, and nothing else there changed."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from gym_apibench.checks import CheckContext
from gym_apibench.scenarios import family_module

Result = tuple[bool, str]

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.slack import checks as _slack
else:
    _slack = family_module(Path(__file__).parent.parent / "slack", "checks")
digest_posted = _slack.message_posted
"""Exactly one new top-level message in the channel, with exactly the rendered digest."""


def report_file(ctx: CheckContext) -> Result:
    """One new file at the path, holding exactly the rendered report; no other file touched."""
    diff = ctx.diff.get("files.files")
    if diff is None:
        return False, "no file was uploaded"
    if diff.removed or diff.updated:
        return False, f"{len(diff.removed)} files removed, {len(diff.updated)} changed"
    added = list(diff.added.values())
    if [r["name"] for r in added] != [ctx.expected["path"]]:
        return False, f"new files {[r['name'] for r in added]}, expected [{ctx.expected['path']!r}]"
    if base64.b64decode(added[0]["data"]) != ctx.expected["content"].encode():
        return False, "the uploaded bytes differ from the template's rendering of the data"
    return True, f"uploaded {added[0]['size']} bytes ({ctx.expected['count']} customers)"


def sheet_stored(ctx: CheckContext) -> Result:
    """The S3 object exists under exactly the key with exactly the rendered contact sheet."""
    want = f"{ctx.expected['bucket']}/{ctx.expected['key']}"
    diff = ctx.diff.get("s3.objects")
    row = diff.added.get(want) if diff else None
    if row is None:
        return False, f"no new object {ctx.expected['key']!r} in {ctx.expected['bucket']!r}"
    if len(diff.added) != 1 or diff.removed or diff.updated:  # type: ignore[union-attr]
        return False, "other objects were written or removed too"
    if base64.b64decode(row["body"]) != ctx.expected["content"].encode():
        return False, "the stored bytes differ from the template's rendering of the contacts"
    return True, f"stored {row['size']} bytes ({ctx.expected['count']} contacts)"
