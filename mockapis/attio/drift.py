"""New records as a concurrent Attio user would create them now (for ``pagination_drift``).

A new record copies a random existing one of the same object with a fresh record id, a
``created_at`` of now (distinct from every other record's) and a workspace member as its
creator; people get a new name and email, companies a new name and domain, so that unique
attributes stay unique.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterable

from mockapis.attio import catalog, formats
from mockapis.attio.schema import OBJECTS, ObjectDef
from mockapis.attio.values import WriteContext, parse_input
from mockapis.attio.writes import ValueMap, build_record
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new record for ``attio.people``, ``attio.companies`` or ``attio.deals`` (else None)."""
    service, _, slug = table.partition(".")
    obj = OBJECTS.get(slug) if service == "attio" else None
    rows = world.table(table)
    members = sorted(world.table("attio.members"))
    if obj is None or not rows or not members:
        return None
    template = rows[rng.choice(sorted(rows))]
    actor = {"type": "workspace-member", "id": rng.choice(members)}
    ctx = WriteContext(world, actor, _fresh_timestamp(world, table))
    values: ValueMap = {
        key: [{**value, "active_from": ctx.at, "created_by_actor": actor} for value in items]
        for key, items in template["values"].items()
        if not obj.attributes[key].system
    }
    values.update(_new_identity(obj, rows.values(), template, rng, ctx))
    record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return record_id, build_record(obj, record_id, ctx, values)


def _fresh_timestamp(world: World, table: str) -> str:
    """Now, in Attio's microseconds, moved back until no record of ``table`` has it."""
    taken = {r["created_at"] for r in world.table(table).values()}
    ns = world.clock.now_ns - world.clock.now_ns % 1000
    while formats.timestamp_string(ns) in taken:
        ns -= 1000
    return formats.timestamp_string(ns)


def _new_identity(
    obj: ObjectDef,
    rows: Iterable[Record],
    template: Record,
    rng: random.Random,
    ctx: WriteContext,
) -> ValueMap:
    """Fresh values for what identifies a person or a company (their unique attributes)."""
    attributes = obj.attributes
    if obj.slug == "people":
        first = rng.choices(catalog.FIRST_NAMES, cum_weights=catalog.FIRST_WEIGHTS)[0]
        last = rng.choices(catalog.LAST_NAMES, cum_weights=catalog.LAST_WEIGHTS)[0]
        found: ValueMap = {
            "name": parse_input(attributes["name"], {"first_name": first, "last_name": last}, ctx)
        }
        emails = template["values"]["email_addresses"]
        if emails:
            taken = _taken(rows, "email_addresses", "email_address")
            local = f"{_ascii(first)}.{_ascii(last)}"
            address = _unique(f"{local}@{emails[0]['email_domain']}", taken)
            found["email_addresses"] = parse_input(attributes["email_addresses"], address, ctx)
        return found
    if obj.slug == "companies":
        name = f"{rng.choice(catalog.COMPANY_STEMS)} {rng.choice(catalog.COMPANY_TAILS)}"
        domain = _unique(f"{_ascii(name)}.com", _taken(rows, "domains", "domain"))
        return {
            "name": parse_input(attributes["name"], name, ctx),
            "domains": parse_input(attributes["domains"], domain, ctx),
        }
    return {}


def _taken(rows: Iterable[Record], slug: str, key: str) -> set[str]:
    return {str(v[key]) for row in rows for v in row["values"].get(slug, [])}


def _unique(address: str, taken: set[str]) -> str:
    """``address`` (``local@domain`` or ``name.tld``), numbered until it is not ``taken``."""
    sep = "@" if "@" in address else "."
    head, _, tail = address.partition(sep)
    found, k = address, 2
    while found in taken:
        found = f"{head}{k}{sep}{tail}"
        k += 1
    return found


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
