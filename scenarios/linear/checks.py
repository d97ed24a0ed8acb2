"""Custom checks of the Linear scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

from collections import Counter

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def onboarding_issue(ctx: CheckContext) -> Result:
    """One new issue in the team, titled after the company, priority High, with the email."""
    diff = ctx.diff.get("linear.issues")
    added = list(diff.added.values()) if diff else []
    if len(added) != 1:
        return False, f"expected exactly one new issue, found {len(added)}"
    issue, want = added[0], ctx.expected
    problems = []
    if issue["teamId"] != want["team_id"]:
        problems.append("it is in another team")
    if issue["title"].strip().casefold() != want["title"].casefold():
        problems.append(f"title {issue['title']!r}, expected {want['title']!r}")
    if issue["priority"] != 2:
        problems.append(f"priority {issue['priority']}, expected 2 (High)")
    if want["email"].casefold() not in (issue.get("description") or "").casefold():
        problems.append("the description lacks the person's email address")
    if problems:
        return False, "; ".join(problems)
    return True, f"{want['title']!r} created with the contact's email"


def synced(ctx: CheckContext) -> Result:
    """Every task title is exactly one issue of the team; new ones carry the task's priority."""
    want = ctx.expected
    issues = [
        i for i in ctx.world.table("linear.issues").values() if i["teamId"] == want["team_id"]
    ]
    counts = Counter(i["title"] for i in issues)
    missing = [t for t in want["titles"] if counts[t] == 0]
    doubled = [t for t in want["titles"] if counts[t] > 1]
    existing = set(want["existing"].values())
    wrong = [
        i["title"]
        for i in issues
        if i["title"] in want["titles"]
        and i["id"] not in existing
        and i["priority"] != want["titles"][i["title"]]
    ]
    if missing or doubled or wrong:
        return (
            False,
            f"{len(missing)} tasks missing, {len(doubled)} duplicated, "
            f"{len(wrong)} with the wrong priority (of {len(want['titles'])})",
        )
    return True, f"all {len(want['titles'])} tasks are issues, none twice"
