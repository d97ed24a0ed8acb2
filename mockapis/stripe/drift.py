"""New customers as a concurrent Stripe user would create them now (for ``pagination_drift``)."""

from __future__ import annotations

import random

from mockapis.stripe.customers import now_s
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]

_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``stripe.customers`` row copied from a random one: fresh id, created now."""
    rows = world.table(table)
    if table != "stripe.customers" or not rows:
        return None
    template = rows[rng.choice(sorted(rows))]
    customer_id = "cus_" + "".join(rng.choice(_ALPHABET) for _ in range(14))
    while customer_id in rows:
        customer_id = "cus_" + "".join(rng.choice(_ALPHABET) for _ in range(14))
    email = template.get("email")
    if isinstance(email, str) and "@" in email:
        local, _, domain = email.partition("@")
        email = f"{local}.{rng.randrange(1000, 9999)}@{domain}"
    return customer_id, {**template, "id": customer_id, "created": now_s(world), "email": email}
