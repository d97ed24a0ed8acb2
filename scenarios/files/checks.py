"""Custom checks of the file-server scenarios."""

from __future__ import annotations

import base64

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def file_copied(ctx: CheckContext) -> Result:
    """Exactly one new file, under the target name, with exactly the source's bytes; no
    seeded file changed or removed."""
    diff = ctx.diff.get("files.files")
    added = list(diff.added.values()) if diff else []
    if diff and (diff.removed or diff.updated):
        return False, f"{len(diff.removed)} files removed, {len(diff.updated)} changed"
    if [r["name"] for r in added] != [ctx.expected["target"]]:
        return (
            False,
            f"new files {[r['name'] for r in added]}, expected [{ctx.expected['target']!r}]",
        )
    if base64.b64decode(added[0]["data"]) != ctx.expected["content"].encode():
        return False, "the copy's bytes differ from the source's"
    return True, f"copied {added[0]['size']} bytes"
