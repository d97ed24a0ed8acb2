"""Custom checks of the Attio scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gym_apibench.checks import CheckContext
from mockapis.tables import Record

Result = tuple[bool, str]


def _first(record: dict[str, Any], slug: str, field: str = "value") -> Any:
    values = record["values"].get(slug) or []
    return values[0][field] if values else None


def people_created(ctx: CheckContext) -> Result:
    """Each expected person exists once with its name, email, title and company."""
    added = ctx.diff.get("attio.people")
    rows = list(added.added.values()) if added else []
    for want in ctx.expected["people"]:
        matches = [
            r
            for r in rows
            if want["email"] in [v["email_address"] for v in r["values"]["email_addresses"]]
        ]
        if len(matches) != 1:
            return False, f"{want['email']}: {len(matches)} new records carry this email"
        person = matches[0]
        got = (
            _first(person, "name", "first_name"),
            _first(person, "name", "last_name"),
            _first(person, "job_title"),
            _first(person, "company", "target_record_id"),
        )
        expect = (want["first_name"], want["last_name"], want["job_title"], want["company_id"])
        if got != expect:
            return (
                False,
                f"{want['email']}: got (first, last, title, company) {got}, expected {expect}",
            )
    return True, f"all {len(ctx.expected['people'])} people created correctly"


def person_updated(ctx: CheckContext) -> Result:
    """The emails were appended to (not replaced) and the title overwritten."""
    record_id = ctx.expected["record_id"]
    person = ctx.world.table("attio.people").get(record_id)
    if person is None:
        return False, "the person was deleted"
    got_emails = [v["email_address"] for v in person["values"]["email_addresses"]]
    if sorted(got_emails) != sorted(ctx.expected["emails"]):
        return False, f"emails are {got_emails}, expected {ctx.expected['emails']}"
    if _first(person, "job_title") != ctx.expected["job_title"]:
        return False, f"job title is {_first(person, 'job_title')!r}"
    return True, "emails appended and job title set"


def person_otherwise_unchanged(ctx: CheckContext) -> Result:
    """No attribute of the person other than emails and job title changed (PUT would wipe)."""
    stray = _stray_people(ctx, {ctx.expected["record_id"]})
    if stray:
        return False, stray
    diff = ctx.diff.get("attio.people")
    change = diff.updated.get(ctx.expected["record_id"]) if diff else None
    if change is None:
        return True, "the person is unchanged"
    before, after = change
    touched = sorted(
        slug
        for slug in set(before["values"]) | set(after["values"])
        if slug not in ("email_addresses", "job_title")
        and _strip(before["values"].get(slug)) != _strip(after["values"].get(slug))
    )
    if touched:
        return False, f"other attributes changed: {', '.join(touched)}"
    return True, "only emails and job title changed"


def _strip(values: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: v for k, v in value.items() if k != "active_from"} for value in values or []]


def duplicates_merged(ctx: CheckContext) -> Result:
    """Every duplicate is gone, every survivor stays, and the duplicates' people moved."""
    companies = ctx.world.table("attio.companies")
    people = ctx.world.table("attio.people")
    alive = [d for d in ctx.expected["removed"] if d in companies]
    if alive:
        return False, f"{len(alive)} duplicates still exist"
    lost = [s for s in ctx.expected["survivors"].values() if s not in companies]
    if lost:
        return False, f"{len(lost)} surviving companies were deleted"
    for person_id, target in ctx.expected["moved_people"].items():
        person = people.get(person_id)
        got = _first(person, "company", "target_record_id") if person else None
        if got != target:
            return False, f"person {person_id} points at {got}, expected {target}"
    return True, f"{len(ctx.expected['removed'])} duplicates merged"


def only_moved_people_changed(ctx: CheckContext) -> Result:
    """No person other than the duplicates' was touched."""
    stray = _stray_people(ctx, set(ctx.expected["moved_people"]))
    return (False, stray) if stray else (True, "only the duplicates' people changed")


def _stray_people(ctx: CheckContext, allowed: set[str]) -> str:
    """What happened to people outside ``allowed`` (empty when nothing did)."""
    diff = ctx.diff.get("attio.people")
    if diff is None:
        return ""
    stray = set(diff.updated) - allowed
    if not (stray or diff.added or diff.removed):
        return ""
    return (
        f"{len(stray)} other people updated, {len(diff.added)} added, {len(diff.removed)} removed"
    )


def notes_on_companies(ctx: CheckContext) -> Result:
    """Exactly one new note with the title on each matching company, none elsewhere."""
    diff = ctx.diff.get("attio.notes")
    added = list(diff.added.values()) if diff else []
    parents = sorted(n["parent_record_id"] for n in added if n["parent_object"] == "companies")
    if parents != ctx.expected["ids"]:
        missing = len(set(ctx.expected["ids"]) - set(parents))
        extra = len(parents) - len(set(parents) & set(ctx.expected["ids"]))
        return (
            False,
            f"{missing} companies without a note, {extra} notes on other records or duplicates",
        )
    wrong = [n for n in added if n["title"] != ctx.expected["title"]]
    if wrong:
        return False, f"{len(wrong)} notes have another title than {ctx.expected['title']!r}"
    return True, f"{len(added)} notes added"


def _mentions(value: Any, ids: Mapping[str, Any]) -> bool:
    if isinstance(value, str):
        return value in ids
    if isinstance(value, Mapping):
        return any(_mentions(v, ids) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, ids) for v in value)
    return False


def of_removed_company(
    ctx: CheckContext, key: str, before: Record | None, after: Record | None
) -> bool:
    """A row that referred to a duplicate company (a note, list entry or deal the deletion
    dropped or pruned): one a merge may change."""
    return before is not None and _mentions(before, ctx.expected["removed"])
