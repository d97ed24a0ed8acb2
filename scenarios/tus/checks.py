"""Custom checks of the tus scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

import base64

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def file_uploaded(ctx: CheckContext) -> Result:
    """Exactly one new finished upload carries the file's name and exactly its bytes, and
    its id was submitted."""
    diff = ctx.diff.get("tus.uploads")
    added = list(diff.added.values()) if diff else []
    named = [r for r in added if r["metadata"].get("filename") == ctx.expected["filename"]]
    done = [r for r in named if r["length"] is not None and r["offset"] == r["length"]]
    if len(done) != 1:
        return False, (
            f"{len(done)} finished uploads named {ctx.expected['filename']!r} "
            f"({len(named)} started)"
        )
    row = done[0]
    if base64.b64decode(row["data"]) != ctx.expected["content"].encode():
        return False, "the uploaded bytes differ from the file's content"
    if ctx.answer != row["id"]:
        return False, f"submitted {ctx.answer!r}, not the upload's id {row['id']!r}"
    return True, f"uploaded {row['length']} bytes as {row['id']}"


def seeded_files_kept(ctx: CheckContext) -> Result:
    """No upload that existed before was removed or changed."""
    diff = ctx.diff.get("tus.uploads")
    if diff and (diff.removed or diff.updated):
        return False, f"{len(diff.removed)} removed, {len(diff.updated)} changed"
    return True, "existing uploads untouched"
