"""Custom checks of the template scenarios."""

from __future__ import annotations

from gym_apibench.checks import CheckContext
from mockapis.templates.engine import TemplateProblem, render

Result = tuple[bool, str]


def template_behaves(ctx: CheckContext) -> Result:
    """One new markdown template with the name, rendering every hidden case exactly."""
    diff = ctx.diff.get("templates.templates")
    added = [r for r in (diff.added.values() if diff else ()) if r["name"] == ctx.expected["name"]]
    if len(added) != 1:
        return False, f"{len(added)} new templates named {ctx.expected['name']!r}"
    row = added[0]
    if row["format"] != "markdown":
        return False, f"the template's format is {row['format']!r}, not 'markdown'"
    for case in ctx.expected["cases"]:
        try:
            output = render(
                row["body"], case["data"], fmt="markdown", strict=row["strict_undefined"]
            )
        except TemplateProblem as problem:
            return False, f"rendering {case['data']} failed: {problem.message}"
        if output != case["output"]:
            return False, f"rendered {output!r} for {case['data']}, expected {case['output']!r}"
    return True, f"renders all {len(ctx.expected['cases'])} cases"


def template_id_submitted(ctx: CheckContext) -> Result:
    """The submission is the new template's id."""
    diff = ctx.diff.get("templates.templates")
    ids = [row["id"] for row in (diff.added.values() if diff else ())]
    if len(ids) != 1:
        return False, f"{len(ids)} new templates, expected 1"
    if ctx.answer != ids[0]:
        return False, f"submitted {ctx.answer!r}, not the new template's id {ids[0]!r}"
    return True, f"submitted {ids[0]}"
