"""Custom checks of the Tradepost scenarios."""

from __future__ import annotations

from decimal import Decimal

from gym_apibench.checks import CheckContext
from mockapis.tables import Record

Result = tuple[bool, str]


def order_placed(ctx: CheckContext) -> Result:
    """Exactly one new order: the expected open limit buy, with its funds locked."""
    diff = ctx.diff.get("tradepost.orders")
    added = list(diff.added.values()) if diff else []
    if len(added) != 1:
        return False, f"{len(added)} new orders, expected 1"
    order, want = added[0], ctx.expected
    got = (order["symbol"], order["side"], order["type"], order["status"], order["client_order_id"])
    expect = (want["symbol"], "buy", "limit", "open", want["client_order_id"])
    if got != expect:
        return False, f"(symbol, side, type, status, client_order_id) {got}, expected {expect}"
    if Decimal(order["price"]) != Decimal(want["price"]):
        return False, f"price {order['price']}, expected {want['price']}"
    if Decimal(order["quantity"]) != Decimal(want["quantity"]):
        return False, f"quantity {order['quantity']}, expected {want['quantity']}"
    return True, f"order {order['order_id']} placed"


def canceled_exactly(ctx: CheckContext) -> Result:
    """The expected orders, and no others, went from open to canceled."""
    diff = ctx.diff.get("tradepost.orders")
    updated = diff.updated if diff else {}
    want = {str(i) for i in ctx.expected["ids"]}
    for key in sorted(want):
        after = updated.get(key, (None, None))[1]
        if after is None or after["status"] != "canceled":
            return False, f"order {key} is not canceled"
    extra = sorted(set(updated) - want)
    if extra:
        return False, f"other orders changed too: {', '.join(extra[:5])}"
    if diff and (diff.added or diff.removed):
        return False, "orders were added or removed"
    return True, f"{len(want)} orders canceled"


def asset_of_task(ctx: CheckContext, key: str, before: Record | None, after: Record | None) -> bool:
    """A balance whose funds the task's orders lock or release: the quote asset of a buy,
    the base asset of a sell (the new limit buy's, or each canceled order's)."""
    if "symbol" in ctx.expected:
        orders = [{"symbol": ctx.expected["symbol"], "side": "buy"}]
    else:
        table = ctx.world.table("tradepost.orders")
        orders = [table[str(i)] for i in ctx.expected["ids"] if str(i) in table]
    base_quote = [(o["symbol"].split("-"), o["side"]) for o in orders]
    return any(assets[1 if side == "buy" else 0] == key for assets, side in base_quote)


def order_id_submitted(ctx: CheckContext) -> Result:
    """The submission is the new order's order_id (the number, or its digits as a string)."""
    diff = ctx.diff.get("tradepost.orders")
    ids = [order["order_id"] for order in (diff.added.values() if diff else ())]
    if len(ids) != 1:
        return False, f"{len(ids)} new orders, expected 1"
    got = ctx.answer
    if not isinstance(got, bool) and isinstance(got, int | str) and str(got) == str(ids[0]):
        return True, f"submitted order {ids[0]}"
    return False, f"submitted {got!r}, not the new order's order_id {ids[0]!r}"
