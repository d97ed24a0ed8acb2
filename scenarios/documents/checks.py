"""Custom checks of the document workflows."""

from __future__ import annotations

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
message_posted = _slack.message_posted
"""Exactly one new top-level message in the expected channel, with the exact text."""


def revenues_set(ctx: CheckContext) -> Result:
    """Each named HubSpot company's ``annualrevenue`` equals its newest 10-K revenue."""
    table = ctx.world.table("hubspot.companies")
    wrong = []
    for record_id, revenue in ctx.expected["revenues"].items():
        value = table[record_id]["properties"].get("annualrevenue")
        try:
            ok = value is not None and float(value) == float(revenue)
        except ValueError:
            ok = False
        if not ok:
            wrong.append(f"{record_id}: {value!r} instead of {revenue}")
    return (not wrong, "; ".join(wrong) or "all set")


def letter_stored(ctx: CheckContext) -> Result:
    """One new file, under the expected name, with exactly the letter's bytes."""
    diff = ctx.diff.get("files.files")
    added = dict(diff.added) if diff else {}
    updated = dict(diff.updated) if diff else {}
    rows = [r for r in added.values() if r["name"] == ctx.expected["file"]]
    if len(added) != 1 or updated or not rows:
        names = sorted(r["name"] for r in added.values())
        return False, f"expected one new file {ctx.expected['file']!r}; added {names}"
    row = rows[0]
    if row["sha256"] != ctx.expected["sha256"] or row["size"] != ctx.expected["size"]:
        return False, f"stored {row['size']} bytes with SHA-256 {row['sha256']}: not the letter"
    return True, "stored"


def note_recorded(ctx: CheckContext) -> Result:
    """One new note, on the company, titled after the letter, naming its SHA-256."""
    diff = ctx.diff.get("attio.notes")
    added = list(diff.added.values()) if diff else []
    if len(added) != 1:
        return False, f"{len(added)} notes were added, expected 1"
    note = added[0]
    if (note["parent_object"], note["parent_record_id"]) != (
        "companies",
        ctx.expected["record_id"],
    ):
        return False, f"the note is on {note['parent_object']} {note['parent_record_id']}"
    if note["title"] != ctx.expected["title"]:
        return False, f"title {note['title']!r}, expected {ctx.expected['title']!r}"
    if ctx.expected["sha256"] not in note["content_plaintext"]:
        return False, "the note does not give the file's SHA-256"
    return True, "recorded"
