"""Custom checks of the Millbrook ERP scenarios."""

from __future__ import annotations

from gym_apibench.checks import CheckContext

Result = tuple[bool, str]


def approved_exactly(ctx: CheckContext) -> Result:
    """The expected orders, and no others, went from pending_approval to approved by the agent."""
    diff = ctx.diff.get("erp.purchase_orders")
    updated = diff.updated if diff else {}
    want = set(ctx.expected["ids"])
    for order_id in sorted(want):
        if order_id not in updated:
            return False, f"{order_id} was not changed"
        before, after = updated[order_id]
        if before["status"] != "pending_approval" or after["status"] != "approved":
            return False, f"{order_id}: {before['status']} -> {after['status']}, expected approved"
        if after["approved_by"] != "integration.bot":
            return False, f"{order_id}: approved_by {after['approved_by']!r}"
    extra = sorted(set(updated) - want)
    if extra:
        return False, f"other orders changed too: {', '.join(extra[:5])}"
    return True, f"{len(want)} orders approved"
