"""Custom checks of the ClickUp scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def tasks_created(ctx: CheckContext) -> Result:
    """Each expected task was added once, in the right list, with its due date and priority."""
    diff = ctx.diff.get("clickup.tasks")
    added = list(diff.added.values()) if diff else []
    for want in ctx.expected["tasks"]:
        found = [t for t in added if t["name"].strip() == want["name"]]
        if len(found) != 1:
            return False, f"{want['name']!r}: {len(found)} new tasks have this name"
        task = found[0]
        if task["list"]["id"] != ctx.expected["list_id"]:
            return False, f"{want['name']!r} is in list {task['list']['id']}, not the one asked"
        if task["due_date"] != str(want["due_ms"]):
            return (
                False,
                f"{want['name']!r}: due_date {task['due_date']}, expected {want['due_ms']}",
            )
        level = int(task["priority"]["id"]) if task["priority"] else None
        if level != want["priority"]:
            return False, f"{want['name']!r}: priority {level}, expected {want['priority']}"
    return True, f"all {len(ctx.expected['tasks'])} tasks created correctly"
